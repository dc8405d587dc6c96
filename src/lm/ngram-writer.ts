import { writeContainer } from '../util/container.ts';
import { NGRAM_MAGIC, NGRAM_VERSION, type NGramMeta } from './ngram-format.ts';
import { packedIdHighBits, packIds } from './packed-ids.ts';
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

/**
 * An n-gram model with its costs already quantised: exactly what the file stores, in plain
 * arrays. {@link quantizeNGram} makes one from {@link NGramTables}; a format upgrade reads one
 * out of an older file, so the levels and codebooks carry over bit for bit.
 */
export interface QuantizedNGram {
  unigramCost: Float32Array;
  unigramBackoff: Float32Array;
  /** First bigram of each word's run (V + 1 entries; bigrams sorted by (w1, w2)). */
  bigramStarts: Uint32Array;
  /** Second word of each bigram, ascending within its run. */
  bigramWord: Uint32Array;
  /** Bigram cost levels (into `bigramCostBook`). */
  bigramCost: Uint8Array;
  /** Index of each bigram that has trigrams (a history bigram), ascending. */
  historyBigram: Uint32Array;
  /** Trigram count of each history bigram. */
  historyTrigrams: Uint32Array;
  /** Back-off level of each history bigram (into `backoffBook`). */
  historyBackoff: Uint8Array;
  /** Third word of each trigram, ascending within its history's run. */
  trigramWord: Uint32Array;
  /** Trigram cost levels (into `trigramCostBook`). */
  trigramCost: Uint8Array;
  bigramCostBook: Float32Array;
  backoffBook: Float32Array;
  trigramCostBook: Float32Array;
  /** Level of `backoffBook` that is exactly 0. */
  zeroBackoffLevel: number;
  boundaryId: number;
  source: string;
}

/** Serialises an n-gram model to the compact container format (FORMAT.md). */
export function writeNGram(t: NGramTables): Uint8Array {
  return encodeNGram(quantizeNGram(t));
}

/** Checks the sort orders and quantises every cost to its 8-bit codebook. */
export function quantizeNGram(t: NGramTables): QuantizedNGram {
  const V = t.unigramCost.length;
  const nb = t.bigramW1.length;
  const nt = t.trigramW1.length;

  const bigramStarts = new Uint32Array(V + 1);
  let b = 0;
  for (let w = 0; w < V; w++) {
    bigramStarts[w] = b;
    const start = b;
    while (b < nb && t.bigramW1[b] === w) {
      if (b > start && t.bigramW2[b]! <= t.bigramW2[b - 1]!) throw new Error(`bigrams not sorted at ${b}`);
      b++;
    }
  }
  if (b !== nb) throw new Error('bigrams not sorted by w1 or w1 out of range');
  bigramStarts[V] = nb;

  // Only bigrams that have trigrams (history bigrams) store a trigram count and a back-off
  // weight; every other bigram backs off with weight 1 (exact after renormalisation).
  const historyBigram: number[] = [];
  const historyTrigrams: number[] = [];
  const historyBows: number[] = [];
  let k = 0;
  for (let i = 0; i < nb; i++) {
    const start = k;
    while (k < nt && t.trigramW1[k] === t.bigramW1[i] && t.trigramW2[k] === t.bigramW2[i]) {
      if (k > start && t.trigramW3[k]! <= t.trigramW3[k - 1]!) throw new Error(`trigrams not sorted at ${k}`);
      k++;
    }
    if (k > start) {
      historyBigram.push(i);
      historyTrigrams.push(k - start);
      historyBows.push(t.bigramBackoff[i]!);
    }
  }
  if (k !== nt) throw new Error(`trigram ${k} has no matching bigram (or is out of order)`);

  const bigramCostBook = buildCodebook(t.bigramCost);
  const bows = Float32Array.from(historyBows);
  const backoffBook = withZeroLevel(buildCodebook(bows, 255));
  const trigramCostBook = buildCodebook(t.trigramCost);
  return {
    unigramCost: t.unigramCost,
    unigramBackoff: t.unigramBackoff,
    bigramStarts,
    bigramWord: t.bigramW2,
    bigramCost: quantize(t.bigramCost, bigramCostBook),
    historyBigram: Uint32Array.from(historyBigram),
    historyTrigrams: Uint32Array.from(historyTrigrams),
    historyBackoff: quantize(bows, backoffBook),
    trigramWord: t.trigramW3,
    trigramCost: quantize(t.trigramCost, trigramCostBook),
    bigramCostBook,
    backoffBook,
    trigramCostBook,
    zeroBackoffLevel: backoffBook.indexOf(0),
    boundaryId: t.boundaryId,
    source: t.source,
  };
}

/**
 * Lays a quantised model out as the file's sections: fixed-width tables throughout, so the
 * reader views them in place with no decoding pass (FORMAT.md).
 */
export function encodeNGram(q: QuantizedNGram): Uint8Array {
  const V = q.unigramCost.length;
  const nb = q.bigramWord.length;
  const nt = q.trigramWord.length;
  const H = q.historyBigram.length;
  if (q.bigramStarts.length !== V + 1 || q.bigramStarts[V] !== nb) throw new Error('bigram starts do not match the bigrams');
  const bits = new Uint32Array(Math.ceil(nb / 32));
  const counts = new Uint16Array(H);
  let trigrams = 0;
  for (let h = 0; h < H; h++) {
    const b = q.historyBigram[h]!;
    if (b >= nb || (h > 0 && b <= q.historyBigram[h - 1]!)) throw new Error(`history bigram ${h} out of order`);
    bits[b >>> 5]! |= 1 << (b & 31);
    const n = q.historyTrigrams[h]!;
    if (n < 1 || n > 0xffff) throw new Error(`history bigram ${b} has ${n} trigrams (1 to 65535 fit)`);
    counts[h] = n;
    trigrams += n;
  }
  if (trigrams !== nt) throw new Error('trigram counts do not add up');
  const highBits = packedIdHighBits(V);
  const bw2 = packIds(q.bigramWord, highBits);
  const tw3 = packIds(q.trigramWord, highBits);
  const meta: NGramMeta = {
    vocabularySize: V,
    unigrams: V,
    bigrams: nb,
    trigrams: nt,
    historyBigrams: H,
    zeroBackoffLevel: q.zeroBackoffLevel,
    boundaryId: q.boundaryId,
    source: q.source,
  };
  const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return writeContainer(NGRAM_MAGIC, NGRAM_VERSION, [
    { name: 'meta', bytes: new TextEncoder().encode(JSON.stringify(meta)) },
    { name: 'ucost', bytes: bytesOf(q.unigramCost) },
    { name: 'ubow', bytes: bytesOf(q.unigramBackoff) },
    { name: 'bstart', bytes: bytesOf(q.bigramStarts) },
    { name: 'bw2lo', bytes: bytesOf(bw2.low) },
    ...(highBits > 0 ? [{ name: 'bw2hi', bytes: bytesOf(bw2.high) }] : []),
    { name: 'bcostq', bytes: q.bigramCost },
    { name: 'hbits', bytes: bytesOf(bits) },
    { name: 'htcount', bytes: bytesOf(counts) },
    { name: 'bbowq', bytes: q.historyBackoff },
    { name: 'tw3lo', bytes: bytesOf(tw3.low) },
    ...(highBits > 0 ? [{ name: 'tw3hi', bytes: bytesOf(tw3.high) }] : []),
    { name: 'tcostq', bytes: q.trigramCost },
    { name: 'qbcost', bytes: bytesOf(q.bigramCostBook) },
    { name: 'qbbow', bytes: bytesOf(q.backoffBook) },
    { name: 'qtcost', bytes: bytesOf(q.trigramCostBook) },
  ]);
}

/** A 256-level codebook from 255 levels plus an exact zero, sorted. */
function withZeroLevel(book: Float32Array): Float32Array {
  const out = new Float32Array(256);
  out.set(book.subarray(0, 255));
  out[255] = 0;
  return out.sort();
}
