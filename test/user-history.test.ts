import { describe, expect, it } from 'vitest';
import { SENTENCE_START, UserHistory, type HistoryChange, type HistoryData, type LearnedUnit } from '../src/user/history.ts';
import { UserWords } from '../src/user/user-words.ts';
import { syllableId } from '../src/pinyin/syllables.ts';

const u = (text: string, reading = ''): LearnedUnit => ({ text, reading });
const sentence = (...texts: string[]) => ({ runs: [texts.map((t) => u(t))] });

describe('user history', () => {
  it('counts units and adjacent pairs, from the sentence start', () => {
    const h = new UserHistory();
    h.add(sentence('我们', '去', '吃饭'));
    h.add(sentence('我们', '走'));
    expect(h.tick).toBe(2);
    expect(h.weightOf(h.unit('我们')!)).toBeCloseTo(2 * 2 ** (-0 / 5000) * 1, 3);
    expect(h.pair(SENTENCE_START, '我们')).toBeDefined();
    expect(h.pair('我们', '去')).toBeDefined();
    expect(h.pair('去', '吃饭')).toBeDefined();
    expect(h.pair('吃饭', '我们')).toBeUndefined();
    // The context total is the sum of its pairs.
    expect(h.weightOf(h.context('我们')!)).toBeCloseTo(h.weightOf(h.pair('我们', '去')!) + h.weightOf(h.pair('我们', '走')!), 9);
  });

  it('decays by recency: a count halves every halfLife commits', () => {
    const h = new UserHistory({ halfLife: 10 });
    h.add(sentence('旧'));
    for (let i = 0; i < 10; i++) h.add(sentence('新'));
    expect(h.weightOf(h.unit('旧')!)).toBeCloseTo(0.5, 9);
    for (let i = 0; i < 10; i++) h.add(sentence('新'));
    expect(h.weightOf(h.unit('旧')!)).toBeCloseTo(0.25, 9);
  });

  it('stays exact over a very long run (scale renormalisation)', () => {
    const h = new UserHistory({ halfLife: 1 });
    h.add(sentence('甲'));
    for (let i = 0; i < 1000; i++) h.add(sentence('乙'));
    expect(Number.isFinite(h.weightOf(h.unit('乙')!))).toBe(true);
    expect(h.weightOf(h.unit('乙')!)).toBeCloseTo(2, 6); // geometric sum 1 + 1/2 + … → 2
    expect(h.weightOf(h.unit('甲')!)).toBeGreaterThanOrEqual(0);
  });

  it('is bounded: the units and pairs used longest ago go', () => {
    const h = new UserHistory({ maxUnits: 20, maxPairs: 30 });
    h.add(sentence('常用'));
    for (let i = 0; i < 200; i++) {
      h.add(sentence(`词${i}`, `词${i + 1}`));
      if (i % 10 === 0) h.add(sentence('常用'));
    }
    expect(h.unitCount).toBe(20);
    expect(h.pairCount).toBe(30);
    expect(h.unit('常用')).toBeDefined();
    expect(h.unit('词200')).toBeDefined();
    expect(h.unit('词0')).toBeUndefined();
    expect(h.pair('词0', '词1')).toBeUndefined();
    expect(h.pair('词199', '词200')).toBeDefined();
  });

  it('loads records in order of last use, so bounding after a load drops the oldest', () => {
    const h = new UserHistory();
    for (let i = 0; i < 10; i++) h.add(sentence(`词${i}`));
    const data = h.save();
    const g = new UserHistory({ maxUnits: 5 });
    g.load({ ...data, units: [...data.units].reverse() });
    g.add(sentence('新'));
    expect([...g.units()].map((e) => e.text).sort()).toEqual(['新', '词6', '词7', '词8', '词9']);
  });

  it('forgets a unit and every pair it is in', () => {
    const h = new UserHistory();
    h.add(sentence('你', '好', '吗'));
    const changes: HistoryChange[] = [];
    h.onChange((c) => changes.push(c));
    expect(h.forget('好')).toBe(true);
    expect(h.unit('好')).toBeUndefined();
    expect(h.pair('你', '好')).toBeUndefined();
    expect(h.pair('好', '吗')).toBeUndefined();
    expect(h.unit('你')).toBeDefined();
    expect(changes.every((c) => c.origin === 'forget')).toBe(true);
    expect(h.forget('好')).toBe(false);
  });

  it('forgets the pairs that spelled a phrase piece by piece, and only those', () => {
    const h = new UserHistory();
    h.add({ runs: [[u('李'), u('延'), u('龄')]], phrase: { text: '李延龄', reading: "li'yan'ling", parts: [] } });
    h.add(sentence('延', '长'));
    expect(h.forget('李延龄')).toBe(true);
    expect(h.unit('李延龄')).toBeUndefined();
    expect(h.pair('李', '延')).toBeUndefined();
    expect(h.pair('延', '龄')).toBeUndefined();
    expect(h.pair('延', '长')).toBeDefined();
    expect(h.pair(SENTENCE_START, '李')).toBeDefined();
    expect(h.unit('延')).toBeDefined();
  });

  it('saves and loads without change, and skips malformed records', () => {
    const h = new UserHistory({ halfLife: 50 });
    h.add(sentence('今天', '天气'));
    h.add({ runs: [[u('张'), u('三')]], phrase: { text: '张三', reading: "zhang'san", parts: [{ text: '张', reading: 'zhang', id: 5 }, { text: '三', reading: 'san', id: 6 }] } });
    for (let i = 0; i < 20; i++) h.add(sentence('好'));
    const data = h.save();
    const g = new UserHistory({ halfLife: 50 });
    expect(g.load(JSON.parse(JSON.stringify(data)))).toBe(0);
    expect(g.save()).toEqual(data);
    expect(g.weightOf(g.unit('今天')!)).toBeCloseTo(h.weightOf(h.unit('今天')!), 9);
    expect(g.unit('张三')!.parts!.map((p) => p.text)).toEqual(['张', '三']);
    const broken = {
      ...data,
      units: [...data.units, { text: 42 }, { text: 'x', reading: 'NOT', w: 1, t: 0 }, { text: '负', reading: '', w: -1, t: 0 }],
      pairs: [...data.pairs, { prev: '今天', next: '', w: 1, t: 1 }],
    };
    expect(g.load(broken as unknown as HistoryData)).toBe(4);
    expect(g.unitCount).toBe(h.unitCount);
  });

  it('merges idempotently: the larger weight wins', () => {
    const a = new UserHistory();
    a.add(sentence('甲', '乙'));
    a.add(sentence('甲'));
    const b = new UserHistory();
    b.add(sentence('甲'));
    b.add(sentence('丙'));
    const data = a.save();
    b.merge(data.units, data.pairs, data.tick, 'import');
    const once = b.save();
    b.merge(data.units, data.pairs, data.tick, 'import');
    expect(b.save()).toEqual(once);
    expect(b.weightOf(b.unit('甲')!)).toBeCloseTo(a.weightOf(a.unit('甲')!), 9);
    expect(b.unit('丙')).toBeDefined();
    expect(b.pair('甲', '乙')).toBeDefined();
  });

  it('clear empties everything and tells listeners once', () => {
    const h = new UserHistory();
    h.add(sentence('一', '二'));
    const changes: HistoryChange[] = [];
    h.onChange((c) => changes.push(c));
    h.clear();
    expect(h.unitCount + h.pairCount).toBe(0);
    expect(changes).toEqual([{ type: 'reset', origin: 'clear' }]);
  });
});

describe('user words', () => {
  const ids = (r: string) => r.split("'").map(syllableId);

  it('is a word trie whose ids start past the lexicon', () => {
    const w = new UserWords(1000, 1010);
    const a = w.add('张三', ids("zhang'san"))!;
    const b = w.add('长三', ids("zhang'san"))!;
    expect(a).toBe(1000);
    expect(b).toBe(1001);
    let node = w.child(w.root, syllableId('zhang'));
    node = w.child(node, syllableId('san'));
    const found: number[] = [];
    for (let e = w.entriesStart(node); e < w.entriesEnd(node); e++) found.push(w.entryWord(e));
    expect(found).toEqual([a, b]);
    expect(w.textOf(a)).toBe('张三');
    expect(w.textOf(5)).toBeUndefined();
    const visited: number[] = [];
    w.forEachChild(w.root, new Uint16Array([syllableId('zha'), syllableId('zhang')].sort((x, y) => x - y)), (c) => visited.push(c));
    expect(visited).toHaveLength(1);
  });

  it('removes phrases and never reuses their ids', () => {
    const w = new UserWords(10, 20);
    const a = w.add('你们', ids("ni'men"))!;
    expect(w.remove('你们')).toBe(true);
    expect(w.textOf(a)).toBeUndefined();
    const b = w.add('你们', ids("ni'men"))!;
    expect(b).not.toBe(a);
  });

  it('refuses ids past its range', () => {
    const w = new UserWords(10, 11);
    expect(w.add('一', ids('yi'))).toBe(10);
    expect(w.add('二', ids('er'))).toBeUndefined();
  });
});
