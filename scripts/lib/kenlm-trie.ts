/**
 * Reads a KenLM binary language model of the quantized, pointer-compressed trie kind
 * ("format version 5", model type QUANT_ARRAY_TRIE) into plain n-gram tables: the form in
 * which libime ships its Chinese model (Debian `libime-data-language-model`, zh_CN.lm).
 *
 * Layout, all little-endian, as KenLM writes it:
 * - 88-byte sanity block (magic text, float/int probes), then order (u8), probing
 *   multiplier (f32), model type (u32), has-vocabulary (u8), search version (u32), then one
 *   u64 count per order; the data starts at the next multiple of 8.
 * - sorted vocabulary: u64 entry count, then the words' 64-bit MurmurHash64A values in
 *   ascending order (8 + 8·count₁ bytes); a word's id is 1 + its hash's position (0 is `<unk>`).
 * - quantizer: 8-byte header (version 1 or 2, probability bits, back-off bits), then per
 *   middle order a probability table and a back-off table, then the longest order's
 *   probability table (float log10 centres; back-off bins 0 and 1 mean 0; in version 1
 *   probability bin 0 is −∞ for "blank" n-grams that exist only as contexts).
 * - unigrams: (count₁ + 2) records {f32 log10 prob, f32 log10 back-off, u64 first child}.
 * - the trie runs right to left: a unigram's children are the words before it, so the
 *   bigram "v w" sits under w as v, the trigram "u v w" under that as u.
 * - each middle order: a pointer-compression block (8-byte aligned u64 header holding the
 *   version and configured bits, then the table of high pointer parts), then bit-packed
 *   entries [word id | back-off bin | probability bin | low pointer bits], one extra entry
 *   closing the last child range.
 * - longest order: bit-packed entries [word id | probability bin].
 * - the vocabulary words, NUL-terminated UTF-8, `<unk>` first, the rest in the order they were
 *   read (not id order: ids come from the hashes).
 *
 * Only what the build needs: a reader, not a query engine. Everything comes out as costs in
 * nats, the build's convention: `cost` is −ln P, `bow` is −ln(back-off weight).
 */
import { readFileSync } from 'node:fs';

const MAGIC = 'mmap lm http://kheafield.com/code format version 5\n';
const QUANT_ARRAY_TRIE = 5;
const LN10 = Math.LN10;

/** One back-off n-gram model as tables over the model's own word ids. */
export interface KenlmTables {
  /** Word strings by id (id 0 is `<unk>`). */
  readonly words: string[];
  /** −ln P(w) and −ln(back-off weight of w) by word id (Infinity where the prob is blank). */
  readonly uniCost: Float64Array;
  readonly uniBow: Float64Array;
  /** Bigrams [w1, w2, cost, bow] and trigrams [w1, w2, w3, cost], costs in nats. */
  readonly bi: number[][];
  readonly tri: number[][];
}

function requiredBits(max: number): number {
  let bits = 0;
  while (max >= 1) {
    bits++;
    max = Math.floor(max / 2);
  }
  return bits;
}

/** `length` (≤ 32) bits at bit offset `bit`, least significant first. */
function readBits(b: Uint8Array, bit: number, length: number): number {
  const byte = Math.floor(bit / 8);
  const shift = bit - byte * 8;
  let v = 0;
  for (let i = 4; i >= 0; i--) v = v * 256 + (b[byte + i] ?? 0);
  return Math.floor(v / 2 ** shift) % 2 ** length;
}

const MASK64 = (1n << 64n) - 1n;
const M = 0xc6a4a7935bd1e995n;

/** MurmurHash64A with seed 0 (how KenLM hashes vocabulary words). */
export function murmurHash64A(key: Uint8Array): bigint {
  const mul = (a: bigint, b: bigint) => (a * b) & MASK64;
  let h = mul(BigInt(key.length), M);
  const blocks = Math.floor(key.length / 8);
  const dv = new DataView(key.buffer, key.byteOffset, key.byteLength);
  for (let i = 0; i < blocks; i++) {
    let k = dv.getBigUint64(8 * i, true);
    k = mul(k, M);
    k ^= k >> 47n;
    k = mul(k, M);
    h ^= k;
    h = mul(h, M);
  }
  const tail = key.length & 7;
  if (tail) {
    for (let i = tail - 1; i >= 0; i--) h ^= BigInt(key[8 * blocks + i]!) << BigInt(8 * i);
    h = mul(h, M);
  }
  h ^= h >> 47n;
  h = mul(h, M);
  h ^= h >> 47n;
  return h;
}

function binarySearch(sorted: BigUint64Array, key: bigint): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v === key) return mid;
    if (v < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Pointer bits KenLM's array compression strips off (its size-minimising choice). */
function chopBits(maxOffset: number, maxNext: number, configured: number): number {
  const required = requiredBits(maxNext);
  let best = 0;
  let lowest = Infinity;
  for (let chop = 0; chop <= Math.min(required, configured); chop++) {
    const change = Math.floor(maxNext / 2 ** (required - chop)) * 64 - maxOffset * chop;
    if (change < lowest) {
      lowest = change;
      best = chop;
    }
  }
  return best;
}

/** Reads a KenLM QUANT_ARRAY_TRIE trigram binary. Throws on anything else. */
export function readKenlmTrie(path: string): KenlmTables {
  const buf = readFileSync(path);
  const b = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (buf.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error(`${path}: not a KenLM v5 binary`);
  const order = b[88]!;
  const modelType = dv.getUint32(96, true);
  const hasVocabulary = b[100] === 1;
  if (order !== 3 || modelType !== QUANT_ARRAY_TRIE || !hasVocabulary) {
    throw new Error(`${path}: order ${order}, model type ${modelType}: only quantized array tries of order 3 with words`);
  }
  const counts: number[] = [];
  for (let i = 0; i < order; i++) counts.push(Number(dv.getBigUint64(108 + 8 * i, true)));
  const [n1, n2, n3] = counts as [number, number, number];
  let at = Math.ceil((108 + 8 * order) / 8) * 8;

  const hashCount = Number(dv.getBigUint64(at, true));
  const hashes = new BigUint64Array(hashCount);
  for (let i = 0; i < hashCount; i++) hashes[i] = dv.getBigUint64(at + 8 + 8 * i, true);
  at += 8 + 8 * n1;

  if (b[at] !== 1 && b[at] !== 2) throw new Error(`${path}: quantizer version ${b[at]}`);
  const probBits = b[at + 1]!;
  const bowBits = b[at + 2]!;
  const floats = (offset: number, n: number) => Array.from({ length: n }, (_, i) => dv.getFloat32(offset + 4 * i, true));
  const q = at + 8;
  const midProb = floats(q, 2 ** probBits);
  const midBow = floats(q + 4 * 2 ** probBits, 2 ** bowBits);
  const longProb = floats(q + 4 * (2 ** probBits + 2 ** bowBits), 2 ** probBits);
  at += 8 + 4 * ((order - 2) * (2 ** probBits + 2 ** bowBits) + 2 ** probBits);

  const uniAt = at;
  const uniCost = new Float64Array(n1);
  const uniBow = new Float64Array(n1);
  const uniNext = new Float64Array(n1 + 1);
  for (let w = 0; w <= n1; w++) {
    const r = uniAt + 16 * w;
    if (w < n1) {
      uniCost[w] = -dv.getFloat32(r, true) * LN10;
      uniBow[w] = -dv.getFloat32(r + 4, true) * LN10;
    }
    uniNext[w] = Number(dv.getBigUint64(r + 8, true));
  }
  at += (n1 + 2) * 16;

  // Bigram level: pointer-compression block, then bit-packed entries.
  const wordBits = requiredBits(n1);
  const bhikshaAt = Math.ceil(at / 8) * 8;
  const configured = b[bhikshaAt + 1]!;
  if (b[bhikshaAt] !== 0) throw new Error(`${path}: pointer compression version ${b[bhikshaAt]}`);
  const chop = chopBits(n2 + 1, n3, configured);
  const inlineBits = requiredBits(n3) - chop;
  const arrayCount = Math.floor(n3 / 2 ** (requiredBits(n3) - chop)) + 1;
  const highTable = new Float64Array(arrayCount);
  for (let i = 0; i < arrayCount; i++) highTable[i] = Number(dv.getBigUint64(bhikshaAt + 8 + 8 * i, true));
  at += 8 * (1 + arrayCount) + 7;
  const midAt = at;
  const midTotal = wordBits + bowBits + probBits + inlineBits;
  at += Math.floor(((1 + n2) * midTotal + 7) / 8) + 8;
  const longAt = at;
  const longTotal = wordBits + probBits;
  at += Math.floor(((1 + n3) * longTotal + 7) / 8) + 8;

  // Words, NUL-terminated; each one's id found from its hash.
  const words: string[] = new Array<string>(n1).fill('');
  words[0] = '<unk>';
  let start = at;
  let read = 0;
  for (let i = at; i < b.length; i++) {
    if (b[i] !== 0) continue;
    const bytes = b.subarray(start, i);
    start = i + 1;
    read++;
    const position = binarySearch(hashes, murmurHash64A(bytes));
    if (position >= 0) words[position + 1] = buf.toString('utf8', bytes.byteOffset - buf.byteOffset, i);
  }
  if (read !== n1 || start !== b.length || words.some((w) => w === '')) {
    throw new Error(`${path}: ${read} words at the end, expected ${n1} (layout mismatch)`);
  }

  // Child pointers of the bigram entries: high part from the table, low part inline.
  const biNext = new Float64Array(n2 + 1);
  let high = 0;
  for (let i = 0; i <= n2; i++) {
    while (high + 1 < arrayCount && highTable[high + 1]! <= i) high++;
    const low = readBits(b, midAt * 8 + i * midTotal + wordBits + bowBits + probBits, inlineBits);
    biNext[i] = high * 2 ** inlineBits + low;
  }

  const bi: number[][] = [];
  const tri: number[][] = [];
  // The trie is keyed right to left: under the unigram of the predicted word w come its
  // one-word contexts v (the bigram v w), under each of those the contexts u (the trigram u v w).
  for (let w = 0; w < n1; w++) {
    for (let i = uniNext[w]!; i < uniNext[w + 1]!; i++) {
      const bit = midAt * 8 + i * midTotal;
      const v = readBits(b, bit, wordBits);
      const bowBin = readBits(b, bit + wordBits, bowBits);
      const probBin = readBits(b, bit + wordBits + bowBits, probBits);
      const prob = midProb[probBin]!;
      const bow = bowBin < 2 ? 0 : midBow[bowBin]!;
      if (Number.isFinite(prob)) bi.push([v, w, -prob * LN10, -bow * LN10]);
      for (let j = biNext[i]!; j < biNext[i + 1]!; j++) {
        const tbit = longAt * 8 + j * longTotal;
        const u = readBits(b, tbit, wordBits);
        const p3 = longProb[readBits(b, tbit + wordBits, probBits)]!;
        if (Number.isFinite(p3)) tri.push([u, v, w, -p3 * LN10]);
      }
    }
  }
  if (uniNext[n1] !== n2 || biNext[n2] !== n3) {
    throw new Error(`${path}: child ranges end at ${uniNext[n1]}/${biNext[n2]}, expected ${n2}/${n3}`);
  }
  return { words, uniCost, uniBow, bi, tri };
}
