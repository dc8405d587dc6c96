import { readFileSync } from 'node:fs';

/** Counts of n-grams over word ids, from segmented corpus text. */
export interface CorpusCounts {
  uni: Map<number, number>;
  /** key w1 * KEY + w2 */
  bi: Map<number, number>;
  /** key (w1 * KEY + w2) -> w3 -> count */
  tri: Map<number, Map<number, number>>;
  tokens: number;
}

export const KEY = 1 << 20;
const HAN_RUN = /\p{Script=Han}+/gu;
const MAX_WORD_CHARS = 12;

/** A corpus file whose counts are multiplied by `scale` (a genre's share within a pool). */
export interface CorpusFile {
  readonly path: string;
  readonly scale: number;
}

/**
 * Which lines of a corpus file are counted: all of them, or a jackknife fold left out
 * (line index modulo `folds` equal to `heldOut`), so the text of that fold can be decoded
 * with a model that has not seen it.
 */
export interface LineFilter {
  readonly folds: number;
  readonly heldOut: number;
}

/** True when line `index` (0-based, per file) is counted under `filter`. */
export function lineCounted(index: number, filter: LineFilter | undefined): boolean {
  return !filter || index % filter.folds !== filter.heldOut;
}

/**
 * Segments every clause of the corpus files into vocabulary words (maximum unigram
 * probability, dynamic programming) and counts unigrams, bigrams and trigrams, with the
 * boundary id at both ends of each clause. A clause is a run of Han characters.
 */
export function countCorpus(
  files: readonly (string | CorpusFile)[],
  idOf: ReadonlyMap<string, number>,
  unigramCost: Float32Array,
  boundary: number,
  filter?: LineFilter,
): CorpusCounts {
  const counts: CorpusCounts = { uni: new Map(), bi: new Map(), tri: new Map(), tokens: 0 };
  let scale = 1;
  const add = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + scale);
  for (const entry of files) {
    const file = typeof entry === 'string' ? entry : entry.path;
    scale = typeof entry === 'string' ? 1 : entry.scale;
    const lines = readFileSync(file, 'utf8').split('\n');
    const text = lines.filter((_, i) => lineCounted(i, filter)).join('\n');
    for (const m of text.matchAll(HAN_RUN)) {
      const words = segment(m[0], idOf, unigramCost);
      if (!words) continue;
      const seq = [boundary, ...words, boundary];
      for (let i = 1; i < seq.length; i++) {
        add(counts.uni, seq[i]!);
        counts.tokens += scale;
        add(counts.bi, seq[i - 1]! * KEY + seq[i]!);
        if (i >= 2) {
          const h = seq[i - 2]! * KEY + seq[i - 1]!;
          let inner = counts.tri.get(h);
          if (!inner) counts.tri.set(h, (inner = new Map()));
          add(inner, seq[i]!);
        }
      }
    }
  }
  return counts;
}

function segment(run: string, idOf: ReadonlyMap<string, number>, cost: Float32Array): number[] | undefined {
  const chars = [...run];
  const n = chars.length;
  const best = new Float64Array(n + 1).fill(Infinity);
  const back = new Int32Array(n + 1);
  const word = new Int32Array(n + 1);
  best[0] = 0;
  for (let i = 0; i < n; i++) {
    if (best[i] === Infinity) continue;
    let s = '';
    for (let len = 1; len <= MAX_WORD_CHARS && i + len <= n; len++) {
      s += chars[i + len - 1];
      const id = idOf.get(s);
      if (id === undefined) continue;
      const c = best[i]! + cost[id]!;
      if (c < best[i + len]!) {
        best[i + len] = c;
        back[i + len] = i;
        word[i + len] = id;
      }
    }
  }
  if (best[n] === Infinity) return undefined;
  const out: number[] = [];
  for (let j = n; j > 0; j = back[j]!) out.push(word[j]!);
  return out.reverse();
}
