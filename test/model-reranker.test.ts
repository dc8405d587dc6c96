import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../src/engine/engine.ts';
import { loadEngineData } from '../src/engine/load.ts';
import { parseSentenceModelMetadata, SentenceReranker, type SentenceModelMetadata, type SentenceScorer } from '../src/model/sentence-reranker.ts';
import { ImeErrorCode } from '../src/util/errors.ts';
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

describe('SentenceReranker', () => {
  const metadata: SentenceModelMetadata = {
    format: 'char-sentence-listwise',
    version: 1,
    specials: { pad: 0, unknown: 1, begin: 2, end: 3 },
    chars: '是时事',
    scale: 1,
    candidates: 8,
    maxLength: 4,
  };
  /** A scorer giving 3 per 时 (id 5) in a row; counts its calls. */
  function likesShi(): SentenceScorer & { calls: number } {
    const f = Object.assign(
      async (ids: Int32Array, lens: Int32Array, n: number, width: number) => {
        f.calls++;
        return Float32Array.from({ length: n }, (_, row) => {
          let s = 0;
          for (let i = 0; i < lens[row]!; i++) if (ids[row * width + i] === 5) s += 3;
          return s;
        });
      },
      { calls: 0 },
    );
    return f;
  }
  const item = (text: string, cost: number): RerankItem => ({ text, cost, words: [{ text, reading: 'shi' }] });
  const items = [item('是', 1), item('时', 2), item('事', 2.5)];

  it('orders by decoder cost − scale × model score', async () => {
    const r = new SentenceReranker(metadata, likesShi());
    expect([...(await r.scores(items.map((x) => x.text)))]).toEqual([0, 3, 0]);
    expect(await r.rerank(items, '')).toEqual([1, 0, 2]);
    r.scale = 0.1;
    expect(await r.rerank(items, '')).toEqual([0, 1, 2]);
    r.scale = 0;
    expect(await r.rerank(items, '')).toEqual([0, 1, 2]);
  });

  it('keeps the decoder order for input read as initials, and reranks a last unfinished syllable', async () => {
    const scorer = likesShi();
    const r = new SentenceReranker(metadata, scorer);
    const read = (text: string, cost: number, reading: string): RerankItem => ({ text, cost, words: [{ text, reading }] });
    expect(await r.rerank([read('是是', 1, "sh'sh"), read('时时', 2, "sh'sh")], '')).toEqual([0, 1]);
    expect(scorer.calls).toBe(0);
    expect(await r.rerank([read('是是', 1, "shi'sh"), read('时时', 2, "shi'sh")], '')).toEqual([1, 0]);
  });

  it('encodes begin, characters (unknown for the rest), end, cut at the maximum length', () => {
    const r = new SentenceReranker(metadata, likesShi());
    expect(r.encode('是x时')).toEqual([2, 4, 1, 5, 3]);
    expect(r.encode('是是是是是是')).toEqual([2, 4, 4, 4, 4, 3]);
    expect(r.encode('')).toEqual([2, 3]);
  });

  it('runs the model once for sentences it has scored already', async () => {
    const scorer = likesShi();
    const r = new SentenceReranker(metadata, scorer);
    await r.rerank(items, '');
    await r.rerank([...items].reverse(), '');
    expect(scorer.calls).toBe(1);
    await r.rerank([item('是时', 1), item('是是', 1)], '');
    expect(scorer.calls).toBe(2);
  });

  it('a model giving the wrong number of scores or NaN fails with MODEL_FAILED', async () => {
    const short = new SentenceReranker(metadata, async () => new Float32Array(1));
    await expect(short.rerank(items, '')).rejects.toMatchObject({ code: ImeErrorCode.ModelFailed });
    const nan = new SentenceReranker(metadata, async (_i, _l, n) => new Float32Array(n).fill(Number.NaN));
    await expect(nan.rerank(items, '')).rejects.toMatchObject({ code: ImeErrorCode.ModelFailed });
  });

  it.each([
    ['no metadata', undefined, 'not a reranker'],
    ['not JSON', '{', 'not JSON'],
    ['another format', JSON.stringify({ ...metadata, format: 'char-window-mlp' }), 'unknown model format'],
    ['a future version', JSON.stringify({ ...metadata, version: 2 }), 'version'],
    ['no vocabulary', JSON.stringify({ ...metadata, chars: '' }), 'vocabulary'],
    ['a negative scale', JSON.stringify({ ...metadata, scale: -1 }), 'scale'],
    ['a huge K', JSON.stringify({ ...metadata, candidates: 1e6 }), 'candidate'],
  ])('metadata with %s is refused with MODEL_FAILED', (_what, json, message) => {
    expect(() => parseSentenceModelMetadata(json, 'm.onnx')).toThrow(expect.objectContaining({ code: ImeErrorCode.ModelFailed, message: expect.stringContaining(message) }));
  });
});
