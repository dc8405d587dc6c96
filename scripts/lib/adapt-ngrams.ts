import { KEY, type CorpusCounts } from './corpus-ngrams.ts';
import type { RawNGrams } from './prune-ngrams.ts';
import { backoffLookups } from './backoff-lookups.ts';

/** How the corpus model is mixed into the open-gram model. */
export interface AdaptOptions {
  /** Weight of the open-gram model for unigrams, bigrams, trigrams (the corpus gets 1 - weight). */
  lambda: [number, number, number];
  /** Absolute discount of the corpus model. */
  discount: number;
  /** Corpus n-grams seen fewer times than this are not added as explicit entries. */
  minCount: number;
}

/**
 * Linear interpolation of the open-gram back-off model with an absolute-discounting model of
 * the corpus counts, written back as a back-off model: every n-gram explicit in either model
 * gets the mixed probability; back-off weights keep the open-gram's, scaled by the mixing
 * weight, so unseen events lose the same share as seen ones.
 */
export function adaptNGrams(
  raw: RawNGrams,
  unigramCost: Float32Array,
  unigramBackoff: Float32Array,
  counts: CorpusCounts,
  o: AdaptOptions,
): { raw: RawNGrams; unigramCost: Float32Array; unigramBackoff: Float32Array } {
  const V = unigramCost.length;
  const [l1, l2, l3] = o.lambda;
  const D = o.discount;
  const N = counts.tokens;
  const pcUni = (w: number) => (counts.uni.get(w) ?? 0) / N;
  const newUniCost = new Float32Array(V);
  for (let w = 0; w < V; w++) newUniCost[w] = -Math.log(l1 * Math.exp(-unigramCost[w]!) + (1 - l1) * pcUni(w));
  const newUniBow = unigramBackoff.map((b) => b - Math.log(l2));

  // History totals and distinct-successor counts of the corpus.
  const histTotal = new Map<number, number>();
  const histTypes = new Map<number, number>();
  for (const [k, c] of counts.bi) {
    const h = Math.floor(k / KEY);
    histTotal.set(h, (histTotal.get(h) ?? 0) + c);
    histTypes.set(h, (histTypes.get(h) ?? 0) + 1);
  }
  const pcBi = (h: number, w: number) => {
    const total = histTotal.get(h);
    if (!total) return pcUni(w);
    const c = counts.bi.get(h * KEY + w) ?? 0;
    return (Math.max(c - D, 0) + D * histTypes.get(h)! * pcUni(w)) / total;
  };
  const pcTri = (h1: number, h2: number, w: number) => {
    const inner = counts.tri.get(h1 * KEY + h2);
    if (!inner) return pcBi(h2, w);
    let total = 0;
    for (const c of inner.values()) total += c;
    const c = inner.get(w) ?? 0;
    return (Math.max(c - D, 0) + D * inner.size * pcBi(h2, w)) / total;
  };

  const og = backoffLookups({ raw, unigramCost, unigramBackoff });

  const biKeys = new Set<number>(og.bi.keys());
  for (const [k, c] of counts.bi) if (c >= o.minCount) biKeys.add(k);
  const bi: number[][] = [];
  for (const k of biKeys) {
    const h = Math.floor(k / KEY);
    const w = k - h * KEY;
    const p = l2 * Math.exp(-og.biCost(h, w)) + (1 - l2) * pcBi(h, w);
    const bow = (og.bi.get(k)?.bow ?? 0) - Math.log(l3);
    bi.push([h, w, -Math.log(p), bow]);
  }
  bi.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);

  const triKeys = new Map<number, Set<number>>();
  for (const [h, inner] of og.tri) triKeys.set(h, new Set(inner.keys()));
  for (const [h, inner] of counts.tri) {
    for (const [w, c] of inner) {
      if (c < o.minCount || !biKeys.has(h)) continue;
      let s = triKeys.get(h);
      if (!s) triKeys.set(h, (s = new Set()));
      s.add(w);
    }
  }
  const tri: number[][] = [];
  for (const [h, ws] of triKeys) {
    const h1 = Math.floor(h / KEY);
    const h2 = h - h1 * KEY;
    for (const w of ws) {
      const p = l3 * Math.exp(-og.triCost(h1, h2, w)) + (1 - l3) * pcTri(h1, h2, w);
      tri.push([h1, h2, w, -Math.log(p)]);
    }
  }
  tri.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!);
  return { raw: { uni: raw.uni, bi, tri }, unigramCost: newUniCost, unigramBackoff: newUniBow };
}
