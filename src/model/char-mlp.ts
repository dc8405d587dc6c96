/**
 * The reranking model's network, in plain typed arrays: a window of neighbouring characters
 * (embedded, concatenated) goes through one tanh layer; a character's score is the dot
 * product of that hidden vector with the character's output vector plus its bias. Scores
 * are normalised only over the characters sharing the syllable (see {@link CharVocabulary}).
 *
 * This is the reference the training script learns and the ONNX graph reproduces.
 */

/** Sizes of the network. */
export interface CharMlpShape {
  /** Characters read before the scored one. */
  readonly left: number;
  /** Characters read after it. */
  readonly right: number;
  /** Embedding size per character. */
  readonly dim: number;
  /** Hidden units. */
  readonly hidden: number;
  /** Number of ids (specials and characters). */
  readonly vocab: number;
}

/** Parameters, row-major. */
export interface CharMlpWeights {
  readonly shape: CharMlpShape;
  /** [vocab, dim] input embeddings. */
  readonly embedding: Float32Array;
  /** [(left + right) * dim, hidden]. */
  readonly w1: Float32Array;
  /** [hidden]. */
  readonly b1: Float32Array;
  /** [vocab, hidden] output vectors. */
  readonly output: Float32Array;
  /** [vocab] output biases. */
  readonly outputBias: Float32Array;
}

/** Characters in a window. */
export function windowSize(shape: CharMlpShape): number {
  return shape.left + shape.right;
}

/** Fresh small random weights (deterministic for a given `random`). */
export function initWeights(shape: CharMlpShape, random: () => number): CharMlpWeights {
  const inputs = windowSize(shape) * shape.dim;
  const uniform = (n: number, scale: number) => Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale);
  return {
    shape,
    embedding: uniform(shape.vocab * shape.dim, 0.1),
    w1: uniform(inputs * shape.hidden, Math.sqrt(6 / (inputs + shape.hidden))),
    b1: new Float32Array(shape.hidden),
    output: uniform(shape.vocab * shape.hidden, 0.01),
    outputBias: new Float32Array(shape.vocab),
  };
}

/**
 * Hidden vector for the window `ids[offset … offset + windowSize)`; writes the concatenated
 * embeddings into `x` and tanh activations into `h`.
 */
export function hiddenOf(w: CharMlpWeights, ids: Int32Array, offset: number, x: Float32Array, h: Float32Array): void {
  const { dim, hidden } = w.shape;
  const n = windowSize(w.shape);
  for (let k = 0; k < n; k++) x.set(w.embedding.subarray(ids[offset + k]! * dim, (ids[offset + k]! + 1) * dim), k * dim);
  const inputs = n * dim;
  h.set(w.b1);
  for (let i = 0; i < inputs; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const row = i * hidden;
    for (let j = 0; j < hidden; j++) h[j]! += xi * w.w1[row + j]!;
  }
  for (let j = 0; j < hidden; j++) h[j] = Math.tanh(h[j]!);
}

/** Unnormalised score of character `id` given hidden vector `h`. */
export function scoreOf(w: CharMlpWeights, h: Float32Array, id: number): number {
  const hidden = w.shape.hidden;
  const row = id * hidden;
  let s = w.outputBias[id]!;
  for (let j = 0; j < hidden; j++) s += h[j]! * w.output[row + j]!;
  return s;
}
