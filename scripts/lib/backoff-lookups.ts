import { KEY } from './corpus-ngrams.ts';
import type { RawNGrams } from './prune-ngrams.ts';

/** A back-off trigram model over the build's word ids; every cost in nats (−ln). */
export interface BackoffTables {
  raw: RawNGrams;
  /** −ln P(w) for every word id. */
  unigramCost: Float32Array;
  /** −ln(back-off weight) of every word id as a one-word history. */
  unigramBackoff: Float32Array;
}

/** The explicit n-grams of a back-off model by key (w1·2^20 + w2), and its costs with back-off. */
export interface BackoffLookups {
  bi: Map<number, { cost: number; bow: number }>;
  tri: Map<number, Map<number, number>>;
  biCost(h: number, w: number): number;
  triCost(h1: number, h2: number, w: number): number;
}

/** Indexes a model's bigrams and trigrams for look-up (used to mix and to adapt models). */
export function backoffLookups(t: BackoffTables): BackoffLookups {
  const bi = new Map<number, { cost: number; bow: number }>();
  for (const [w1, w2, cost, bow] of t.raw.bi) bi.set(w1! * KEY + w2!, { cost: cost!, bow: bow! });
  const tri = new Map<number, Map<number, number>>();
  for (const [w1, w2, w3, cost] of t.raw.tri) {
    const h = w1! * KEY + w2!;
    let inner = tri.get(h);
    if (!inner) tri.set(h, (inner = new Map()));
    inner.set(w3!, cost!);
  }
  const biCost = (h: number, w: number) => bi.get(h * KEY + w)?.cost ?? t.unigramBackoff[h]! + t.unigramCost[w]!;
  const triCost = (h1: number, h2: number, w: number) =>
    tri.get(h1 * KEY + h2)?.get(w) ?? (bi.get(h1 * KEY + h2)?.bow ?? 0) + biCost(h2, w);
  return { bi, tri, biCost, triCost };
}
