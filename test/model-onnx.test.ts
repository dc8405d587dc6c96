import { describe, expect, it } from 'vitest';
import { encodeCharMlpModel, METADATA_KEY } from '../src/model/char-mlp-onnx.ts';
import { hiddenOf, initWeights, scoreOf, type CharMlpWeights } from '../src/model/char-mlp.ts';
import { CharVocabulary, writeWindow, type CharVocabularyData } from '../src/model/char-vocabulary.ts';
import { encodeOnnxModel, readOnnxMetadata } from '../src/model/onnx-format.ts';
import { loadOnnxReranker } from '../src/model/onnx.ts';
import type { RerankItem } from '../src/model/reranker.ts';
import { ImeErrorCode } from '../src/util/errors.ts';

const vocabulary: CharVocabularyData = {
  chars: '的是一十不我时式市事',
  homophones: { de: '的', shi: '是十时式市事', yi: '一', bu: '不', wo: '我' },
};

function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

function tinyWeights(): CharMlpWeights {
  const vocab = new CharVocabulary(vocabulary);
  const w = initWeights({ left: 2, right: 1, dim: 4, hidden: 6, vocab: vocab.size }, seeded(7));
  // Make the scores differ clearly between characters.
  w.embedding.forEach((_, i) => (w.embedding[i] = Math.sin(i) * 0.8));
  w.output.forEach((_, i) => (w.output[i] = Math.cos(i * 1.3) * 0.7));
  w.outputBias.forEach((_, i) => (w.outputBias[i] = (i % 5) * 0.3));
  return w;
}

/** The model cost of one sentence computed directly from the weights. */
function referenceCost(w: CharMlpWeights, text: string, syllables: string[], context: string): number {
  const vocab = new CharVocabulary(vocabulary);
  const ids = Int32Array.from([...text], (ch) => vocab.id(ch));
  const before = [...context].map((ch) => vocab.id(ch));
  const window = new Int32Array(w.shape.left + w.shape.right);
  const x = new Float32Array(window.length * w.shape.dim);
  const h = new Float32Array(w.shape.hidden);
  let cost = 0;
  syllables.forEach((syl, i) => {
    const set = [...vocab.competitors(syl)];
    if (set.length < 2) return;
    writeWindow(ids, i, w.shape.left, w.shape.right, before, window, 0);
    hiddenOf(w, window, 0, x, h);
    const scores = set.map((id) => scoreOf(w, h, id));
    const max = Math.max(...scores);
    const logZ = max + Math.log(scores.reduce((a, s) => a + Math.exp(s - max), 0));
    cost += logZ - scoreOf(w, h, ids[i]!);
  });
  return cost;
}

describe('ONNX export of the character model', () => {
  it('stores its metadata where the loader finds it', () => {
    const bytes = encodeCharMlpModel(tinyWeights(), { vocabulary, weight: 0.4, candidates: 9 });
    const meta = JSON.parse(readOnnxMetadata(bytes)[METADATA_KEY]!);
    expect(meta).toMatchObject({ left: 2, right: 1, weight: 0.4, candidates: 9, vocabulary });
  });

  it('onnxruntime-web computes the same costs as the TypeScript reference', async () => {
    const w = tinyWeights();
    const reranker = await loadOnnxReranker(encodeCharMlpModel(w, { vocabulary, weight: 1, candidates: 8 }));
    const items: RerankItem[] = [
      { text: '我是不是', cost: 10, words: [{ text: '我', reading: 'wo' }, { text: '是不是', reading: "shi'bu'shi" }] },
      { text: '我时不事', cost: 11, words: [{ text: '我时', reading: "wo'shi" }, { text: '不事', reading: "bu'shi" }] },
      { text: '十一', cost: 12, words: [{ text: '十一', reading: "shi'yi" }] },
    ];
    for (const context of ['', '的是', '。']) {
      const costs = await reranker.modelCosts(items, context);
      const ctx = context === '。' ? '' : context;
      expect(costs[0]).toBeCloseTo(referenceCost(w, '我是不是', ['wo', 'shi', 'bu', 'shi'], ctx), 4);
      expect(costs[1]).toBeCloseTo(referenceCost(w, '我时不事', ['wo', 'shi', 'bu', 'shi'], ctx), 4);
      expect(costs[2]).toBeCloseTo(referenceCost(w, '十一', ['shi', 'yi'], ctx), 4);
      expect(costs[0]).toBeGreaterThan(0);
    }
    await reranker.dispose();
  });

  it('scores an initial over every character of the syllables it starts', async () => {
    const w = tinyWeights();
    const reranker = await loadOnnxReranker(encodeCharMlpModel(w, { vocabulary, weight: 1, candidates: 8 }));
    const initial: RerankItem = { text: '我是', cost: 0, words: [{ text: '我是', reading: "wo'sh" }] };
    const full: RerankItem = { text: '我是', cost: 0, words: [{ text: '我是', reading: "wo'shi" }] };
    const [a, b] = await reranker.modelCosts([initial, full], '');
    // 'sh' covers exactly the 'shi' characters here, so both are scored over the same set.
    expect(a).toBeCloseTo(b!, 6);
    await reranker.dispose();
  });

  it('refuses files that are not reranker models with MODEL_FAILED', async () => {
    await expect(loadOnnxReranker(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]))).rejects.toMatchObject({ code: ImeErrorCode.ModelFailed });
    const plain = encodeOnnxModel({
      name: 'identity',
      producer: 'test',
      opset: 13,
      metadata: {},
      inputs: [{ name: 'x', type: 'float', dims: [1] }],
      outputs: [{ name: 'y', type: 'float', dims: [1] }],
      initializers: [],
      nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }],
    });
    await expect(loadOnnxReranker(plain)).rejects.toMatchObject({ code: ImeErrorCode.ModelFailed, message: expect.stringContaining('not a reranker') });
    const future = encodeOnnxModel({ name: 'x', producer: 't', opset: 13, inputs: [], outputs: [], initializers: [], nodes: [], metadata: { [METADATA_KEY]: JSON.stringify({ format: 'char-window-mlp', version: 99 }) } });
    await expect(loadOnnxReranker(future)).rejects.toMatchObject({ code: ImeErrorCode.ModelFailed, message: expect.stringContaining('version') });
  });
});
