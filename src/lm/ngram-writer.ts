import { writeContainer } from '../util/container.ts';
import { encodeVarints } from '../util/varint.ts';
import { packBits } from './bit-packed.ts';
import { encodeGapRuns } from './gap-runs.ts';
import { NGRAM_MAGIC, NGRAM_VERSION, type NGramMeta } from './ngram-format.ts';
import { buildCodebook, quantize } from './quantize.ts';

/** Bits of each kind of quantised cost (1–8): the codebooks have 2^bits levels. */
export interface CostBits {
  bigram: number;
  trigram: number;
  backoff: number;
}

/**
 * The shipped model's widths. Re-quantising the shipped 8-bit model to 7, 6, 5 or 4 bits saves 0.25,
 * 0.5, 0.75 or 1.1 MB but lost dev top-1 on some set at every width (0.4 points at 7 bits, 1.1 at 6), so
 * the default stays at 8 (src/lm/FORMAT.md).
 */
export const DEFAULT_COST_BITS: CostBits = { bigram: 8, trigram: 8, backoff: 8 };

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
  /** Bigram cost levels (into `bigramCostBook`, whose length 2^bits gives their width). */
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
export function writeNGram(t: NGramTables, bits: CostBits = DEFAULT_COST_BITS): Uint8Array {
  return encodeNGram(quantizeNGram(t, bits));
}

/** Checks the sort orders and quantises every cost to its codebook of 2^bits levels. */
export function quantizeNGram(t: NGramTables, bits: CostBits = DEFAULT_COST_BITS): QuantizedNGram {
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

  for (const n of [bits.bigram, bits.trigram, bits.backoff]) {
    if (!(Number.isInteger(n) && n >= 1 && n <= 8)) throw new Error(`cost bits must be 1 to 8, not ${n}`);
  }
  const bigramCostBook = buildCodebook(t.bigramCost, 2 ** bits.bigram);
  const bows = Float32Array.from(historyBows);
  const backoffBook = withZeroLevel(buildCodebook(bows, 2 ** bits.backoff - 1));
  const trigramCostBook = buildCodebook(t.trigramCost, 2 ** bits.trigram);
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
  const costBits = (book: Float32Array, name: string) => {
    const n = Math.log2(book.length);
    if (!(Number.isInteger(n) && n >= 1 && n <= 8)) throw new Error(`codebook ${name} has ${book.length} levels (2 to 256, a power of 2)`);
    return n;
  };
  const bigramCostBits = costBits(q.bigramCostBook, 'qbcost');
  const trigramCostBits = costBits(q.trigramCostBook, 'qtcost');
  const backoffBits = costBits(q.backoffBook, 'qbbow');
  const runLengths = new Uint32Array(V);
  for (let w = 0; w < V; w++) runLengths[w] = q.bigramStarts[w + 1]! - q.bigramStarts[w]!;
  const trigramStarts = new Uint32Array(H + 1);
  for (let h = 0; h < H; h++) trigramStarts[h + 1] = trigramStarts[h]! + q.historyTrigrams[h]!;
  const bw2 = encodeGapRuns(q.bigramWord, q.bigramStarts);
  const tw3 = encodeGapRuns(q.trigramWord, trigramStarts);
  const ucost = fixedPoint(q.unigramCost, q.unigramBackoff);
  const meta: NGramMeta = {
    vocabularySize: V,
    unigrams: V,
    bigrams: nb,
    trigrams: nt,
    historyBigrams: H,
    bigramIdBytes: bw2.bytes.length,
    trigramIdBytes: tw3.bytes.length,
    bigramCostBits,
    trigramCostBits,
    backoffBits,
    unigramStep: ucost.step,
    unigramCostBase: ucost.bases[0]!,
    unigramBackoffBase: ucost.bases[1]!,
    zeroBackoffLevel: q.zeroBackoffLevel,
    boundaryId: q.boundaryId,
    source: q.source,
  };
  const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return writeContainer(NGRAM_MAGIC, NGRAM_VERSION, [
    { name: 'meta', bytes: new TextEncoder().encode(JSON.stringify(meta)) },
    { name: 'ucost', bytes: bytesOf(ucost.deltas[0]!) },
    { name: 'ubow', bytes: bytesOf(ucost.deltas[1]!) },
    { name: 'bcount', bytes: encodeVarints(runLengths) },
    { name: 'bw2', bytes: bw2.bytes },
    { name: 'bw2at', bytes: bytesOf(bw2.samples) },
    { name: 'bcostq', bytes: bytesOf(packBits(q.bigramCost, bigramCostBits)) },
    { name: 'hbits', bytes: bytesOf(bits) },
    { name: 'htcount', bytes: bytesOf(counts) },
    { name: 'bbowq', bytes: bytesOf(packBits(q.historyBackoff, backoffBits)) },
    { name: 'tw3', bytes: tw3.bytes },
    { name: 'tw3at', bytes: bytesOf(tw3.samples) },
    { name: 'tcostq', bytes: bytesOf(packBits(q.trigramCost, trigramCostBits)) },
    { name: 'qbcost', bytes: bytesOf(q.bigramCostBook) },
    { name: 'qbbow', bytes: bytesOf(q.backoffBook) },
    { name: 'qtcost', bytes: bytesOf(q.trigramCostBook) },
  ]);
}

/**
 * Unigram costs and back-offs as 16-bit fixed point, `base + step · n`, one step (the finest power
 * of 2 that spans them, at most 2^-10 nats) for both, each array stored as the differences of consecutive n modulo
 * 2^16 (small numbers when the ids are ordered by cost, which deflate then shrinks).
 */
function fixedPoint(...arrays: Float32Array[]): { step: number; bases: number[]; deltas: Uint16Array[] } {
  const ranges = arrays.map((a) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of a) {
      if (!Number.isFinite(x)) throw new Error(`unigram value ${x} is not finite`);
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    return a.length ? { lo: Math.floor(lo), hi } : { lo: 0, hi: 0 };
  });
  const span = Math.max(...ranges.map((r) => r.hi - r.lo), 1);
  const step = 2 ** Math.ceil(Math.log2(span / 65_535));
  if (step > 2 ** -10) throw new Error(`unigram values span ${span} nats, more than 16 bits at 2^-10 nats hold`);
  const deltas = arrays.map((a, k) => {
    const out = new Uint16Array(a.length);
    let prev = 0;
    for (let i = 0; i < a.length; i++) {
      const n = Math.round((a[i]! - ranges[k]!.lo) / step);
      out[i] = (n - prev) & 0xffff;
      prev = n;
    }
    return out;
  });
  return { step, bases: ranges.map((r) => r.lo), deltas };
}

/** A codebook of one level more: the levels plus an exact zero, sorted. */
function withZeroLevel(book: Float32Array): Float32Array {
  const out = new Float32Array(book.length + 1);
  out.set(book);
  out[book.length] = 0;
  return out.sort();
}
