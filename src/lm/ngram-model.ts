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
  private readonly bbow: Uint8Array;
  private readonly btriStart: Uint32Array;
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
    const bw2 = decodeVarints(c.u8('bw2'), meta.bigrams);
    const tw3 = decodeVarints(c.u8('tw3'), meta.trigrams);
    if (!uniCounts || !history || !bw2 || !tw3) throw bad('index streams are damaged');
    if (!(meta.zeroBackoffLevel >= 0 && meta.zeroBackoffLevel < 256)) throw bad('bad back-off level');
    this.ubiStart = prefixStarts(uniCounts, meta.bigrams, bad);
    // Expand the history bigrams' (index delta, trigram count) pairs and back-off levels.
    const historyBows = c.u8('bbowq');
    if (historyBows.length !== meta.historyBigrams) throw bad('back-off table does not match the history count');
    const biCounts = new Uint32Array(meta.bigrams);
    this.bbow = new Uint8Array(meta.bigrams).fill(meta.zeroBackoffLevel);
    let b = 0;
    for (let h = 0; h < meta.historyBigrams; h++) {
      b += history[2 * h]!;
      if (b >= meta.bigrams) throw bad('history bigram out of range');
      biCounts[b] = history[2 * h + 1]!;
      this.bbow[b] = historyBows[h]!;
    }
    this.btriStart = prefixStarts(biCounts, meta.trigrams, bad);
    undoDeltas(bw2, this.ubiStart, V, bad);
    undoDeltas(tw3, this.btriStart, V, bad);
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
    const t = search(this.tw3, this.btriStart[b]!, this.btriStart[b + 1]!, word);
    if (t >= 0) {
      this.scoreAfterWord(this.bw2[b]!, word, out);
      return this.qtcost[this.tcost[t]!]!;
    }
    return this.qbbow[this.bbow[b]!]! + this.scoreAfterWord(this.bw2[b]!, word, out);
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
      const b = state - V;
      backoff = this.qbbow[this.bbow[b]!]!;
      trigrams = new Set();
      for (let t = this.btriStart[b]!; t < this.btriStart[b + 1]!; t++) {
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

function undoDeltas(ids: Uint32Array, starts: Uint32Array, V: number, bad: (w: string) => Error): void {
  for (let r = 0; r + 1 < starts.length; r++) {
    let acc = 0;
    for (let i = starts[r]!; i < starts[r + 1]!; i++) {
      acc += ids[i]!;
      ids[i] = acc;
    }
    if (acc >= V) throw bad('word id out of range');
  }
}
