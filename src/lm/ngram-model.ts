import type { ByteSource } from '../util/byte-source.ts';
import { readContainer, type Container, type ContainerCodec, type ContainerSpec } from '../util/container.ts';
import { ImeError, ImeErrorCode } from '../util/errors.ts';
import { runStartsFromVarints } from '../util/varint.ts';
import { BitPacked, packedWords } from './bit-packed.ts';
import { BitRank } from './bit-rank.ts';
import { GapRuns } from './gap-runs.ts';
import type { LanguageModel, ScoreOut } from './language-model.ts';
import { NGRAM_MAGIC, NGRAM_VERSION, type NGramMeta } from './ngram-format.ts';

/** Cost added for a word id the model does not know (should not happen with built data). */
const UNKNOWN_WORD_COST = 25;
/**
 * {@link NGramModel}'s state memo has 2^(32 - MEMO_SHIFT) slots (1024, 32 KB): on dev clauses
 * typed key by key 98 % of score calls find their state there (256 slots: 94.5 %).
 */
const MEMO_SHIFT = 22;
const MEMO_SLOTS = 2 ** (32 - MEMO_SHIFT);

/**
 * A back-off trigram model over typed arrays (layout in FORMAT.md).
 *
 * States: a value below `vocabularySize` is a unigram history (the last word); a value
 * `vocabularySize + b` is the history of bigram number `b` (the last two words).
 * Loading makes views over the file's tables and passes over the V words only (prefix sums,
 * unigram fixed point); the gap-coded id runs are decoded one run at a time on first use, into
 * arrays reserved at load. Scoring does two binary searches at most and allocates nothing.
 */
export class NGramModel implements LanguageModel {
  readonly vocabularySize: number;
  readonly beginState: number;
  readonly meta: NGramMeta;
  private readonly ucost: Float32Array;
  private readonly ubow: Float32Array;
  /** First bigram of each word's run (V + 1 entries). */
  private readonly ubiStart: Uint32Array;
  private readonly bw2: GapRuns;
  /**
   * Second word of every bigram plus 1, a w1 run at a time on the run's first use (0 = not
   * decoded yet): searches read plain u32s while loading decodes nothing. Untouched runs cost
   * no memory (the zeroed buffer is only reserved).
   */
  private readonly bw2Wide: Uint32Array;
  private readonly bcost: BitPacked;
  /** Which bigrams have trigrams (history bigrams); a history bigram's rank is its slot. */
  private readonly history: BitRank;
  /** Back-off level of each history bigram (index into qbbow). */
  private readonly hbow: BitPacked;
  /** Start of each history bigram's trigram run (H + 1 entries). */
  private readonly hTriStart: Uint32Array;
  private readonly tw3: GapRuns;
  /** Third word of every trigram plus 1, decoded a history's run at a time (as {@link bw2Wide}). */
  private readonly tw3Wide: Uint32Array;
  private readonly tcost: BitPacked;
  private readonly qbcost: Float32Array;
  private readonly qbbow: Float32Array;
  private readonly qtcost: Float32Array;
  private readonly boundary: number;
  private readonly tmp: ScoreOut = { state: 0, cost: 0 };
  /** How many times {@link replaceWith} has swapped the tables. */
  private replaced = 0;
  /**
   * A direct-mapped memo of the last states scored after, {@link MEMO_SLOTS} slots of 8 i32:
   * state (-1 = empty), last word, trigram run lo and hi (lo = -1: none), back-off level,
   * bigram run lo and hi, and (as f32, {@link memoUbow}) the last word's back-off cost. The
   * decoder scores each word after every state of a beam, so a state comes back every few
   * dozen calls; its facts then take one cache line instead of half a dozen scattered loads.
   */
  private readonly memo = new Int32Array(MEMO_SLOTS * 8).fill(-1);
  private readonly memoUbow = new Float32Array(this.memo.buffer);

  /** Parses and verifies a model file; throws {@link ImeError} on any damage. */
  static fromBytes(bytes: Uint8Array | ByteSource, fileName = 'language model', codec?: ContainerCodec): NGramModel {
    return new NGramModel(readContainer(bytes, NGramModel.spec(fileName, codec)), fileName);
  }

  /** What a model file must look like, for {@link readContainer} and its async form. */
  static spec(fileName: string, codec?: ContainerCodec): ContainerSpec {
    return { magic: NGRAM_MAGIC, version: NGRAM_VERSION, fileName, codec };
  }

  /** A model over a container already read (and checked) with {@link NGramModel.spec}. */
  static fromContainer(c: Container, fileName = 'language model'): NGramModel {
    return new NGramModel(c, fileName);
  }

  private constructor(c: Container, fileName: string) {
    const bad = (what: string) => new ImeError(ImeErrorCode.Corrupt, `${fileName}: ${what}`);
    if (c.version !== NGRAM_VERSION) {
      throw new ImeError(
        ImeErrorCode.UnsupportedVersion,
        `${fileName}: format version ${c.version} is no longer supported (this reader knows ${NGRAM_VERSION}); rebuild the model`,
      );
    }
    const meta = c.json<NGramMeta>('meta');
    const V = meta.vocabularySize;
    const B = meta.bigrams;
    const T = meta.trigrams;
    const H = meta.historyBigrams;
    const count = (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) < 2 ** 31;
    if (!count(V) || V <= 0 || V > 2 ** 24 || !count(B) || !count(T) || !count(H) || H > B || H > T) {
      throw bad('bad counts in meta');
    }
    this.meta = meta;
    this.vocabularySize = V;
    const sized = <A extends { length: number }>(name: string, a: A, length: number): A => {
      if (a.length !== length) throw bad(`section '${name}' holds ${a.length} entries, meta says ${length}`);
      return a;
    };
    const bitsOk = (n: unknown) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 8;
    if (!bitsOk(meta.bigramCostBits) || !bitsOk(meta.trigramCostBits) || !bitsOk(meta.backoffBits)) throw bad('bad cost widths in meta');
    if (![meta.unigramStep, meta.unigramCostBase, meta.unigramBackoffBase].every(Number.isFinite) || !(meta.unigramStep > 0)) {
      throw bad('bad unigram scale in meta');
    }
    this.ucost = fromFixedPoint(sized('ucost', c.u16('ucost'), V), meta.unigramCostBase, meta.unigramStep);
    this.ubow = fromFixedPoint(sized('ubow', c.u16('ubow'), V), meta.unigramBackoffBase, meta.unigramStep);
    const starts = runStartsFromVarints(c.u8('bcount'), V);
    if (!starts || starts[V] !== B) throw bad('bigram run lengths do not add up to the bigram count');
    this.ubiStart = starts;
    const runs = (name: string, starts: Uint32Array, length: number) => {
      const bytes = sized(name, c.u8(name), length);
      const samples = c.u32(`${name}at`);
      if (!GapRuns.samplesValid(samples, starts.length - 1, bytes.length)) throw bad(`section '${name}at' does not index '${name}'`);
      return new GapRuns(bytes, samples, starts);
    };
    this.bw2 = runs('bw2', this.ubiStart, meta.bigramIdBytes);
    this.bw2Wide = new Uint32Array(B);
    const packed = (name: string, bits: number, n: number) =>
      new BitPacked(sized(name, c.u32(name), packedWords(n, bits)), bits, n);
    this.bcost = packed('bcostq', meta.bigramCostBits, B);
    this.history = new BitRank(sized('hbits', c.u32('hbits'), Math.ceil(B / 32)));
    if (this.history.count !== H) throw bad('history bigram set does not match the history count');
    this.hbow = packed('bbowq', meta.backoffBits, H);
    const counts = sized('htcount', c.u16('htcount'), H);
    this.hTriStart = new Uint32Array(H + 1);
    let trigrams = 0;
    for (let h = 0; h < H; h++) {
      this.hTriStart[h] = trigrams;
      trigrams += counts[h]!;
    }
    this.hTriStart[H] = trigrams;
    if (trigrams !== T) throw bad('n-gram counts do not add up');
    this.tw3 = runs('tw3', this.hTriStart, meta.trigramIdBytes);
    this.tw3Wide = new Uint32Array(T);
    this.tcost = packed('tcostq', meta.trigramCostBits, T);
    this.qbcost = sized('qbcost', c.f32('qbcost'), 2 ** meta.bigramCostBits);
    this.qbbow = sized('qbbow', c.f32('qbbow'), 2 ** meta.backoffBits);
    this.qtcost = sized('qtcost', c.f32('qtcost'), 2 ** meta.trigramCostBits);
    if (!(Number.isInteger(meta.boundaryId) && meta.boundaryId >= 0 && meta.boundaryId < V)) throw bad('bad boundary id');
    this.boundary = meta.boundaryId;
    this.beginState = this.boundary;
  }

  /**
   * Bumped by every {@link replaceWith}: states from before must not be scored again (the
   * decoder drops its cached lattice when it sees a new revision).
   */
  get revision(): number {
    return this.replaced;
  }

  /**
   * Takes over `next`'s tables in place: a staged load answers with a small model over the
   * same words first, and whoever holds it (decoders, the user model) then scores with the full
   * one, with no layer in between. Throws {@link ImeError} INVALID_ARGUMENT, keeping its own
   * tables, unless `next` is over the same words: the same vocabulary size, sentence boundary
   * and unigram costs, as every model the build prunes from the same counts.
   */
  replaceWith(next: NGramModel): void {
    const V = this.vocabularySize;
    let same = next !== this && next.vocabularySize === V && next.boundary === this.boundary;
    for (let w = 0; same && w < V; w++) same = next.ucost[w] === this.ucost[w];
    if (!same) throw new ImeError(ImeErrorCode.InvalidArgument, 'the full language model is not over the same words as the first one (rebuild both)');
    const replaced = this.replaced + 1;
    // Every field, in the order the constructor made them (so the object keeps its shape).
    Object.assign(this, next);
    this.replaced = replaced;
  }

  /** Unigram cost of a word (no context). */
  unigramCost(word: number): number {
    return word < this.vocabularySize ? this.ucost[word]! : UNKNOWN_WORD_COST;
  }

  /** The last word of the history a state stands for. */
  lastWord(state: number): number {
    return state < this.vocabularySize ? state : this.bigramWord(state - this.vocabularySize);
  }

  score(state: number, word: number, out: ScoreOut): void {
    const V = this.vocabularySize;
    if (word >= V) {
      out.state = this.boundary;
      out.cost = UNKNOWN_WORD_COST;
      return;
    }
    // What the state alone decides (its runs, its back-offs) comes from the memo. No float
    // crosses a call V8 might not inline (it would box it, one heap number per call).
    const memo = this.memo;
    const slot = (Math.imul(state, 0x9e3779b1) >>> MEMO_SHIFT) << 3;
    if (memo[slot] !== state) this.remember(state, slot);
    let trigram = -1;
    let backoff = 0;
    const tlo = memo[slot + 2]!;
    if (tlo >= 0) {
      trigram = searchIds(this.tw3Wide, tlo, memo[slot + 3]!, word + 1);
      if (trigram < 0) backoff = this.qbbow[memo[slot + 4]!]!;
    }
    const bigram = searchIds(this.bw2Wide, memo[slot + 5]!, memo[slot + 6]!, word + 1);
    out.state = bigram >= 0 ? V + bigram : word;
    if (trigram >= 0) {
      out.cost = this.qtcost[this.tcost.get(trigram)]!;
      return;
    }
    const cost = bigram >= 0 ? this.qbcost[this.bcost.get(bigram)]! : this.memoUbow[slot + 7]! + this.ucost[word]!;
    out.cost = state >= V ? backoff + cost : cost;
  }

  /**
   * The `limit` likeliest words to follow `state`, best first, each with its {@link score}
   * cost: the words of the trigram run of the state's history and of the bigram run of its
   * last word (words seen only as unigrams are left out, and so is the sentence boundary).
   * Allocates; meant for next-word prediction, not for decoding.
   */
  successors(state: number, limit: number): { word: number; cost: number }[] {
    const V = this.vocabularySize;
    if (!(state >= 0 && state < V + this.bw2Wide.length) || !(limit >= 1)) return [];
    const best: { word: number; cost: number }[] = [];
    const offer = (word: number, cost: number) => {
      if (word === this.boundary || (best.length >= limit && cost >= best[best.length - 1]!.cost)) return;
      let k = best.length < limit ? best.length : best.length - 1;
      while (k > 0 && best[k - 1]!.cost > cost) k--;
      best.splice(k, 0, { word, cost });
      if (best.length > limit) best.pop();
    };
    // Trigrams of the history score as themselves; other bigrams of the last word back off.
    let backoff = 0;
    let trigrams: Set<number> | undefined;
    if (state >= V) {
      const h = this.history.rankOf(state - V);
      trigrams = new Set();
      if (h >= 0) {
        backoff = this.qbbow[this.hbow.get(h)]!;
        if (this.tw3Wide[this.hTriStart[h]!] === 0) this.tw3.decodeInto(h, this.tw3Wide);
        for (let t = this.hTriStart[h]!; t < this.hTriStart[h + 1]!; t++) {
          const word = this.tw3Wide[t]! - 1;
          trigrams.add(word);
          offer(word, this.qtcost[this.tcost.get(t)]!);
        }
      }
    }
    const last = this.lastWord(state);
    const lo = this.ubiStart[last]!;
    const hi = this.ubiStart[last + 1]!;
    if (lo < hi && this.bw2Wide[lo] === 0) this.bw2.decodeInto(last, this.bw2Wide);
    for (let b = lo; b < hi; b++) {
      const word = this.bw2Wide[b]! - 1;
      if (!trigrams?.has(word)) offer(word, backoff + this.qbcost[this.bcost.get(b)]!);
    }
    return best;
  }

  endCost(state: number): number {
    this.score(state, this.boundary, this.tmp);
    return this.tmp.cost;
  }

  /**
   * Fills memo slot `slot` with what scoring after `state` needs besides the word (decoding
   * the state's runs if no score has yet): its last word, its trigram run ([lo, hi), lo = -1
   * without one), the back-off level, its last word's bigram run and back-off cost.
   */
  private remember(state: number, slot: number): void {
    const V = this.vocabularySize;
    const memo = this.memo;
    let prev = state;
    let tlo = -1;
    let thi = -1;
    let bow = 0;
    if (state >= V) {
      const b = state - V;
      prev = this.bigramWord(b);
      const h = this.history.rankOf(b);
      if (h >= 0) {
        tlo = this.hTriStart[h]!;
        thi = this.hTriStart[h + 1]!;
        if (tlo < thi && this.tw3Wide[tlo] === 0) this.tw3.decodeInto(h, this.tw3Wide);
        bow = this.hbow.get(h);
      }
    }
    const lo = this.ubiStart[prev]!;
    const hi = this.ubiStart[prev + 1]!;
    if (lo < hi && this.bw2Wide[lo] === 0) this.bw2.decodeInto(prev, this.bw2Wide);
    memo[slot] = state;
    memo[slot + 1] = prev;
    memo[slot + 2] = tlo;
    memo[slot + 3] = thi;
    memo[slot + 4] = bow;
    memo[slot + 5] = lo;
    memo[slot + 6] = hi;
    this.memoUbow[slot + 7] = this.ubow[prev]!;
  }

  /**
   * Second word of bigram `b` (decoding its run when no score has yet). The ids are not
   * checked at load (that would be a pass over every bigram): one out of range, in a damaged
   * file, reads as the sentence boundary.
   */
  private bigramWord(b: number): number {
    if (this.bw2Wide[b] === 0) this.bw2.decodeInto(runOf(this.ubiStart, b), this.bw2Wide);
    const w = this.bw2Wide[b]! - 1;
    return w >= 0 && w < this.vocabularySize ? w : this.boundary;
  }
}

/** The run holding item `i`: the last r with starts[r] ≤ i (binary search; starts ascend). */
function runOf(starts: Uint32Array, i: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** `base + step · n` for the 16-bit fixed-point values stored as differences (FORMAT.md). */
function fromFixedPoint(deltas: Uint16Array, base: number, step: number): Float32Array {
  const out = new Float32Array(deltas.length);
  let n = 0;
  for (let i = 0; i < deltas.length; i++) {
    n = (n + deltas[i]!) & 0xffff;
    out[i] = base + step * n;
  }
  return out;
}

/**
 * Index of `key` among the ascending ids in [lo, hi), or -1. Branch-free: the probes' outcome
 * moves the base by arithmetic, not by a jump the CPU has to guess (most look-ups miss, and a
 * miss walks the whole depth, where a mispredicted jump per probe cost more than the probe).
 * The base moves to the last id ≤ key: ids and key are at most V ≤ 2^24, so `id - key - 1` is
 * negative exactly when id ≤ key (ids a damaged file decodes to larger ones can only make a
 * look-up miss or hit wrongly; the base never leaves [lo, hi)).
 */
function searchIds(ids: Uint32Array, lo: number, hi: number, key: number): number {
  let n = hi - lo;
  if (n <= 0) return -1;
  let base = lo;
  while (n > 1) {
    const half = n >>> 1;
    base += half & ((ids[base + half]! - key - 1) >> 31);
    n -= half;
  }
  return ids[base] === key ? base : -1;
}
