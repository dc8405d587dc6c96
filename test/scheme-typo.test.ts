import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine/engine.ts';
import { syllableText } from '../src/pinyin/syllables.ts';
import { QWERTY_NEIGHBOURS, TypoRules, type TypoSettings } from '../src/pinyin/typo.ts';
import { loadNodeEngine } from '../scripts/lib/node-engine.ts';

const SETTINGS: TypoSettings = { slipPenalty: 4, misspellingPenalty: 1.5, correctSyllables: false, syllableSlipExtra: 4 };

describe('qwerty neighbours', () => {
  it.each([
    ['g', 'tyfhvb'],
    ['a', 'qwsz'],
    ['p', 'ol'],
    ['m', 'njk'],
  ])('%s is next to %s', (key, near) => {
    expect([...QWERTY_NEIGHBOURS.get(key)!].sort().join('')).toBe([...near].sort().join(''));
  });

  it('is symmetric and covers every letter', () => {
    expect(QWERTY_NEIGHBOURS.size).toBe(26);
    for (const [k, near] of QWERTY_NEIGHBOURS) for (const m of near) expect(QWERTY_NEIGHBOURS.get(m)).toContain(k);
  });
});

describe('typo corrections', () => {
  const rules = new TypoRules(SETTINGS);
  const corrected = (typed: string, r = rules) => new Map(r.corrections(typed).map((c) => [syllableText(c.id), c.cost]));

  it.each([
    ['zhogn', 'zhong', 1.5],
    ['zhomg', 'zhong', 1.5],
    ['xign', 'xing', 1.5],
    ['luen', 'lun', 1.5],
    ['liou', 'liu', 1.5],
    ['guei', 'gui', 1.5],
    ['hap', 'hao', 4],
    ['hoa', 'hao', 4],
    ['xiamg', 'xiang', 1.5],
    ['ahng', 'zhang', Infinity],
  ])('%s may mean %s (cost %d)', (typed, meant, cost) => {
    expect(corrected(typed).get(meant) ?? Infinity).toBe(cost);
  });

  it('leaves letters that spell a syllable alone unless asked', () => {
    expect(corrected('hai').size).toBe(0);
    const eager = new TypoRules({ ...SETTINGS, correctSyllables: true });
    expect(corrected('hai', eager).get('hao')).toBe(SETTINGS.slipPenalty + SETTINGS.syllableSlipExtra);
  });
});

describe('typo tolerance in a session', () => {
  let engine: Engine;
  beforeAll(() => {
    engine = loadNodeEngine();
  });
  const first = (input: string, typoTolerance: boolean) => {
    const s = engine.createSession({ typoTolerance });
    s.type(input);
    return s.candidates()[0]?.text;
  };

  it.each([
    ['nihap', '你好'],
    ['zhognguo', '中国'],
    ['womenyiqixhifan', '我们一起吃饭'],
    ['xihaun', '喜欢'],
  ])('corrects %s to %s, and only when switched on', (input, text) => {
    expect(first(input, true)).toBe(text);
    expect(first(input, false)).not.toBe(text);
  });

  it('ranks what was typed first when it reads well', () => {
    for (const input of ['nihao', 'zhongguo', 'womenyiqichifan', 'jintiantianqihenhao', 'xian']) {
      expect(first(input, true)).toBe(first(input, false));
    }
  });

  it('typing key by key gives the same candidates as typing at once', () => {
    const a = engine.createSession({ typoTolerance: true });
    const b = engine.createSession({ typoTolerance: true });
    const input = 'jiushicuangbunengkaibijiaoyumne';
    for (const ch of input) {
      a.type(ch);
      a.candidates();
    }
    b.type(input);
    expect(a.candidates().map((c) => c.text)).toEqual(b.candidates().map((c) => c.text));
  });

  it('shows the corrected pinyin in the preedit', () => {
    const s = engine.createSession({ typoTolerance: true });
    s.type('zhogn');
    expect(s.preedit()).toBe('zhong');
  });
});
