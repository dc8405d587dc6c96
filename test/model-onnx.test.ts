import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeOnnxModel, readOnnxMetadata } from '../src/model/onnx-format.ts';
import { loadOnnxReranker } from '../src/model/onnx.ts';
import { METADATA_KEY, type SentenceReranker } from '../src/model/sentence-reranker.ts';
import { ImeErrorCode } from '../src/util/errors.ts';
import { ROOT } from '../scripts/lib/node-engine.ts';

const PATH = `${ROOT}models/reranker.onnx`;
const bytes = readFileSync(PATH);
let model: SentenceReranker;
beforeAll(async () => {
  model = await loadOnnxReranker(bytes, { name: 'models/reranker.onnx' });
});
afterAll(() => model?.dispose());

describe('the sentence model in onnxruntime-web (wasm)', () => {
  it('computes the scores PyTorch computed at export (stored in the file)', async () => {
    const { check } = JSON.parse(readOnnxMetadata(bytes)[METADATA_KEY]!) as { check: { texts: string[]; scores: number[] } };
    expect(check.texts.length).toBeGreaterThanOrEqual(4);
    const got = await model.scores(check.texts);
    check.scores.forEach((s, i) => expect(got[i]).toBeCloseTo(s, 3));
  });

  it('scores a sentence the same alone and in a padded batch with longer ones', async () => {
    const alone = await (await loadOnnxReranker(bytes)).scores(['你好']);
    const batch = await (await loadOnnxReranker(bytes)).scores(['今天晚上我们一起去吃火锅吧', '你好', '好']);
    expect(batch[1]).toBeCloseTo(alone[0]!, 4);
  });

  it('letters, unknown characters and empty text do not break it', async () => {
    const scores = await model.scores(['你好abc', '𠀋𠀋', '', 'x'.repeat(500)]);
    expect([...scores].every(Number.isFinite)).toBe(true);
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
    const meta = JSON.parse(readOnnxMetadata(bytes)[METADATA_KEY]!) as Record<string, unknown>;
    const future = encodeOnnxModel({ name: 'x', producer: 't', opset: 13, inputs: [], outputs: [], initializers: [], nodes: [], metadata: { [METADATA_KEY]: JSON.stringify({ ...meta, version: 99 }) } });
    await expect(loadOnnxReranker(future)).rejects.toMatchObject({ code: ImeErrorCode.ModelFailed, message: expect.stringContaining('version') });
    // Right metadata on a graph that is not the model: the runtime's failure is MODEL_FAILED too.
    const wrongGraph = encodeOnnxModel({
      name: 'identity',
      producer: 'test',
      opset: 13,
      metadata: { [METADATA_KEY]: JSON.stringify(meta) },
      inputs: [{ name: 'x', type: 'float', dims: [1] }],
      outputs: [{ name: 'y', type: 'float', dims: [1] }],
      initializers: [],
      nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }],
    });
    await expect(loadOnnxReranker(wrongGraph)).rejects.toMatchObject({ code: ImeErrorCode.ModelFailed });
  });
});
