import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../src/engine/engine.ts';
import { loadEngineData } from '../src/engine/load.ts';
import { CharModelReranker, type WindowScorer } from '../src/model/char-reranker.ts';
import { NULL_RERANKER, orderByCost, type Reranker, type RerankItem } from '../src/model/reranker.ts';
import { readAssets } from '../scripts/lib/node-engine.ts';

let engine: Engine;
beforeAll(() => {
  engine = createEngine(loadEngineData(readAssets()));
});

/** Reverses the decoder's order; remembers what it was given. */
function reversing(k = 8): Reranker & { seen: RerankItem[][]; contexts: string[] } {
  const seen: RerankItem[][] = [];
  const contexts: string[] = [];
  return {
    candidates: k,
    seen,
    contexts,
    rerank: async (items, context) => {
      seen.push([...items]);
      contexts.push(context);
      return items.map((_, i) => items.length - 1 - i);
    },
    dispose: async () => {},
  };
}

const sentenceTexts = (list: readonly { kind: string; text: string }[]) => list.filter((c) => c.kind === 'sentence').map((c) => c.text);

describe('Session.rankedCandidates', () => {
  it.each(['nihao', 'woaibeijing', 'zhongguorenmin', 'shi'])('the null reranker ranks %s exactly as candidates()', async (keys) => {
    const a = engine.createSession();
    a.type(keys);
    const b = engine.createSession();
    b.type(keys);
    expect(await b.rankedCandidates(NULL_RERANKER)).toEqual(a.candidates());
  });

  it('without any reranker it is candidates()', async () => {
    const s = engine.createSession();
    s.type('nihao');
    expect(await s.rankedCandidates()).toBe(s.candidates());
  });

  it('gives the reranker K sentences and puts its order first; select and commit follow it', async () => {
    const r = reversing(8);
    const s = engine.createSession();
    s.type('shiyan');
    const plain = s.sentenceCandidates().map((c) => c.text);
    const ranked = await s.rankedCandidates(r);
    const given = r.seen[0]!;
    expect(given.length).toBeGreaterThanOrEqual(plain.length);
    expect(given.length).toBeLessThanOrEqual(8);
    expect(given.slice(0, plain.length).map((x) => x.text)).toEqual(plain);
    const expected = [...given].reverse().slice(0, plain.length).map((x) => x.text);
    expect(s.sentenceCandidates().map((c) => c.text)).toEqual(expected);
    expect(ranked[0]!.text).toBe(expected[0]);
    expect(expected).toEqual(expect.arrayContaining(sentenceTexts(ranked)));
    // Words still follow, without duplicates.
    expect(new Set(ranked.map((c) => c.text)).size).toBe(ranked.length);
    expect(ranked.some((c) => c.kind === 'word')).toBe(true);
    expect(s.candidates()).toBe(ranked);
    expect(s.commit()).toBe(expected[0]);
  });

  it('passes the committed context plus the picked pieces', async () => {
    const r = reversing();
    const s = engine.createSession();
    s.type('nihaoshijie');
    s.select(s.candidates().findIndex((c) => c.text === '你好'));
    await s.rankedCandidates(r, '今天');
    expect(r.contexts).toEqual(['今天你好']);
  });

  it('an input changed while the reranker ran wins over the stale order', async () => {
    const s = engine.createSession();
    s.type('ni');
    const slow: Reranker = {
      candidates: 8,
      rerank: async (items) => {
        s.type('hao');
        return items.map((_, i) => items.length - 1 - i);
      },
      dispose: async () => {},
    };
    const out = await s.rankedCandidates(slow);
    const fresh = engine.createSession();
    fresh.type('nihao');
    expect(out.map((c) => c.text)).toEqual(fresh.candidates().map((c) => c.text));
  });

  it('uses the engine option when no reranker is passed', async () => {
    const r = reversing();
    const withModel = createEngine(loadEngineData(readAssets()), { reranker: r });
    const s = withModel.createSession();
    s.type('shiyan');
    await s.rankedCandidates();
    expect(r.seen).toHaveLength(1);
  });
});

describe('CharModelReranker', () => {
  const metadata = {
    format: 'char-window-mlp',
    version: 1,
    left: 1,
    right: 1,
    weight: 1,
    candidates: 8,
    vocabulary: { chars: '是时事', homophones: { shi: '是时事' } },
  };
  /** A scorer that likes 时 (id 4) everywhere. */
  const likesShi: WindowScorer = async (_w, _width, targets) => Float32Array.from(targets, (id) => (id === 4 ? 3 : 0));
  const items: RerankItem[] = [
    { text: '是', cost: 1, words: [{ text: '是', reading: 'shi' }] },
    { text: '时', cost: 2, words: [{ text: '时', reading: 'shi' }] },
    { text: '事', cost: 2.5, words: [{ text: '事', reading: 'shi' }] },
  ];

  it('adds weight × the model cost to the decoder cost', async () => {
    const r = new CharModelReranker(metadata, likesShi);
    const costs = await r.modelCosts(items, '');
    const logZ = Math.log(Math.exp(3) + 2);
    expect(costs[0]).toBeCloseTo(logZ, 6);
    expect(costs[1]).toBeCloseTo(logZ - 3, 6);
    expect(await r.rerank(items, '')).toEqual(orderByCost(items.map((it, i) => it.cost + costs[i]!)));
    expect((await r.rerank(items, ''))[0]).toBe(1);
    r.weight = 0;
    expect(await r.rerank(items, '')).toEqual([0, 1, 2]);
  });

  it('letters and unknown characters do not break it', async () => {
    const r = new CharModelReranker(metadata, likesShi);
    const odd: RerankItem[] = [
      { text: '是abc', cost: 1, words: [{ text: '是', reading: 'shi' }, { text: 'abc', reading: 'abc' }] },
      { text: '狮', cost: 1, words: [{ text: '狮', reading: 'shi' }] },
      { text: '', cost: 1, words: [] },
    ];
    const costs = await r.modelCosts(odd, 'abc');
    expect([...costs].every(Number.isFinite)).toBe(true);
    expect(costs[1]).toBeCloseTo(Math.log(4), 6); // unknown: uniform over the set plus itself
    expect(costs[2]).toBe(0);
  });
});
