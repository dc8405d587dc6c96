import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine/engine.ts';
import { FUZZY_PAIRS, FuzzyRules, parseFuzzyPairs, readingEdgeCost, type FuzzyPair } from '../src/pinyin/fuzzy.ts';
import { segmentGraphOptions } from '../src/pinyin/input-options.ts';
import { EdgeKind, SegmentGraph } from '../src/pinyin/segment-graph.ts';
import { DEFAULT_DECODER_OPTIONS } from '../src/decoder/options.ts';
import { isImeError } from '../src/util/errors.ts';
import { loadNodeEngine } from '../scripts/lib/node-engine.ts';

const SOUTHERN: FuzzyPair[] = ['z-zh', 'c-ch', 's-sh', 'in-ing', 'en-eng'];

describe('fuzzy pairs', () => {
  it.each([
    ['z-zh,c-ch', ['z-zh', 'c-ch']],
    [' zh-z , ing-in ', ['z-zh', 'in-ing']],
    ['l-n,n-l', ['l-n']],
    ['', []],
  ])('parses %j', (text, expected) => {
    expect(parseFuzzyPairs(text)).toEqual(expected);
  });

  it.each(['z-c', 'zh', 'ang-ong', 'x-y'])('rejects %j with a clear error', (text) => {
    let caught: unknown;
    try {
      parseFuzzyPairs(text);
    } catch (e) {
      caught = e;
    }
    expect(isImeError(caught, 'INVALID_ARGUMENT')).toBe(true);
    expect((caught as Error).message).toContain('unknown fuzzy pair');
  });

  it.each<[string, FuzzyPair[], string[]]>([
    ['zi', ['z-zh'], ['zhi']],
    ['zhi', ['z-zh'], ['zi']],
    ['cuang', ['c-ch'], ['chuang']],
    ['sen', ['s-sh', 'en-eng'], ['shen', 'seng', 'sheng']],
    ['lan', ['l-n', 'an-ang'], ['nan', 'lang', 'nang']],
    ['ri', ['r-l'], ['li']],
    ['fa', ['f-h'], ['ha']],
    ['xian', ['ian-iang'], ['xiang']],
    ['huan', ['uan-uang'], ['huang']],
    ['xin', ['in-ing'], ['xing']],
    ['xian', ['an-ang'], []],
    ['zi', [], []],
  ])('%s with %j also reads as %j', (spelling, pairs, expected) => {
    const rules = new FuzzyRules(pairs, 1);
    expect(rules.variants(spelling).map((v) => v.spelling).sort()).toEqual([...expected].sort());
  });

  it('charges each swap', () => {
    const rules = new FuzzyRules(['s-sh', 'en-eng'], 0.75);
    const bySpelling = new Map(rules.variants('sen').map((v) => [v.spelling, v.swaps * rules.penalty]));
    expect(bySpelling.get('shen')).toBe(0.75);
    expect(bySpelling.get('sheng')).toBe(1.5);
  });

  it('every pair is accepted by the parser', () => {
    expect(parseFuzzyPairs(FUZZY_PAIRS.join(','))).toEqual([...FUZZY_PAIRS]);
  });
});

describe('fuzzy segment graph', () => {
  const options = segmentGraphOptions({ ...DEFAULT_DECODER_OPTIONS, fuzzy: SOUTHERN });

  it('adds fuzzy readings with a cost beside the exact ones', () => {
    const g = new SegmentGraph('zi', options);
    const full = g.edges[0]!.filter((e) => e.kind === EdgeKind.Full && e.end === 2);
    expect(full.find((e) => e.text === 'zi')?.cost).toBe(0);
    expect(full.find((e) => e.text === 'zhi')?.cost).toBeGreaterThan(0);
  });

  it('reads letters that are no syllable through a fuzzy pair', () => {
    const g = new SegmentGraph('cuang', options);
    expect(g.edges[0]!.some((e) => e.text === 'chuang' && e.end === 5)).toBe(true);
  });

  it('leaves the plain graph unchanged without fuzzy pairs', () => {
    const plain = segmentGraphOptions(DEFAULT_DECODER_OPTIONS);
    for (const input of ['zhongguo', "xi'an", 'bjdx', 'nihaoa', 'zhuangv']) {
      expect(new SegmentGraph(input, plain).signatures).toEqual(new SegmentGraph(input).signatures);
    }
  });

  it('measures how far a reading is from what was typed', () => {
    const g = new SegmentGraph('zongguo', options);
    expect(readingEdgeCost(g, 0, 7, "zong'guo")).toBe(0);
    expect(readingEdgeCost(g, 0, 7, "zhong'guo")).toBeGreaterThan(0);
    expect(readingEdgeCost(g, 0, 7, "ma'ma")).toBe(Infinity);
  });
});

describe('fuzzy pinyin in a session', () => {
  let engine: Engine;
  beforeAll(() => {
    engine = loadNodeEngine();
  });
  const top = (input: string, fuzzy: FuzzyPair[]) => {
    const s = engine.createSession({ fuzzy });
    s.type(input);
    return { first: s.candidates()[0]?.text, preedit: s.preedit(), all: s.candidates() };
  };

  it('is off by default', () => {
    expect(top('zongguo', []).first).not.toBe('中国');
  });

  it.each([
    ['zongguo', '中国', "zhong'guo"],
    ['womenyiqicifan', '我们一起吃饭', "wo'men'yi'qi'chi'fan"],
    ['sanghai', '上海', "shang'hai"],
  ])('reads %s as %s and shows %s', (input, text, preedit) => {
    const r = top(input, SOUTHERN);
    expect(r.first).toBe(text);
    expect(r.preedit).toBe(preedit);
  });

  it('lists words of the exact reading before fuzzy ones of the same length', () => {
    const words = top('si', ['s-sh']).all.filter((c) => c.kind === 'word');
    const firstFuzzy = words.findIndex((c) => c.reading === 'shi');
    const lastExact = words.map((c) => c.reading).lastIndexOf('si');
    expect(firstFuzzy).toBeGreaterThan(lastExact);
  });

  it('typing key by key gives the same candidates as typing at once', () => {
    const a = engine.createSession({ fuzzy: SOUTHERN });
    const b = engine.createSession({ fuzzy: SOUTHERN });
    const input = 'jiusicuangbunenkaibijiaoyumen';
    for (const ch of input) {
      a.type(ch);
      a.candidates();
    }
    b.type(input);
    expect(a.candidates().map((c) => c.text)).toEqual(b.candidates().map((c) => c.text));
  });

  it('lets a lone initial stand for its fuzzy partner', () => {
    const s = engine.createSession({ fuzzy: ['l-n'] });
    s.type('lh');
    expect(s.candidates().some((c) => c.reading === "n'h")).toBe(true);
  });
});
