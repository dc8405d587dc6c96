import type { NGramTables } from '../../src/lm/ngram-writer.ts';

/** The pruned tables, as writeNGram takes them. */
export type PrunedTables = Pick<
  NGramTables,
  'bigramW1' | 'bigramW2' | 'bigramCost' | 'bigramBackoff' | 'trigramW1' | 'trigramW2' | 'trigramW3' | 'trigramCost'
>;

/** Smallest share of probability mass left for backing off (guards rounding overshoot). */
const MIN_LEFTOVER = 1e-4;

/**
 * Recomputes every back-off weight so each history's distribution sums to one again after
 * mixing and pruning (the standard ARPA identity): bow(h) = (1 − Σ explicit p(w|h)) /
 * (1 − Σ p_lower(w|h') over the same w). Histories with no explicit continuation get weight 1.
 * Mutates `unigramBackoff` and `t.bigramBackoff`.
 */
export function renormalizeBackoffs(unigramCost: Float32Array, unigramBackoff: Float32Array, t: PrunedTables): void {
  const V = unigramCost.length;
  const pUni = (w: number) => Math.exp(-unigramCost[w]!);
  // Unigram histories.
  const explicit = new Float64Array(V);
  const lower = new Float64Array(V);
  const hasBigram = new Uint8Array(V);
  for (let i = 0; i < t.bigramW1.length; i++) {
    const h = t.bigramW1[i]!;
    hasBigram[h] = 1;
    explicit[h] = explicit[h]! + Math.exp(-t.bigramCost[i]!);
    lower[h] = lower[h]! + pUni(t.bigramW2[i]!);
  }
  for (let h = 0; h < V; h++) {
    unigramBackoff[h] = hasBigram[h] ? -Math.log(leftover(explicit[h]!) / leftover(lower[h]!)) : 0;
  }
  // Bigram histories: p_lower(w | h2) is the bigram (explicit, or backed off to the unigram).
  const bigramIndex = new Map<number, number>();
  const key = (a: number, b: number) => a * 1048576 + b;
  for (let i = 0; i < t.bigramW1.length; i++) bigramIndex.set(key(t.bigramW1[i]!, t.bigramW2[i]!), i);
  const pBi = (h: number, w: number) => {
    const i = bigramIndex.get(key(h, w));
    return i === undefined ? Math.exp(-unigramBackoff[h]!) * pUni(w) : Math.exp(-t.bigramCost[i]!);
  };
  t.bigramBackoff.fill(0);
  let k = 0;
  const nt = t.trigramW1.length;
  while (k < nt) {
    const h1 = t.trigramW1[k]!;
    const h2 = t.trigramW2[k]!;
    let e = 0;
    let l = 0;
    while (k < nt && t.trigramW1[k] === h1 && t.trigramW2[k] === h2) {
      e += Math.exp(-t.trigramCost[k]!);
      l += pBi(h2, t.trigramW3[k]!);
      k++;
    }
    const b = bigramIndex.get(key(h1, h2));
    if (b !== undefined) t.bigramBackoff[b] = -Math.log(leftover(e) / leftover(l));
  }
}

function leftover(sum: number): number {
  return Math.max(MIN_LEFTOVER, 1 - sum);
}
