/** N-grams as parsed from the tslminfo dump: [w1, w2, cost, bow] and [w1, w2, w3, cost]. */
export interface RawNGrams {
  uni: Map<number, { cost: number; bow: number }>;
  bi: number[][];
  tri: number[][];
}

const KEY = 1 << 20;

/**
 * Relative-entropy pruning (after Stolcke 1998, simplified: back-off weights are not
 * re-normalised). Each n-gram is scored by how much probability mass moves if it is dropped
 * and the model backs off instead, weighted by how often its history occurs; the highest
 * `maxBigrams` / `maxTrigrams` survive. A bigram that is the history of a kept trigram stays.
 */
export function pruneNGrams(
  raw: RawNGrams,
  unigramCost: Float32Array,
  unigramBackoff: Float32Array,
  maxBigrams: number,
  maxTrigrams: number,
) {
  const uni = (w: number) => unigramCost[w]!;
  const ubow = (w: number) => unigramBackoff[w]!;
  const biCost = new Map<number, number>();
  const biBow = new Map<number, number>();
  for (const [w1, w2, c, b] of raw.bi) {
    biCost.set(w1! * KEY + w2!, c!);
    biBow.set(w1! * KEY + w2!, b!);
  }
  const bigramOrBackoff = (h: number, w: number) => biCost.get(h * KEY + w) ?? ubow(h) + uni(w);

  const triScores = raw.tri.map(([h1, h2, w, c], i) => {
    const hc = biCost.get(h1! * KEY + h2!) ?? ubow(h1!) + uni(h2!);
    const backoff = (biBow.get(h1! * KEY + h2!) ?? 0) + bigramOrBackoff(h2!, w!);
    const loss = Math.exp(-uni(h1!) - hc - c!) * (backoff - c!);
    return { i, loss };
  });
  const keptTri = new Set(topIndices(triScores, maxTrigrams));
  const needed = new Set<number>();
  for (const i of keptTri) {
    const [h1, h2] = raw.tri[i]!;
    needed.add(h1! * KEY + h2!);
  }
  const biScores = raw.bi.map(([h, w, c], i) => {
    const loss = needed.has(h! * KEY + w!) ? Infinity : Math.exp(-uni(h!) - c!) * (ubow(h!) + uni(w!) - c!);
    return { i, loss };
  });
  const keptBi = new Set(topIndices(biScores, Math.max(maxBigrams, needed.size)));

  const bis = raw.bi.filter((_, i) => keptBi.has(i));
  const tris = raw.tri.filter((_, i) => keptTri.has(i));
  return {
    bigramW1: Uint32Array.from(bis, (r) => r[0]!),
    bigramW2: Uint32Array.from(bis, (r) => r[1]!),
    bigramCost: Float32Array.from(bis, (r) => r[2]!),
    bigramBackoff: Float32Array.from(bis, (r) => r[3]!),
    trigramW1: Uint32Array.from(tris, (r) => r[0]!),
    trigramW2: Uint32Array.from(tris, (r) => r[1]!),
    trigramW3: Uint32Array.from(tris, (r) => r[2]!),
    trigramCost: Float32Array.from(tris, (r) => r[3]!),
  };
}

function topIndices(scores: { i: number; loss: number }[], n: number): number[] {
  if (scores.length <= n) return scores.map((s) => s.i);
  return [...scores].sort((a, b) => b.loss - a.loss).slice(0, n).map((s) => s.i);
}
