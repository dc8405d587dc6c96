import type { PrunedTables } from './renormalize.ts';

/** The vocabulary and model tables under new word ids (see {@link renumberByCost}). */
export interface Renumbered {
  /** New id of every old id. */
  newId: Uint32Array;
  vocabulary: string[];
  unigramCost: Float32Array;
  unigramBackoff: Float32Array;
  /** The n-grams under the new ids, sorted again by (w1, w2) and (w1, w2, w3). */
  ngrams: PrunedTables;
}

/**
 * Gives the likeliest words the smallest ids: word 0 (the sentence boundary) stays 0, the rest
 * follow by unigram cost, ties by old id (so the build stays reproducible). The n-gram file
 * gap-codes its id runs (src/lm/FORMAT.md): in this order most gaps are small, and the bigram
 * ids deflate to a quarter less than in the source's order.
 */
export function renumberByCost(
  vocabulary: readonly string[],
  unigramCost: Float32Array,
  unigramBackoff: Float32Array,
  t: PrunedTables,
): Renumbered {
  const V = vocabulary.length;
  const order = Array.from({ length: V }, (_, i) => i);
  order.sort((a, b) => (a === 0 ? -1 : b === 0 ? 1 : unigramCost[a]! - unigramCost[b]! || a - b));
  const newId = new Uint32Array(V);
  order.forEach((old, i) => (newId[old] = i));
  const permute = (a: Float32Array) => Float32Array.from(order, (old) => a[old]!);

  const nb = t.bigramW1.length;
  const bw1 = t.bigramW1.map((w) => newId[w]!);
  const bw2 = t.bigramW2.map((w) => newId[w]!);
  const bigrams = Array.from({ length: nb }, (_, i) => i).sort((a, b) => bw1[a]! - bw1[b]! || bw2[a]! - bw2[b]!);
  const nt = t.trigramW1.length;
  const tw1 = t.trigramW1.map((w) => newId[w]!);
  const tw2 = t.trigramW2.map((w) => newId[w]!);
  const tw3 = t.trigramW3.map((w) => newId[w]!);
  const trigrams = Array.from({ length: nt }, (_, i) => i).sort(
    (a, b) => tw1[a]! - tw1[b]! || tw2[a]! - tw2[b]! || tw3[a]! - tw3[b]!,
  );
  const pick = <A extends Uint32Array | Float32Array>(a: A, idx: number[]): A => {
    const out = new (a.constructor as new (n: number) => A)(idx.length);
    idx.forEach((k, i) => (out[i] = a[k]!));
    return out;
  };
  return {
    newId,
    vocabulary: order.map((old) => vocabulary[old]!),
    unigramCost: permute(unigramCost),
    unigramBackoff: permute(unigramBackoff),
    ngrams: {
      bigramW1: pick(bw1, bigrams),
      bigramW2: pick(bw2, bigrams),
      bigramCost: pick(t.bigramCost, bigrams),
      bigramBackoff: pick(t.bigramBackoff, bigrams),
      trigramW1: pick(tw1, trigrams),
      trigramW2: pick(tw2, trigrams),
      trigramW3: pick(tw3, trigrams),
      trigramCost: pick(t.trigramCost, trigrams),
    },
  };
}
