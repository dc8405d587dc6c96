import type { ByteSource } from '../util/byte-source.ts';
import { readContainer, type Container, type ContainerCodec, type ContainerSpec } from '../util/container.ts';
import { ImeError, ImeErrorCode } from '../util/errors.ts';
import { BitRank } from './bit-rank.ts';
import type { LanguageModel, ScoreOut } from './language-model.ts';
import { NGRAM_MAGIC, NGRAM_VERSION, type NGramMeta } from './ngram-format.ts';
import { highPlaneWords, packedIdHighBits, PackedIds } from './packed-ids.ts';

/** Cost added for a word id the model does not know (should not happen with built data). */
const UNKNOWN_WORD_COST = 25;

/**
 * A back-off trigram model over typed arrays (layout in FORMAT.md).
 *
 * States: a value below `vocabularySize` is a unigram history (the last word); a value
 * `vocabularySize + b` is the history of bigram number `b` (the last two words).
 * Loading makes views over the file's fixed-width tables (no pass over the n-grams); scoring
 * does two binary searches at most and allocates nothing.
 */
export class NGramModel implements LanguageModel {
  readonly vocabularySize: number;
  readonly beginState: number;
  readonly meta: NGramMeta;
  private readonly ucost: Float32Array;
  private readonly ubow: Float32Array;
  /** First bigram of each word's run (V + 1 entries). */
  private readonly ubiStart: Uint32Array;
  private readonly bw2: PackedIds;
  /**
   * The same second words widened to u32, one w1 run at a time on the run's first use
   * (`runReady`): searches then read one plane, as fast as plain ids, while loading still
   * decodes nothing. Untouched runs cost no memory (the zeroed buffer is only reserved).
   */
  private readonly bw2Wide: Uint32Array;
  private readonly runReady: Uint8Array;
  private readonly bcost: Uint8Array;
  /** Which bigrams have trigrams (history bigrams); a history bigram's rank is its slot. */
  private readonly history: BitRank;
  /** Back-off level of each history bigram (index into qbbow). */
  private readonly hbow: Uint8Array;
  /** Start of each history bigram's trigram run (H + 1 entries). */
  private readonly hTriStart: Uint32Array;
  private readonly tw3: PackedIds;
  private readonly tcost: Uint8Array;
  private readonly qbcost: Float32Array;
  private readonly qbbow: Float32Array;
  private readonly qtcost: Float32Array;
  private readonly boundary: number;
  private readonly tmp: ScoreOut = { state: 0, cost: 0 };

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
    this.ucost = sized('ucost', c.f32('ucost'), V);
    this.ubow = sized('ubow', c.f32('ubow'), V);
    this.ubiStart = sized('bstart', c.u32('bstart'), V + 1);
    if (!isRunStarts(this.ubiStart, B)) throw bad('bigram starts are not ascending from 0 to the bigram count');
    const highBits = packedIdHighBits(V);
    const ids = (name: string, n: number) =>
      new PackedIds(
        sized(`${name}lo`, c.u16(`${name}lo`), n),
        highBits > 0 ? sized(`${name}hi`, c.u32(`${name}hi`), highPlaneWords(n, highBits)) : new Uint32Array(0),
        highBits,
      );
    this.bw2 = ids('bw2', B);
    this.bw2Wide = new Uint32Array(B);
    this.runReady = new Uint8Array(V);
    this.bcost = sized('bcostq', c.u8('bcostq'), B);
    this.history = new BitRank(sized('hbits', c.u32('hbits'), Math.ceil(B / 32)));
    if (this.history.count !== H) throw bad('history bigram set does not match the history count');
    this.hbow = sized('bbowq', c.u8('bbowq'), H);
    const counts = sized('htcount', c.u16('htcount'), H);
    this.hTriStart = new Uint32Array(H + 1);
    let trigrams = 0;
    for (let h = 0; h < H; h++) {
      this.hTriStart[h] = trigrams;
      trigrams += counts[h]!;
    }
    this.hTriStart[H] = trigrams;
    if (trigrams !== T) throw bad('n-gram counts do not add up');
    this.tw3 = ids('tw3', T);
    this.tcost = sized('tcostq', c.u8('tcostq'), T);
    this.qbcost = sized('qbcost', c.f32('qbcost'), 256);
    this.qbbow = sized('qbbow', c.f32('qbbow'), 256);
    this.qtcost = sized('qtcost', c.f32('qtcost'), 256);
    if (!(Number.isInteger(meta.boundaryId) && meta.boundaryId >= 0 && meta.boundaryId < V)) throw bad('bad boundary id');
    this.boundary = meta.boundaryId;
    this.beginState = this.boundary;
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
    // The helpers return indices only: no float crosses a call V8 might not inline (it would
    // box it, one heap number per call).
    let prev = state;
    let trigram = -1;
    let backoff = 0;
    if (state >= V) {
      const b = state - V;
      prev = this.bigramWord(b);
      const h = this.history.rankOf(b);
      if (h >= 0) {
        trigram = this.tw3.search(this.hTriStart[h]!, this.hTriStart[h + 1]!, word);
        if (trigram < 0) backoff = this.qbbow[this.hbow[h]!]!;
      }
    }
    if (this.runReady[prev] === 0) this.widenRun(prev);
    const bigram = searchIds(this.bw2Wide, this.ubiStart[prev]!, this.ubiStart[prev + 1]!, word);
    out.state = bigram >= 0 ? V + bigram : word;
    if (trigram >= 0) {
      out.cost = this.qtcost[this.tcost[trigram]!]!;
      return;
    }
    const cost = bigram >= 0 ? this.qbcost[this.bcost[bigram]!]! : this.ubow[prev]! + this.ucost[word]!;
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
    if (!(state >= 0 && state < V + this.bw2.length) || !(limit >= 1)) return [];
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
        backoff = this.qbbow[this.hbow[h]!]!;
        for (let t = this.hTriStart[h]!; t < this.hTriStart[h + 1]!; t++) {
          const word = this.tw3.at(t);
          trigrams.add(word);
          offer(word, this.qtcost[this.tcost[t]!]!);
        }
      }
    }
    const last = this.lastWord(state);
    for (let b = this.ubiStart[last]!; b < this.ubiStart[last + 1]!; b++) {
      const word = this.bw2.at(b);
      if (!trigrams?.has(word)) offer(word, backoff + this.qbcost[this.bcost[b]!]!);
    }
    return best;
  }

  endCost(state: number): number {
    this.score(state, this.boundary, this.tmp);
    return this.tmp.cost;
  }

  /** Copies the bigram run of `w1` into {@link bw2Wide}. */
  private widenRun(w1: number): void {
    this.bw2.copyInto(this.bw2Wide, this.ubiStart[w1]!, this.ubiStart[w1 + 1]!);
    this.runReady[w1] = 1;
  }

  /**
   * Second word of bigram `b`. The ids are not checked at load (that would be a pass over
   * every bigram): one out of range, in a damaged file, reads as the sentence boundary.
   */
  private bigramWord(b: number): number {
    const w = this.bw2.at(b);
    return w < this.vocabularySize ? w : this.boundary;
  }
}

/** Index of `key` among the ascending ids in [lo, hi), or -1. */
function searchIds(ids: Uint32Array, lo: number, hi: number, key: number): number {
  hi--;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = ids[mid]!;
    if (k < key) lo = mid + 1;
    else if (k > key) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/** True when `starts` ascends (never falls) from 0 to `total`. */
function isRunStarts(starts: Uint32Array, total: number): boolean {
  if (starts[0] !== 0 || starts[starts.length - 1] !== total) return false;
  for (let i = 1; i < starts.length; i++) if (starts[i]! < starts[i - 1]!) return false;
  return true;
}
