import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DECODER_OPTIONS } from '../src/decoder/options.ts';
import { segmentGraphOptions } from '../src/pinyin/input-options.ts';
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

describe('segment graph built from the graph of the previous input', () => {
  const settings = {
    'full pinyin': segmentGraphOptions(DEFAULT_DECODER_OPTIONS),
    fuzzy: segmentGraphOptions({ ...DEFAULT_DECODER_OPTIONS, fuzzy: ['z-zh', 'c-ch', 'in-ing', 'an-ang', 'l-n'] }),
    typo: segmentGraphOptions({ ...DEFAULT_DECODER_OPTIONS, typoTolerance: true }),
    xiaohe: segmentGraphOptions({ ...DEFAULT_DECODER_OPTIONS, scheme: 'xiaohe' }),
  };
  // Keys typed, deleted (-) and pasted (+ adds a whole phrase): every graph must read exactly as
  // one built from scratch, whichever positions it took from the graph before.
  const step = fc.oneof(
    fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split(''), "'", '-', '-', '-'),
    fc.constantFrom('+zhongguo', '+xianzai', "+xi'an", '+chuangqian', '+bjdx'),
  );

  it.each(Object.entries(settings))('%s: the same edges as a graph built whole, key after key', (_, options) => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        let input = '';
        let graph: SegmentGraph | undefined;
        for (const s of steps) {
          input = s === '-' ? input.slice(0, -1) : s.startsWith('+') ? input + s.slice(1) : input + s;
          graph = new SegmentGraph(input, options, graph);
          expect(graph.edges).toEqual(new SegmentGraph(input, options).edges);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('takes the unchanged positions from the earlier graph and builds the rest', () => {
    const options = settings['full pinyin'];
    const before = new SegmentGraph('zhongguorenmin', options);
    const after = new SegmentGraph('zhongguorenming', options, before);
    // Edges from 0 … 7 read at most 7 letters, all unchanged: the same lists.
    for (let i = 0; i <= 7; i++) expect(after.edges[i]).toBe(before.edges[i]);
    // From 8 on the new g is within reach: built again (at 11, ming, and no partial min-).
    expect(after.edges[8]).not.toBe(before.edges[8]);
    expect(after.edges[11]!.map((e) => e.text)).toContain('ming');
    expect(after.firstDifference(before)).toBeGreaterThan(7);
    // Other options: nothing is taken.
    const fuzzy = new SegmentGraph('zhongguorenming', settings.fuzzy, before);
    expect(fuzzy.edges[0]).not.toBe(before.edges[0]);
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
