import { writeContainer } from '../util/container.ts';
import { VarintWriter } from '../util/varint.ts';
import { NGRAM_MAGIC, NGRAM_VERSION, type NGramMeta } from './ngram-format.ts';
import { buildCodebook, quantize } from './quantize.ts';

/** An n-gram model in plain arrays, as the data build produces it. */
export interface NGramTables {
  /** Unigram cost (-ln p) and back-off weight (-ln bow) for every word id. */
  unigramCost: Float32Array;
  unigramBackoff: Float32Array;
  /** Bigrams sorted by (w1, w2). */
  bigramW1: Uint32Array;
  bigramW2: Uint32Array;
  bigramCost: Float32Array;
  bigramBackoff: Float32Array;
  /** Trigrams sorted by (w1, w2, w3); every (w1, w2) must be a bigram. */
  trigramW1: Uint32Array;
  trigramW2: Uint32Array;
  trigramW3: Uint32Array;
  trigramCost: Float32Array;
  boundaryId: number;
  source: string;
}

/** Serialises an n-gram model to the compact container format (FORMAT.md). */
export function writeNGram(t: NGramTables): Uint8Array {
  const V = t.unigramCost.length;
  const nb = t.bigramW1.length;
  const nt = t.trigramW1.length;

  const uniBigramCount = new VarintWriter();
  const bigramW2 = new VarintWriter();
  let b = 0;
  for (let w = 0; w < V; w++) {
    const start = b;
    let prev = 0;
    while (b < nb && t.bigramW1[b] === w) {
      const w2 = t.bigramW2[b]!;
      if (b > start && w2 <= prev) throw new Error(`bigrams not sorted at ${b}`);
      bigramW2.write(w2 - prev);
      prev = w2;
      b++;
    }
    uniBigramCount.write(b - start);
  }
  if (b !== nb) throw new Error('bigrams not sorted by w1 or w1 out of range');

  // Only bigrams that have trigrams (history bigrams) store a trigram count and a back-off
  // weight; every other bigram backs off with weight 1 (exact after renormalisation).
  const historyIndex = new VarintWriter();
  const historyBows: number[] = [];
  const trigramW3 = new VarintWriter();
  let k = 0;
  let lastHistory = 0;
  for (let i = 0; i < nb; i++) {
    const start = k;
    let prev = 0;
    while (k < nt && t.trigramW1[k] === t.bigramW1[i] && t.trigramW2[k] === t.bigramW2[i]) {
      const w3 = t.trigramW3[k]!;
      if (k > start && w3 <= prev) throw new Error(`trigrams not sorted at ${k}`);
      trigramW3.write(w3 - prev);
      prev = w3;
      k++;
    }
    if (k > start) {
      historyIndex.write(i - lastHistory);
      historyIndex.write(k - start);
      historyBows.push(t.bigramBackoff[i]!);
      lastHistory = i;
    }
  }
  if (k !== nt) throw new Error(`trigram ${k} has no matching bigram (or is out of order)`);

  const biCostBook = buildCodebook(t.bigramCost);
  const bows = Float32Array.from(historyBows);
  const biBowBook = withZeroLevel(buildCodebook(bows, 255));
  const triCostBook = buildCodebook(t.trigramCost);
  const meta: NGramMeta = {
    vocabularySize: V,
    unigrams: V,
    bigrams: nb,
    trigrams: nt,
    historyBigrams: historyBows.length,
    zeroBackoffLevel: biBowBook.indexOf(0),
    boundaryId: t.boundaryId,
    source: t.source,
  };
  const f32 = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return writeContainer(NGRAM_MAGIC, NGRAM_VERSION, [
    { name: 'meta', bytes: new TextEncoder().encode(JSON.stringify(meta)) },
    { name: 'ucost', bytes: f32(t.unigramCost) },
    { name: 'ubow', bytes: f32(t.unigramBackoff) },
    { name: 'ubicnt', bytes: uniBigramCount.bytes() },
    { name: 'bw2', bytes: bigramW2.bytes() },
    { name: 'bcostq', bytes: quantize(t.bigramCost, biCostBook) },
    { name: 'bhist', bytes: historyIndex.bytes() },
    { name: 'bbowq', bytes: quantize(bows, biBowBook) },
    { name: 'tw3', bytes: trigramW3.bytes() },
    { name: 'tcostq', bytes: quantize(t.trigramCost, triCostBook) },
    { name: 'qbcost', bytes: f32(biCostBook) },
    { name: 'qbbow', bytes: f32(biBowBook) },
    { name: 'qtcost', bytes: f32(triCostBook) },
  ]);
}

/** A 256-level codebook from 255 levels plus an exact zero, sorted. */
function withZeroLevel(book: Float32Array): Float32Array {
  const out = new Float32Array(256);
  out.set(book.subarray(0, 255));
  out[255] = 0;
  return out.sort();
}
