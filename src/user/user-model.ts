import { wordTextIn, type WordTrie } from '../lexicon/word-trie.ts';
import type { LanguageModel, ScoreOut } from '../lm/language-model.ts';
import {
  SENTENCE_START,
  type ContextEntry,
  type HistoryChange,
  type PairEntry,
  type UnitEntry,
  type UserHistory,
} from './history.ts';
import type { LexiconLike } from './learner.ts';
import { findWord } from '../lexicon/word-trie.ts';
import { parseReading } from './readings.ts';
import type { UserWords } from './user-words.ts';
import { ImeError, ImeErrorCode } from '../util/errors.ts';

/**
 * How strongly the history speaks; every field has a default. A word's cost becomes
 * -ln(P_base + pairWeight · P_pair + unitWeight · P_unit + phraseWeight · P_phrase), so words
 * never committed keep their base cost exactly and words the base model already likes barely
 * move.
 */
export interface UserModelOptions {
  /** Weight of P_pair(w | prev) = pair(prev, w) / (context(prev) + pairPrior). */
  readonly pairWeight: number;
  /** Pseudo-count that keeps a context seen once from speaking with certainty. */
  readonly pairPrior: number;
  /** Weight of P_unit(w) = unit(w) / (total + unitPrior), the user's word frequencies. */
  readonly unitWeight: number;
  /** Pseudo-count added to the total of unit weights. */
  readonly unitPrior: number;
  /** Weight of P_phrase(w) = unit(w) / (unit(w) + phrasePrior), for learned phrases only. */
  readonly phraseWeight: number;
  readonly phrasePrior: number;
  /**
   * Most the history may lower a word's cost, in nats per use (its decayed count): a word
   * picked once gains at most this much, so it passes words of similar cost but not a far more
   * common one (我门 once does not beat 我们); each further use raises the bound (promotion
   * on repeated use), and decay lowers it again.
   */
  readonly boostPerUse: number;
  /** What the last use adds to that bound right after it, in nats; it halves every {@link freshHalfLife} commits. */
  readonly freshBoost: number;
  readonly freshHalfLife: number;
}

/** Tuned on dev-chat (learned, then retyped) against dev-news (harm): see src/user/README.md. */
export const DEFAULT_USER_MODEL_OPTIONS: Readonly<UserModelOptions> = Object.freeze({
  pairWeight: 0.1,
  pairPrior: 1,
  unitWeight: 0.005,
  unitPrior: 20,
  phraseWeight: 0.01,
  phrasePrior: 1,
  boostPerUse: 3,
  freshBoost: 20,
  freshHalfLife: 500,
});

/** Word ids (lexicon and learned phrases) must stay below this. */
export const MAX_USER_MODEL_WORD_ID = 2 ** 21 - 2;
/** Cost of a phrase id that was forgotten while a decoder still had it cached. */
const FORGOTTEN_COST = 1000;
/** Most distinct states after phrases; past it, such states fall back to the base state. */
const MAX_PHRASE_STATES = 1 << 20;

/**
 * The language model the decoder scores with once history is on: the base n-gram model with
 * the user's decayed counts blended in (libime-style: the base model keeps its own states).
 * Learned phrases score as their lexicon words under the base model, plus their own user
 * probability.
 *
 * States: after a lexicon word, the base model's state itself (its last word is the previous
 * unit, asked through {@link LanguageModel.lastWord}); after a learned phrase, a negative number
 * naming an interned (base state, phrase) pair, so pairs can follow the phrase. Without
 * `lastWord` on the base model only pairs after phrases and at sentence starts count.
 *
 * It keeps an id-keyed index of the history, updated from the history's change events.
 */
export class UserModel implements LanguageModel {
  readonly beginState: number;
  readonly vocabularySize: number;
  readonly options: UserModelOptions;
  private readonly unitById = new Map<number, UnitEntry>();
  /** 1 for lexicon ids that are units (a quick test before the map). */
  private readonly lexiconUnits: Uint8Array;
  private readonly idByText = new Map<string, number>();
  private readonly partsById = new Map<number, Int32Array>();
  /** Pairs by previous slot (previous id + 1, 0 at a sentence start), then next id. */
  private readonly pairsBySlot = new Map<number, Map<number, PairEntry>>();
  private readonly contextBySlot = new Map<number, ContextEntry>();
  private readonly tmp: ScoreOut = { state: 0, cost: 0 };
  /** Slot for {@link unigramCost}'s fallback (score() itself uses {@link tmp}). */
  private readonly startOut: ScoreOut = { state: 0, cost: 0 };
  /** Interned states after phrases: state -(k+1) is (phraseBase[k], phrase phrasePrev[k]). */
  private phraseBase = new Float64Array(256);
  private phrasePrev = new Int32Array(256);
  private phraseStates = 0;
  private readonly phraseStateIndex = new Map<number, number>();
  /**
   * The base model's {@link LanguageModel.lastWord}, which user pairs need (states after
   * lexicon words stay the base model's own states); without it only pairs after phrases and
   * at sentence starts count.
   */
  private readonly lastWordOf: ((state: number) => number) | undefined;
  /** The base model's last word of its begin state (stands for a sentence start). */
  private readonly startWord: number;
  private lexiconTexts: Map<string, number> | undefined;
  private readonly lexiconSize: number;
  /** The lexicon, then the learned phrases (ids above the lexicon's). */
  private readonly tries: readonly WordTrie[];

  constructor(
    readonly base: LanguageModel,
    readonly history: UserHistory,
    readonly lexicon: LexiconLike,
    readonly words: UserWords,
    options: Partial<UserModelOptions> = {},
  ) {
    this.options = { ...DEFAULT_USER_MODEL_OPTIONS, ...options };
    for (const [k, v] of Object.entries(this.options)) {
      if (!(typeof v === 'number' && v >= 0 && Number.isFinite(v))) throw new ImeError(ImeErrorCode.InvalidArgument, `user model option ${k} must be a number >= 0`);
    }
    if (words.endId - 1 > MAX_USER_MODEL_WORD_ID) throw new ImeError(ImeErrorCode.InvalidArgument, 'too many word ids for the user model');
    if (!(base.beginState >= 0)) throw new ImeError(ImeErrorCode.InvalidArgument, 'the base model must use states >= 0');
    this.lexiconSize = lexicon.size;
    this.tries = [lexicon, words];
    this.lexiconUnits = new Uint8Array(lexicon.size);
    this.beginState = base.beginState;
    this.vocabularySize = words.endId;
    this.lastWordOf = base.lastWord?.bind(base);
    this.startWord = this.lastWordOf ? this.lastWordOf(base.beginState) : -1;
    history.onChange((c) => this.apply(c));
    this.rebuild();
  }

  score(state: number, word: number, out: ScoreOut): void {
    let baseState = state >= 0 ? state : this.phraseBase[-state - 1]!;
    if (word < this.lexiconSize) {
      this.base.score(baseState, word, out);
      if (this.lexiconUnits[word] === 0) return;
    } else {
      const parts = this.partsById.get(word);
      if (parts === undefined) {
        out.state = this.beginState;
        out.cost = FORGOTTEN_COST;
        return;
      }
      let cost = 0;
      for (let i = 0; i < parts.length; i++) {
        this.base.score(baseState, parts[i]!, this.tmp);
        cost += this.tmp.cost;
        baseState = this.tmp.state;
      }
      out.state = this.phraseState(baseState, word);
      out.cost = cost;
    }
    if (this.unitById.has(word)) out.cost = this.withUser(out.cost, this.slotOf(state), word);
  }

  /**
   * The base model's context-free cost with the user's own use of the word blended in (as at
   * a sentence start). For learned phrases, or a base model that cannot tell it, the cost at a
   * sentence start instead.
   */
  unigramCost(word: number): number {
    const base = word < this.lexiconSize ? this.base.unigramCost?.(word) : undefined;
    if (base !== undefined) return this.withUser(base, 0, word);
    this.score(this.beginState, word, this.startOut);
    return this.startOut.cost;
  }

  /** `cost` (a base-model cost of `word`) blended with the user's probability of it after `slot`. */
  private withUser(cost: number, slot: number, word: number): number {
    const unit = this.unitById.get(word);
    if (unit === undefined) return cost;
    // At most boostPerUse nats lower per character and use, plus what a recent use adds while
    // it is fresh: p <= P_base · (e^bound - 1).
    const o = this.options;
    const age = this.history.tick - unit.t;
    const bound = o.boostPerUse * unit.text.length * unit.scaled * this.history.factor + o.freshBoost * 2 ** (-age / o.freshHalfLife);
    const p = Math.min(this.userProbability(slot, word, unit), Math.exp(-cost + Math.log(Math.expm1(bound))));
    // -ln(e^-cost + p), computed stably.
    const a = -cost;
    const b = Math.log(p);
    return a > b ? -(a + Math.log1p(Math.exp(b - a))) : -(b + Math.log1p(Math.exp(a - b)));
  }

  endCost(state: number): number {
    return this.base.endCost(state >= 0 ? state : this.phraseBase[-state - 1]!);
  }

  /** The base model's revision (its states are the ones this model passes on). */
  get revision(): number {
    return this.base.revision ?? 0;
  }

  /** The previous unit of a state as a slot: its word id + 1, or 0 at a sentence start (or unknown). */
  private slotOf(state: number): number {
    if (state < 0) return this.phrasePrev[-state - 1]! + 1;
    if (state === this.beginState || !this.lastWordOf) return 0;
    const prev = this.lastWordOf(state);
    return prev === this.startWord ? 0 : prev + 1;
  }

  /** The state after phrase `word` ending in base state `baseState` (interned; no allocation once seen). */
  private phraseState(baseState: number, word: number): number {
    const key = baseState * 2 ** 21 + word;
    const known = this.phraseStateIndex.get(key);
    if (known !== undefined) return -(known + 1);
    if (this.phraseStates >= MAX_PHRASE_STATES) return baseState;
    const k = this.phraseStates++;
    if (k >= this.phraseBase.length) {
      const base = new Float64Array(this.phraseBase.length * 2);
      base.set(this.phraseBase);
      this.phraseBase = base;
      const prev = new Int32Array(this.phrasePrev.length * 2);
      prev.set(this.phrasePrev);
      this.phrasePrev = prev;
    }
    this.phraseBase[k] = baseState;
    this.phrasePrev[k] = word;
    this.phraseStateIndex.set(key, k);
    return -(k + 1);
  }

  /**
   * The user's weighted probability mass for `word` after the unit in `slot` (previous id + 1,
   * 0 at a sentence start); 0 for words never committed.
   */
  userProbability(slot: number, word: number, unit = this.unitById.get(word)): number {
    if (unit === undefined) return 0;
    const f = this.history.factor;
    const o = this.options;
    const weight = unit.scaled * f;
    let p = (o.unitWeight * weight) / (this.history.totalScaled * f + o.unitPrior);
    if (word >= this.lexiconSize) p += (o.phraseWeight * weight) / (weight + o.phrasePrior);
    const context = this.contextBySlot.get(slot);
    if (context === undefined) return p;
    const pair = this.pairsBySlot.get(slot)?.get(word);
    if (pair !== undefined) p += (o.pairWeight * pair.scaled * f) / (context.scaled * f + o.pairPrior);
    return p;
  }

  /**
   * Calls `visit` for every unit the user committed right after `previous` (a word id, or -1
   * for a sentence start), with P_pair(next | previous).
   */
  forEachSuccessor(previous: number, visit: (next: number, probability: number) => void): void {
    const slot = previous + 1;
    const pairs = this.pairsBySlot.get(slot);
    const context = this.contextBySlot.get(slot);
    if (!pairs || !context) return;
    const total = context.scaled + this.options.pairPrior / this.history.factor;
    for (const [next, pair] of pairs) if (this.unitById.has(next)) visit(next, pair.scaled / total);
  }

  /** The text of a word id (lexicon word or learned phrase). */
  textOf(word: number): string | undefined {
    return wordTextIn(this.tries, word);
  }

  /** The id a unit text resolves to (lexicon word or learned phrase), if any. */
  idOf(text: string): number | undefined {
    return this.idByText.get(text);
  }

  private apply(c: HistoryChange): void {
    if (c.type === 'reset') this.rebuild();
    else if (c.type === 'unit') {
      if (c.entry) this.indexUnit(c.entry);
      else this.unindexUnit(c.key);
    } else if (c.entry) this.indexPair(c.entry);
    else this.unindexPair(c.key);
  }

  private rebuild(): void {
    this.unitById.clear();
    this.lexiconUnits.fill(0);
    this.idByText.clear();
    this.partsById.clear();
    this.pairsBySlot.clear();
    this.contextBySlot.clear();
    this.words.clear();
    for (const u of this.history.units()) this.indexUnit(u);
    for (const p of this.history.pairs()) this.indexPair(p);
  }

  private indexUnit(e: UnitEntry): void {
    if (this.idByText.has(e.text)) {
      const id = this.idByText.get(e.text)!;
      if (this.unitById.get(id) === e) return;
    }
    const id = e.parts ? this.phraseId(e) : this.lexiconId(e);
    if (id === undefined) return;
    e.id = id < this.lexiconSize ? id : e.id;
    this.idByText.set(e.text, id);
    this.unitById.set(id, e);
    if (id < this.lexiconSize) this.lexiconUnits[id] = 1;
  }

  private unindexUnit(text: string): void {
    const id = this.idByText.get(text);
    if (id === undefined) return;
    this.idByText.delete(text);
    this.unitById.delete(id);
    if (id < this.lexiconSize) this.lexiconUnits[id] = 0;
    this.pairsBySlot.delete(id + 1);
    this.contextBySlot.delete(id + 1);
    if (this.partsById.delete(id)) this.words.remove(text);
  }

  private indexPair(p: PairEntry): void {
    const prev = p.prev === SENTENCE_START ? -1 : this.idByText.get(p.prev);
    const next = this.idByText.get(p.next);
    if (prev === undefined || next === undefined) return;
    let m = this.pairsBySlot.get(prev + 1);
    if (!m) this.pairsBySlot.set(prev + 1, (m = new Map()));
    m.set(next, p);
    const context = this.history.context(p.prev);
    if (context) this.contextBySlot.set(prev + 1, context);
  }

  private unindexPair(key: string): void {
    const tab = key.indexOf('\t');
    const prevText = key.slice(0, tab);
    const prev = prevText === SENTENCE_START ? -1 : this.idByText.get(prevText);
    const next = this.idByText.get(key.slice(tab + 1));
    if (prev === undefined) return;
    const m = this.pairsBySlot.get(prev + 1);
    if (m && next !== undefined) m.delete(next);
    if (m && m.size === 0) this.pairsBySlot.delete(prev + 1);
    if (!this.history.context(prevText)) this.contextBySlot.delete(prev + 1);
  }

  /** The lexicon id of a unit: its id hint if the text still matches, else found by reading or text. */
  private lexiconId(e: { text: string; reading: string; id?: number | undefined }): number | undefined {
    if (e.id !== undefined && e.id < this.lexiconSize && this.lexicon.textOf(e.id) === e.text) return e.id;
    const syllables = parseReading(e.reading);
    const byReading = syllables && findWord(this.lexicon, e.text, syllables, (w) => this.lexicon.textOf(w));
    if (byReading !== undefined) return byReading;
    return this.lexiconTextIndex().get(e.text);
  }

  /** Registers a learned phrase in the user words; its parts must resolve to lexicon ids. */
  private phraseId(e: UnitEntry): number | undefined {
    const parts = new Int32Array(e.parts!.length);
    for (let i = 0; i < parts.length; i++) {
      const id = this.lexiconId(e.parts![i]!);
      if (id === undefined) return undefined;
      parts[i] = id;
    }
    const syllables = parseReading(e.reading);
    if (!syllables) return undefined;
    const id = this.words.add(e.text, syllables);
    if (id === undefined) return undefined;
    this.partsById.set(id, parts);
    return id;
  }

  /** Text → id over the whole lexicon, built once and only when an id hint went stale. */
  private lexiconTextIndex(): Map<string, number> {
    if (!this.lexiconTexts) {
      const m = new Map<string, number>();
      for (let id = 0; id < this.lexiconSize; id++) {
        const t = this.lexicon.textOf(id);
        if (t && !m.has(t)) m.set(t, id);
      }
      this.lexiconTexts = m;
    }
    return this.lexiconTexts;
  }
}
