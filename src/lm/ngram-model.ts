import { readContainer, type ContainerCodec } from '../util/container.ts';
import { ImeError, ImeErrorCode } from '../util/errors.ts';
import { decodeVarints } from '../util/varint.ts';
import type { LanguageModel, ScoreOut } from './language-model.ts';
import { NGRAM_MAGIC, NGRAM_VERSION, type NGramMeta } from './ngram-format.ts';

/** Cost added for a word id the model does not know (should not happen with built data). */
const UNKNOWN_WORD_COST = 25;

/**
 * A back-off trigram model over typed arrays (layout in FORMAT.md).
 *
 * States: a value below `vocabularySize` is a unigram history (the last word); a value
 * `vocabularySize + b` is the history of bigram number `b` (the last two words).
 * Scoring does two binary searches at most and allocates nothing.
 */
export class NGramModel implements LanguageModel {
  readonly vocabularySize: number;
  readonly beginState: number;
  readonly meta: NGramMeta;
  private readonly ucost: Float32Array;
  private readonly ubow: Float32Array;
  private readonly ubiStart: Uint32Array;
  private readonly bw2: Uint32Array;
  private readonly bcost: Uint8Array;
  /** Back-off level of each history bigram (index into qbbow). */
  private readonly hbow: Uint8Array;
  /** History slot of each bigram, or -1 when it has no trigrams (back-off weight 1). */
  private readonly historySlot: Int32Array;
  /** Start of each history bigram's trigram run (H + 1 entries). */
  private readonly hTriStart: Uint32Array;
  private readonly tw3: Uint32Array;
  private readonly tcost: Uint8Array;
  private readonly qbcost: Float32Array;
  private readonly qbbow: Float32Array;
  private readonly qtcost: Float32Array;
  private readonly boundary: number;
  private readonly tmp: ScoreOut = { state: 0 };

  /** Parses and verifies a model file; throws {@link ImeError} on any damage. */
  static fromBytes(bytes: Uint8Array, fileName = 'language model', codec?: ContainerCodec): NGramModel {
    return new NGramModel(bytes, fileName, codec);
  }

  private constructor(bytes: Uint8Array, fileName: string, codec?: ContainerCodec) {
    const c = readContainer(bytes, { magic: NGRAM_MAGIC, version: NGRAM_VERSION, fileName, codec });
    const meta = c.json<NGramMeta>('meta');
    const bad = (what: string) => new ImeError(ImeErrorCode.Corrupt, `${fileName}: ${what}`);
    const V = meta.vocabularySize;
    if (!Number.isInteger(V) || V <= 0 || !Number.isInteger(meta.bigrams) || !Number.isInteger(meta.trigrams)) {
      throw bad('bad counts in meta');
    }
    this.meta = meta;
    this.vocabularySize = V;
    this.ucost = c.f32('ucost');
    this.ubow = c.f32('ubow');
    if (this.ucost.length !== V || this.ubow.length !== V) throw bad('unigram tables do not match the vocabulary');
    const uniCounts = decodeVarints(c.u8('ubicnt'), V);
    const history = decodeVarints(c.u8('bhist'), 2 * meta.historyBigrams);
    if (!uniCounts || !history) throw bad('index streams are damaged');
    this.ubiStart = prefixStarts(uniCounts, meta.bigrams, bad);
    // The H history bigrams (those with trigrams): their slot by bigram index (-1 for the
    // others, a native fill), the start of each one's trigram run, and their back-off levels.
    const H = meta.historyBigrams;
    this.hbow = c.u8('bbowq');
    if (this.hbow.length !== H) throw bad('back-off table does not match the history count');
    this.historySlot = new Int32Array(meta.bigrams).fill(-1);
    this.hTriStart = new Uint32Array(H + 1);
    let b = 0;
    let trigrams = 0;
    for (let h = 0; h < H; h++) {
      b += history[2 * h]!;
      if (b >= meta.bigrams || (h > 0 && history[2 * h] === 0)) throw bad('history bigram out of range');
      this.historySlot[b] = h;
      this.hTriStart[h] = trigrams;
      trigrams += history[2 * h + 1]!;
    }
    this.hTriStart[H] = trigrams;
    if (trigrams !== meta.trigrams) throw bad('n-gram counts do not add up');
    // Ids are delta-coded within runs: decode and undo the deltas in one pass.
    const bw2 = decodeDeltaRuns(c.u8('bw2'), this.ubiStart, V);
    const tw3 = decodeDeltaRuns(c.u8('tw3'), this.hTriStart, V);
    if (!bw2 || !tw3) throw bad('index streams are damaged or ids out of range');
    this.bw2 = bw2;
    this.tw3 = tw3;
    this.bcost = c.u8('bcostq');
    this.tcost = c.u8('tcostq');
    if (this.bcost.length !== meta.bigrams || this.tcost.length !== meta.trigrams) {
      throw bad('cost tables do not match the n-gram counts');
    }
    this.qbcost = c.f32('qbcost');
    this.qbbow = c.f32('qbbow');
    this.qtcost = c.f32('qtcost');
    if (this.qbcost.length !== 256 || this.qbbow.length !== 256 || this.qtcost.length !== 256) throw bad('bad codebooks');
    if (!(meta.boundaryId >= 0 && meta.boundaryId < V)) throw bad('bad boundary id');
    this.boundary = meta.boundaryId;
    this.beginState = this.boundary;
  }

  /** Unigram cost of a word (no context). */
  unigramCost(word: number): number {
    return word < this.vocabularySize ? this.ucost[word]! : UNKNOWN_WORD_COST;
  }

  /** The last word of the history a state stands for. */
  lastWord(state: number): number {
    return state < this.vocabularySize ? state : this.bw2[state - this.vocabularySize]!;
  }

  score(state: number, word: number, out: ScoreOut): number {
    const V = this.vocabularySize;
    if (word >= V) {
      out.state = this.boundary;
      return UNKNOWN_WORD_COST;
    }
    if (state < V) return this.scoreAfterWord(state, word, out);
    const b = state - V;
    const h = this.historySlot[b]!;
    if (h < 0) return this.scoreAfterWord(this.bw2[b]!, word, out);
    const t = search(this.tw3, this.hTriStart[h]!, this.hTriStart[h + 1]!, word);
    if (t >= 0) {
      this.scoreAfterWord(this.bw2[b]!, word, out);
      return this.qtcost[this.tcost[t]!]!;
    }
    return this.qbbow[this.hbow[h]!]! + this.scoreAfterWord(this.bw2[b]!, word, out);
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
      const h = this.historySlot[state - V]!;
      trigrams = new Set();
      if (h >= 0) backoff = this.qbbow[this.hbow[h]!]!;
      for (let t = h < 0 ? 0 : this.hTriStart[h]!; h >= 0 && t < this.hTriStart[h + 1]!; t++) {
        trigrams.add(this.tw3[t]!);
        offer(this.tw3[t]!, this.qtcost[this.tcost[t]!]!);
      }
    }
    const last = this.lastWord(state);
    for (let b = this.ubiStart[last]!; b < this.ubiStart[last + 1]!; b++) {
      const word = this.bw2[b]!;
      if (!trigrams?.has(word)) offer(word, backoff + this.qbcost[this.bcost[b]!]!);
    }
    return best;
  }

  endCost(state: number): number {
    return this.score(state, this.boundary, this.tmp);
  }

  /** Bigram-or-unigram cost of `word` after `prev`; sets the successor state. */
  private scoreAfterWord(prev: number, word: number, out: ScoreOut): number {
    const b = search(this.bw2, this.ubiStart[prev]!, this.ubiStart[prev + 1]!, word);
    if (b >= 0) {
      out.state = this.vocabularySize + b;
      return this.qbcost[this.bcost[b]!]!;
    }
    out.state = word;
    return this.ubow[prev]! + this.ucost[word]!;
  }
}

function search(keys: Uint32Array, lo: number, hi: number, key: number): number {
  hi--;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = keys[mid]!;
    if (k < key) lo = mid + 1;
    else if (k > key) hi = mid - 1;
    else return mid;
  }
  return -1;
}

function prefixStarts(counts: Uint32Array, total: number, bad: (w: string) => Error): Uint32Array {
  const starts = new Uint32Array(counts.length + 1);
  let sum = 0;
  for (let i = 0; i < counts.length; i++) {
    starts[i] = sum;
    sum += counts[i]!;
  }
  if (sum !== total) throw bad('n-gram counts do not add up');
  starts[counts.length] = sum;
  return starts;
}

/**
 * Decodes LEB128 varints that are delta-coded within runs (`starts` gives each run's first
 * index; the last entry is the total) straight into absolute ids, in one pass. Undefined
 * when the stream is short, long, or an id reaches `limit`.
 */
function decodeDeltaRuns(bytes: Uint8Array, starts: Uint32Array, limit: number): Uint32Array | undefined {
  const runs = starts.length - 1;
  const total = starts[runs]!;
  const out = new Uint32Array(total);
  const n = bytes.length;
  let p = 0;
  let i = 0;
  for (let r = 0; r < runs; r++) {
    const end = starts[r + 1]!;
    let acc = 0;
    for (; i < end; i++) {
      let v = 0;
      let shift = 0;
      for (;;) {
        if (p >= n || shift > 28) return undefined;
        const byte = bytes[p++]!;
        v |= (byte & 0x7f) << shift;
        if (byte < 0x80) break;
        shift += 7;
      }
      acc += v >>> 0;
      out[i] = acc;
    }
    if (acc >= limit) return undefined;
  }
  return p === n ? out : undefined;
}
