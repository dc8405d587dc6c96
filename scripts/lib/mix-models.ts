import { KEY } from './corpus-ngrams.ts';
import { backoffLookups, type BackoffTables } from './backoff-lookups.ts';

/** −ln(a·e^−x + (1 − a)·e^−y): the cost of a two-way mixture. */
function mixCost(a: number, x: number, y: number): number {
  return -Math.log(a * Math.exp(-x) + (1 - a) * Math.exp(-y));
}

/**
 * Linear interpolation of two back-off models, written back as one back-off model: every
 * n-gram explicit in either model gets weightA·P_A + (1 − weightA)·P_B, each side backing off
 * where it has no entry. Back-off weights are mixed the same way as a first estimate (the
 * build renormalises them after pruning). Ids must be below 2^20.
 */
export function mixBackoffModels(a: BackoffTables, b: BackoffTables, weightA: number): BackoffTables {
  const V = a.unigramCost.length;
  if (b.unigramCost.length !== V) throw new Error('mixBackoffModels: the models must share one vocabulary');
  const unigramCost = new Float32Array(V);
  const unigramBackoff = new Float32Array(V);
  for (let w = 0; w < V; w++) {
    unigramCost[w] = mixCost(weightA, a.unigramCost[w]!, b.unigramCost[w]!);
    unigramBackoff[w] = mixCost(weightA, a.unigramBackoff[w]!, b.unigramBackoff[w]!);
  }

  const [sa, sb] = [backoffLookups(a), backoffLookups(b)];
  const bi: number[][] = [];
  const biKeys = new Set<number>([...sa.bi.keys(), ...sb.bi.keys()]);
  for (const k of biKeys) {
    const h = Math.floor(k / KEY);
    const w = k - h * KEY;
    const bowA = sa.bi.get(k)?.bow ?? 0;
    const bowB = sb.bi.get(k)?.bow ?? 0;
    bi.push([h, w, mixCost(weightA, sa.biCost(h, w), sb.biCost(h, w)), mixCost(weightA, bowA, bowB)]);
  }
  bi.sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!);

  const tri: number[][] = [];
  const triHistories = new Set<number>([...sa.tri.keys(), ...sb.tri.keys()]);
  for (const h of triHistories) {
    const h1 = Math.floor(h / KEY);
    const h2 = h - h1 * KEY;
    const ws = new Set<number>([...(sa.tri.get(h)?.keys() ?? []), ...(sb.tri.get(h)?.keys() ?? [])]);
    for (const w of ws) tri.push([h1, h2, w, mixCost(weightA, sa.triCost(h1, h2, w), sb.triCost(h1, h2, w))]);
  }
  tri.sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!);
  return { raw: { uni: a.raw.uni, bi, tri }, unigramCost, unigramBackoff };
}
