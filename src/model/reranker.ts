/**
 * The optional second pass over the decoder's best whole-input sentences: a model rescores
 * the top K and may reorder them. Without a model the engine ranks exactly as before
 * ({@link NULL_RERANKER}).
 */

/** A word of a sentence to rescore: its text and the syllables it was read from (`ni'hao`). */
export interface RerankWord {
  readonly text: string;
  readonly reading: string;
}

/** One of the decoder's sentences. */
export interface RerankItem {
  readonly text: string;
  /** The decoder's cost in nats (lower is better). */
  readonly cost: number;
  readonly words: readonly RerankWord[];
}

/** Rescores the decoder's best sentences. */
export interface Reranker {
  /** How many of the decoder's best sentences it wants to see (K); 0 means none. */
  readonly candidates: number;
  /**
   * The new order of `items` (indices into it, best first, each once). `context` is the text
   * already committed before these sentences (may be empty). Rejects with an ImeError
   * MODEL_FAILED when the model cannot run.
   */
  rerank(items: readonly RerankItem[], context: string): Promise<number[]>;
  /** Frees the model. */
  dispose(): Promise<void>;
}

/** The reranker that keeps the decoder's order. */
export const NULL_RERANKER: Reranker = Object.freeze({
  candidates: 0,
  rerank: async (items: readonly RerankItem[]) => items.map((_, i) => i),
  dispose: async () => {},
});

/**
 * A reranker that keeps the decoder's order and remembers the last sentences it was given:
 * how tools (training, tuning) get the engine's K-best list through Session.rankedCandidates.
 */
export function recordingReranker(candidates: number): Reranker & { last: readonly RerankItem[] } {
  const r = {
    candidates,
    last: [] as readonly RerankItem[],
    rerank: async (items: readonly RerankItem[]) => {
      r.last = items;
      return items.map((_, i) => i);
    },
    dispose: async () => {},
  };
  return r;
}

/** Indices of `costs` from lowest to highest; equal costs keep their order. */
export function orderByCost(costs: ArrayLike<number>): number[] {
  return Array.from({ length: costs.length }, (_, i) => i).sort((a, b) => costs[a]! - costs[b]! || a - b);
}
