import { describe, expect, it } from 'vitest';
import { EdgeKind, SegmentGraph } from '../src/pinyin/segment-graph.ts';
import { normalizePinyin } from '../src/pinyin/normalize.ts';
import { SYLLABLES, syllableId, syllablesWithPrefix } from '../src/pinyin/syllables.ts';

/** All full segmentations (complete syllables, initials, final partial) from start to end. */
function segmentations(input: string): string[] {
  const g = new SegmentGraph(input);
  const out: string[] = [];
  const walk = (pos: number, parts: string[]) => {
    if (pos === g.length) return void out.push(parts.join("'"));
    for (const e of g.edges[pos] ?? []) {
      if (e.kind === EdgeKind.Raw) continue;
      walk(e.end, e.kind === EdgeKind.Separator ? parts : [...parts, e.text]);
    }
  };
  walk(0, []);
  return out;
}

describe('syllable table', () => {
  it.each(['a', 'zhuang', 'lv', 'nve', 'lve', 'er', 'm', 'n', 'ng', 'hm', 'xiong', 'shuang'])('has %s', (s) => {
    expect(syllableId(s)).toBeGreaterThanOrEqual(0);
  });
  it('accepts lue/nue as aliases of lve/nve', () => {
    expect(syllableId('lue')).toBe(syllableId('lve'));
    expect(syllableId('nue')).toBe(syllableId('nve'));
  });
  it.each(['zhaung', 'x', 'ian', 'gv', 'bv'])('rejects %s', (s) => {
    expect(syllableId(s)).toBe(-1);
  });
  it('has the full table of about four hundred syllables', () => {
    expect(SYLLABLES.length).toBeGreaterThan(400);
    expect(new Set(SYLLABLES).size).toBe(SYLLABLES.length);
  });
  it('z covers both z- and zh- syllables', () => {
    const z = [...syllablesWithPrefix('z')!].map((i) => SYLLABLES[i]);
    expect(z).toContain('zhong');
    expect(z).toContain('zai');
  });
});

describe('segment graph', () => {
  it.each([
    ['xian', ['xian', "xi'an"]],
    ['fangan', ["fang'an", "fan'gan"]],
    ["xi'an", ["xi'an"]],
    ['nihao', ["ni'hao"]],
    ['nih', ["ni'h"]],
    ['zg', ["z'g"]],
    ['bjdx', ["b'j'd'x"]],
    ['zhongg', ["zhong'g"]],
    ['lvse', ["lv'se"]],
  ])('%s reads as %j', (input, expected) => {
    const all = segmentations(input);
    for (const e of expected) expect(all).toContain(e);
  });

  it('does not read xi\'an as one syllable', () => {
    expect(segmentations("xi'an")).not.toContain('xian');
  });

  it('marks an unfinished last syllable as partial', () => {
    const g = new SegmentGraph('nih');
    const last = g.edges[2]!.find((e) => e.end === 3)!;
    expect(last.kind).toBe(EdgeKind.Partial);
    expect([...last.syllables].map((i) => SYLLABLES[i])).toContain('hao');
  });

  it('passes unknown letters through as raw edges', () => {
    const g = new SegmentGraph('iiii');
    expect(g.edges[0]![0]!.kind).toBe(EdgeKind.Raw);
  });

  it('reports the first position whose edges changed', () => {
    const a = new SegmentGraph('nihaoma');
    const b = new SegmentGraph('nihaom');
    expect(a.firstDifference(b)).toBeGreaterThan(2);
    expect(a.firstDifference(b)).toBeLessThan(7);
    expect(a.firstDifference(undefined)).toBe(0);
  });
});

describe('normalizePinyin', () => {
  it.each([
    ['NiHao', 'nihao'],
    ['nǐ hǎo', 'nihao'],
    ['lüse', 'lvse'],
    ["xi''an", "xi'an"],
    ['ni3hao3!', 'nihao'],
    ['\u0000\t😀', ''],
  ])('%j -> %j', (input, out) => {
    expect(normalizePinyin(input)).toBe(out);
  });
});
