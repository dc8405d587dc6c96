/**
 * The character window MLP as an ONNX graph, and the metadata its file carries.
 *
 * Inputs:  `windows` int32 [N, left + right]: the character ids around each scored position;
 *          `targets` int32 [T]: character ids to score;
 *          `rows`    int32 [T]: for each target, the window (0 … N-1) it is scored in.
 * Output:  `scores`  float [T]: unnormalised log-scores (normalise over a syllable's set).
 */
import { ImeError, ImeErrorCode } from '../util/errors.ts';
import type { CharVocabularyData } from './char-vocabulary.ts';
import { windowSize, type CharMlpWeights } from './char-mlp.ts';
import { encodeOnnxModel, type OnnxModel } from './onnx-format.ts';

/** Metadata key holding {@link CharModelMetadata} as JSON. */
export const METADATA_KEY = 'hanzi-ime.reranker';
const FORMAT = 'char-window-mlp';
const VERSION = 1;

/** What the model file says about itself besides the graph. */
export interface CharModelMetadata {
  readonly vocabulary: CharVocabularyData;
  /** Weight of the model's cost (nats) added to the n-gram cost, tuned on the dev sets. */
  readonly weight: number;
  /** Sentences reranked (K). */
  readonly candidates: number;
}

/** The metadata plus the window shape, as stored. */
export interface StoredCharModelMetadata extends CharModelMetadata {
  readonly format: string;
  readonly version: number;
  readonly left: number;
  readonly right: number;
}

/** Builds the .onnx bytes for `weights` and `metadata`. */
export function encodeCharMlpModel(weights: CharMlpWeights, metadata: CharModelMetadata): Uint8Array {
  const { vocab, dim, hidden, left, right } = weights.shape;
  const width = windowSize(weights.shape);
  const stored: StoredCharModelMetadata = { format: FORMAT, version: VERSION, left, right, ...metadata };
  const model: OnnxModel = {
    name: 'hanzi-ime-reranker',
    producer: 'hanzi-ime scripts/train-reranker.ts',
    opset: 13,
    metadata: { [METADATA_KEY]: JSON.stringify(stored) },
    inputs: [
      { name: 'windows', type: 'int32', dims: ['N', width] },
      { name: 'targets', type: 'int32', dims: ['T'] },
      { name: 'rows', type: 'int32', dims: ['T'] },
    ],
    outputs: [{ name: 'scores', type: 'float', dims: ['T'] }],
    initializers: [
      { name: 'embedding', type: 'float', dims: [vocab, dim], data: weights.embedding },
      { name: 'w1', type: 'float', dims: [width * dim, hidden], data: weights.w1 },
      { name: 'b1', type: 'float', dims: [hidden], data: weights.b1 },
      { name: 'output', type: 'float', dims: [vocab, hidden], data: weights.output },
      { name: 'output_bias', type: 'float', dims: [vocab], data: weights.outputBias },
      { name: 'flat_shape', type: 'int64', dims: [2], data: BigInt64Array.from([-1n, BigInt(width * dim)]) },
      { name: 'sum_axes', type: 'int64', dims: [1], data: BigInt64Array.from([1n]) },
    ],
    nodes: [
      { op: 'Gather', inputs: ['embedding', 'windows'], outputs: ['embedded'], attributes: { axis: 0 } },
      { op: 'Reshape', inputs: ['embedded', 'flat_shape'], outputs: ['x'] },
      { op: 'MatMul', inputs: ['x', 'w1'], outputs: ['xw'] },
      { op: 'Add', inputs: ['xw', 'b1'], outputs: ['pre'] },
      { op: 'Tanh', inputs: ['pre'], outputs: ['h'] },
      { op: 'Gather', inputs: ['h', 'rows'], outputs: ['h_rows'], attributes: { axis: 0 } },
      { op: 'Gather', inputs: ['output', 'targets'], outputs: ['out_rows'], attributes: { axis: 0 } },
      { op: 'Mul', inputs: ['h_rows', 'out_rows'], outputs: ['products'] },
      { op: 'ReduceSum', inputs: ['products', 'sum_axes'], outputs: ['dots'], attributes: { keepdims: 0 } },
      { op: 'Gather', inputs: ['output_bias', 'targets'], outputs: ['biases'], attributes: { axis: 0 } },
      { op: 'Add', inputs: ['dots', 'biases'], outputs: ['scores'] },
    ],
  };
  return encodeOnnxModel(model);
}

/** Parses and checks the stored metadata; throws {@link ImeError} MODEL_FAILED if unusable. */
export function parseCharModelMetadata(json: string | undefined, name: string): StoredCharModelMetadata {
  const fail = (why: string) => new ImeError(ImeErrorCode.ModelFailed, `${name}: ${why}`);
  if (json === undefined) throw fail(`no "${METADATA_KEY}" metadata: not a reranker model`);
  let m: StoredCharModelMetadata;
  try {
    m = JSON.parse(json) as StoredCharModelMetadata;
  } catch (e) {
    throw new ImeError(ImeErrorCode.ModelFailed, `${name}: metadata is not JSON`, { cause: e });
  }
  if (m.format !== FORMAT) throw fail(`unknown model format ${String(m.format)}`);
  if (m.version !== VERSION) throw fail(`unsupported model version ${String(m.version)}`);
  const count = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
  if (!count(m.left) || !count(m.right) || !count(m.candidates) || !Number.isFinite(m.weight)) {
    throw fail('bad window, weight or candidate count');
  }
  if (typeof m.vocabulary?.chars !== 'string' || typeof m.vocabulary.homophones !== 'object') throw fail('bad vocabulary');
  return m;
}
