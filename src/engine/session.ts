import type { Decoder } from '../decoder/decoder.ts';
import { findWord, wordTextIn } from '../lexicon/word-trie.ts';
import { syllableId } from '../pinyin/syllables.ts';
import type { ScoreOut } from '../lm/language-model.ts';
import { normalizeKeys } from '../pinyin/input-options.ts';
import type { Candidate, CommitRecord } from './candidate.ts';
import { CandidateList } from './candidate-list.ts';
import { Predictor, type Prediction, type PredictionContext } from './prediction.ts';
import type { SessionHost, SessionOptions } from './session-host.ts';

const DEFAULT_PREDICTIONS = 8;
/** Committed words kept as the context of next-word prediction. */
const CONTEXT_WORDS = 4;

/**
 * One composition: the letters typed, the pieces already picked, and the candidates for the
 * rest. Pure and synchronous; no DOM. A keyboard drives it with type/backspace/select/commit.
 */
export class Session {
  private input = '';
  private picked: Candidate[] = [];
  /** Where each picked piece started in `input` (a skipped separator belongs to its piece). */
  private pickStarts: number[] = [];
  private consumed = 0;
  /** Where the caret is in `input`; -1 (the usual case) keeps it at the end. */
  private caretPos = -1;
  /** The candidates of the input as it is (undefined: to be built). */
  private cached: Candidate[] | undefined;
  /** Builds the candidates and keeps the caches that make a key cheap. */
  private readonly list: CandidateList;
  private readonly out: ScoreOut = { state: 0, cost: 0 };
  private context: PredictionContext = { words: [], text: '' };
  private predictor: Predictor | undefined;
  private cachedPredictions: Prediction[] | undefined;
  /** The engine's output script the caches were made for. */
  private cachedScript = 0;

  /** @internal Use Engine.createSession. */
  constructor(
    private readonly host: SessionHost,
    private readonly decoder: Decoder,
  ) {
    this.list = new CandidateList(host, decoder);
  }

  /** All letters typed in this composition (normalised), including picked ones. */
  get rawInput(): string {
    return this.input;
  }

  /** The letters not yet covered by a picked candidate. */
  get remainingInput(): string {
    return this.input.slice(this.consumed);
  }

  /** True while something is being composed. */
  get composing(): boolean {
    return this.input.length > 0;
  }

  /**
   * Where the caret is in {@link rawInput} (typing inserts there, backspace deletes before it):
   * the end unless moved with {@link moveCaret}, never inside the picked part.
   */
  get caret(): number {
    return this.caretPos < 0 ? this.input.length : Math.max(this.consumed, Math.min(this.caretPos, this.input.length));
  }

  /** Text of the pieces picked so far. */
  get pickedText(): string {
    return this.picked.map((c) => c.text).join('');
  }

  /**
   * Appends typed keys. Letters and apostrophes compose (capitals are lowered, ü becomes v;
   * shuangpin schemes also take `;`); any other character is ignored. Returns the number of
   * keys accepted.
   */
  type(keys: string): number {
    let add = normalizeKeys(this.decoder.options.scheme, keys);
    // Normalising drops a leading separator; typed as a key of its own (x i ' a n) it counts.
    if (/^\s*['’]/.test(keys) && !add.startsWith("'")) add = `'${add}`;
    const at = this.caret;
    const before = this.input.slice(0, at);
    const after = this.input.slice(at);
    if (add.startsWith("'") && (at <= this.consumed || before.endsWith("'"))) add = add.slice(1);
    if (add.endsWith("'") && after.startsWith("'")) add = add.slice(0, -1);
    if (!add) return 0;
    this.input = before + add + after;
    if (this.caretPos >= 0) this.caretPos = at + add.length;
    this.cached = undefined;
    return add.length;
  }

  /**
   * Deletes the last letter. With no letters left after the picked pieces, un-picks the last
   * piece instead (its letters come back); deleting the last letter after a picked piece also
   * un-picks it, so a composition always has letters to convert and candidates to show.
   * Returns false when there was nothing to delete.
   */
  backspace(): boolean {
    if (this.input.length === 0) return false;
    const at = this.caret;
    if (at < this.input.length) {
      // Inside the letters: delete the one before the caret (at the start of the rest, un-pick
      // the last piece, whose letters come back before the caret).
      if (at <= this.consumed) {
        if (this.picked.length === 0) return false;
        this.unpick();
      } else {
        this.input = this.input.slice(0, at - 1) + this.input.slice(at);
        this.caretPos = at - 1;
      }
      this.cached = undefined;
      return true;
    }
    if (this.consumed >= this.input.length && this.picked.length > 0) {
      this.unpick();
    } else {
      this.input = this.input.slice(0, -1);
      if (this.consumed >= this.input.length && this.picked.length > 0) this.unpick();
    }
    this.cached = undefined;
    return true;
  }

  /**
   * Deletes the letter after the caret (Delete). Returns false when the caret is at the end.
   * Deleting the last letters after picked pieces un-picks the last one, as backspace does.
   */
  deleteForward(): boolean {
    const at = this.caret;
    if (at >= this.input.length) return false;
    this.input = this.input.slice(0, at) + this.input.slice(at + 1);
    this.caretPos = at;
    if (this.consumed >= this.input.length && this.picked.length > 0) this.unpick();
    if (this.input.length === 0) this.reset();
    this.cached = undefined;
    return true;
  }

  /**
   * Moves the caret one syllable left (-1) or right (+1) in the letters not yet picked, or to
   * their start ('home') or end ('end'). Syllables are those of the best conversion (the ones
   * the preedit separates); letters past it move one at a time. Returns false when it did not move.
   */
  moveCaret(to: -1 | 1 | 'home' | 'end'): boolean {
    const at = this.caret;
    let next = at;
    if (to === 'home') next = this.consumed;
    else if (to === 'end') next = this.input.length;
    else {
      const stops = this.caretStops();
      if (to < 0) next = stops.filter((p) => p < at).pop() ?? at;
      else next = stops.find((p) => p > at) ?? at;
    }
    if (next === at) return false;
    this.caretPos = next >= this.input.length ? -1 : next;
    return true;
  }

  /**
   * Where the caret is in {@link preedit} (a UTF-16 index): after the syllable or letter it
   * follows in the shown text.
   */
  preeditCaret(): number {
    const at = this.caret;
    const spans = this.preeditSpans();
    const text = this.preedit();
    if (at >= this.input.length) return text.length;
    const rel = at - this.consumed;
    for (const span of spans) {
      if (rel < span.start) return span.shownStart; // on a separator typed before it
      if (rel < span.end) return span.shownStart + Math.min(rel - span.start, span.shownEnd - span.shownStart);
    }
    return text.length;
  }

  private unpick(): void {
    this.picked.pop();
    this.consumed = this.pickStarts.pop()!;
  }

  /** Caret stops in the input: the start of the rest, the start of each syllable, the end. */
  private caretStops(): number[] {
    const stops = new Set<number>([this.consumed, this.input.length]);
    for (const span of this.preeditSpans()) stops.add(this.consumed + span.start);
    return [...stops].sort((a, b) => a - b);
  }

  /**
   * The remaining input in the pieces the preedit shows: each syllable of the best conversion
   * (`start`/`end` in the remaining letters, `shownStart`/`shownEnd` in {@link preedit}), then
   * each letter past what it covers. A syllable typed otherwise than shown (an initial, a
   * fuzzy or corrected reading, shuangpin) covers the letters up to the next syllable's.
   */
  private preeditSpans(): PreeditSpan[] {
    const rest = this.remainingInput;
    if (!rest) return [];
    this.candidates();
    const best = this.list.sentences?.[0];
    const spans: PreeditSpan[] = [];
    let shown = this.pickedText.length;
    let covered = 0;
    const pairs = this.decoder.options.scheme !== 'quanpin';
    for (const w of best?.words ?? []) {
      const syllables = w.reading.split("'");
      let pos = w.start;
      for (let k = 0; k < syllables.length; k++) {
        const syllable = syllables[k]!;
        while (rest[pos] === "'" && pos < w.end) pos++;
        const left = syllables.length - k - 1;
        let n: number;
        if (left === 0) n = w.end - pos;
        else if (pairs) n = Math.min(2, w.end - pos - left);
        else if (rest.startsWith(syllable, pos) && pos + syllable.length <= w.end - left) n = syllable.length;
        else {
          n = 0;
          while (n < syllable.length && rest[pos + n] === syllable[n] && pos + n < w.end - left) n++;
          n = Math.max(1, n);
        }
        if (k > 0 || spans.length > 0) shown++; // the separator shown before it
        spans.push({ start: pos, end: pos + n, shownStart: shown, shownEnd: shown + syllable.length });
        shown += syllable.length;
        pos += n;
      }
      covered = w.end;
    }
    for (let p = covered; p < rest.length; p++) spans.push({ start: p, end: p + 1, shownStart: shown, shownEnd: ++shown });
    return spans;
  }

  /**
   * The candidates for the remaining input, as a keyboard shows them: the best whole-input
   * sentence; a second sentence only when it is close (within
   * {@link SessionOptions.secondSentenceMargin} nats) and differs from the first in more than
   * one character; then the words covering a prefix of the input, longest first; no text
   * twice. The other sentences of the n-best are in {@link sentenceCandidates}.
   */
  candidates(): readonly Candidate[] {
    this.checkScript();
    if (this.cached) return this.cached;
    return (this.cached = this.list.build(this.remainingInput, this.contextState(), this.cachedScript));
  }

  /**
   * The whole-input sentences of the remaining input (the decoder's n-best, up to five,
   * distinct, best first; in the reranker's order after {@link rankedCandidates}). What
   * accuracy is measured on; {@link candidates} shows the first one or two of them.
   */
  sentenceCandidates(): readonly Candidate[] {
    this.candidates();
    return this.list.sentenceCandidates;
  }

  /**
   * Picks candidate `index`. A candidate covering only part of the input is fixed and
   * decoding continues on the rest; once nothing is left the composition is committed.
   * Returns the committed text, or undefined while composition goes on (or for a bad index).
   */
  select(index: number): string | undefined {
    const c = this.candidates()[index];
    if (!c) return undefined;
    return this.pick(c);
  }

  /** Fixes `c` as the next piece; commits once nothing is left. */
  private pick(c: Candidate): string | undefined {
    this.picked.push(c);
    this.pickStarts.push(this.consumed);
    this.consumed += c.length;
    // Skip a separator left at the start of the rest.
    if (this.input[this.consumed] === "'") this.consumed++;
    if (this.caretPos >= 0 && this.caretPos < this.consumed) this.caretPos = this.consumed;
    this.cached = undefined;
    if (this.consumed >= this.input.length) return this.finish();
    return undefined;
  }

  /**
   * 以词定字: picks only the first or the last character of candidate `index`, for all the
   * letters the candidate covers (typing `ciyu` and taking the last character of 词语 gives
   * 语). Like {@link select}, returns the committed text once nothing is left.
   */
  selectCharacter(index: number, which: 'first' | 'last'): string | undefined {
    const c = this.candidates()[index];
    if (!c) return undefined;
    const chars = [...c.text];
    if (chars.length < 2 || c.kind === 'raw') return this.select(index);
    const text = which === 'first' ? chars[0]! : chars[chars.length - 1]!;
    const syllables = c.reading.split("'");
    const reading = syllables.length === chars.length ? (which === 'first' ? syllables[0]! : syllables[syllables.length - 1]!) : c.reading;
    // The character as the lexicon word it is, so that the user history learns the pick.
    const tries = this.decoder.tries;
    const syllable = syllableId(reading);
    const found = syllable < 0 ? undefined : tries.map((t) => findWord(t, text, [syllable], (w) => wordTextIn(tries, w))).find((w) => w !== undefined);
    return this.pick({ text, length: c.length, kind: 'word', reading, words: [{ text, reading, word: found ?? -1 }] });
  }

  /**
   * Commits the picked pieces plus the best conversion of the rest (what space does) and
   * starts a new composition. Returns the committed text ('' when nothing was composed).
   */
  commit(): string {
    if (!this.composing) return '';
    const best = this.candidates()[0];
    if (best && best.kind === 'sentence') {
      this.picked.push(best);
      this.consumed = this.input.length;
    }
    return this.finish();
  }

  /**
   * Commits the pieces picked so far and the remaining letters as typed (what Enter does:
   * 我想 picked, `chifan` left → `我想chifan`); learns nothing.
   */
  commitRaw(): string {
    const text = this.pickedText + this.remainingInput.replace(/'/g, '');
    this.reset();
    this.clearContext();
    return text;
  }

  /**
   * Likely next words after what this session committed last, when nothing is being typed
   * (empty while composing, or before anything was committed): from the n-gram model and the
   * engine's extra prediction sources (the user's history), best first.
   */
  predictions(limit = DEFAULT_PREDICTIONS): readonly Prediction[] {
    this.checkScript();
    if (this.composing) return [];
    if (this.cachedPredictions && this.cachedPredictions.length >= limit) return this.cachedPredictions.slice(0, limit);
    this.predictor ??= new Predictor(
      this.host.baseModel,
      (word) => wordTextIn(this.decoder.tries, word),
      this.host.options.predictionSources?.() ?? [],
    );
    const convert = this.host.outputConverter;
    const predicted = this.predictor.predict(this.context, limit);
    this.cachedPredictions = convert ? predicted.map((p) => ({ ...p, text: convert(p.text) })) : predicted;
    return this.cachedPredictions;
  }

  /**
   * Commits prediction `index` of the last {@link predictions} list (commit listeners hear of
   * it) and predicts on from it. Returns the committed text, or undefined for a bad index or
   * while composing.
   */
  selectPrediction(index: number): string | undefined {
    if (this.composing) return undefined;
    const p = (this.cachedPredictions ?? this.predictions())[index];
    if (!p) return undefined;
    const piece: Candidate = { text: p.text, length: 0, kind: 'word', reading: '', words: [{ text: p.text, reading: '', word: p.word }] };
    this.remember([piece]);
    this.host.notifyCommit({ text: p.text, pieces: [piece], input: '' });
    return p.text;
  }

  /** Forgets the committed text predictions follow (the cursor moved, the field changed). */
  clearContext(): void {
    this.context = { words: [], text: '' };
    this.cachedPredictions = undefined;
  }

  /** Drops the composition. */
  reset(): void {
    this.input = '';
    this.picked = [];
    this.pickStarts = [];
    this.consumed = 0;
    this.caretPos = -1;
    this.cached = undefined;
    // A new composition sees what the user history learned meanwhile (in any session).
    this.list.clear();
  }

  /**
   * What the input field shows while composing: picked text, then the remaining letters
   * split into the syllables of the best conversion (`你hao`, `ni'hao`).
   */
  preedit(): string {
    const rest = this.remainingInput;
    if (!rest) return this.pickedText;
    this.candidates();
    const best = this.list.sentences?.[0];
    if (!best) return this.pickedText + rest;
    const covered = best.words.length > 0 ? best.words[best.words.length - 1]!.end : 0;
    const syllables = best.words.map((w) => w.reading).join("'");
    return this.pickedText + syllables + rest.slice(covered);
  }

  /**
   * The candidates with the whole-input sentences reordered by `reranker` (by default the
   * engine's {@link SessionOptions.reranker}): it rescores the decoder's best K sentences, and
   * the best of its order lead the list; words follow as in {@link candidates}. `context` is
   * text committed before this composition (the pieces picked in it are added). Later calls
   * of {@link candidates}, {@link select} and {@link commit} use this order until the input
   * changes. Without a reranker, or if the input changed while it ran, this is
   * {@link candidates}.
   */
  async rankedCandidates(reranker = this.host.options.reranker, context = ''): Promise<readonly Candidate[]> {
    const list = this.candidates();
    const reranking = this.list.rerank(reranker, this.remainingInput, context + this.pickedText);
    if (!reranking) return list;
    const relayout = await reranking;
    if (this.cached !== list) return this.candidates();
    return (this.cached = relayout(list.filter((c) => c.kind !== 'sentence')));
  }

  private finish(): string {
    const record: CommitRecord = {
      text: this.pickedText,
      pieces: [...this.picked],
      input: this.input,
    };
    this.reset();
    this.remember(record.pieces);
    if (record.text) this.host.notifyCommit(record);
    return record.text;
  }

  /** Drops cached candidates and predictions made for another output script. */
  private checkScript(): void {
    if (this.cachedScript === this.host.outputVersion) return;
    this.cachedScript = this.host.outputVersion;
    this.cached = undefined;
    this.cachedPredictions = undefined;
  }

  /** Adds committed pieces to the prediction context. */
  private remember(pieces: readonly Candidate[]): void {
    const words = pieces.flatMap((p) => p.words);
    this.context = {
      words: [...this.context.words, ...words.map((w) => w.word)].slice(-CONTEXT_WORDS),
      text: (this.context.text + words.map((w) => w.text).join('')).slice(-16),
    };
    this.cachedPredictions = undefined;
  }

  /** Language-model state after the picked pieces. */
  private contextState(): number {
    const lm = this.decoder.lm;
    let state = lm.beginState;
    for (const p of this.picked) {
      for (const w of p.words) {
        if (w.word < 0) state = lm.beginState;
        else {
          lm.score(state, w.word, this.out);
          state = this.out.state;
        }
      }
    }
    return state;
  }
}

/** A piece of the remaining input as the preedit shows it (see Session.preeditSpans). */
interface PreeditSpan {
  /** Letters covered in the remaining input. */
  readonly start: number;
  readonly end: number;
  /** Where it is shown in the preedit. */
  readonly shownStart: number;
  readonly shownEnd: number;
}
