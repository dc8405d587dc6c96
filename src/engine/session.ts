import type { Decoder, Sentence } from '../decoder/decoder.ts';
import type { Arc } from '../decoder/lattice.ts';
import type { ScoreOut } from '../lm/language-model.ts';
import type { SegmentGraph } from '../pinyin/segment-graph.ts';
import { inexactReadings } from '../pinyin/fuzzy.ts';
import { normalizeKeys } from '../pinyin/input-options.ts';
import type { Candidate, CandidateWord, CommitRecord } from './candidate.ts';
import type { Engine } from './engine.ts';
import { Predictor, type Prediction, type PredictionContext } from './prediction.ts';

const DEFAULT_WORD_CANDIDATES = 60;
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
  private cached: Candidate[] | undefined;
  private cachedSentences: Sentence[] | undefined;
  /** Conversion of the decoded part of the input (all of it below the cap), keyed by its letters and context. */
  private decodedPart: { key: string; sentences: Sentence[]; words: Candidate[] } | undefined;
  /** Word candidates of the last prefix arcs (same array from the decoder = same list). */
  /**
   * The last prefix arcs, each ranked and shown (`ranked[i]` for `arcs[i]`), and the word
   * candidates made of them. The decoder hands the same arc objects back, in the same order,
   * for words ending before the letters that changed: a key ranks and builds its new arcs only.
   */
  private wordCache: { arcs: readonly Arc[]; ranked: readonly RankedWord[]; key: string; words: Candidate[] } | undefined;
  private readonly out: ScoreOut = { state: 0, cost: 0 };
  private context: PredictionContext = { words: [], text: '' };
  private predictor: Predictor | undefined;
  private cachedPredictions: Prediction[] | undefined;
  /** The engine's output script the caches were made for. */
  private cachedScript = 0;

  /** @internal Use {@link Engine.createSession}. */
  constructor(
    private readonly engine: Engine,
    private readonly decoder: Decoder,
  ) {}

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
    if (add.startsWith("'") && (this.remainingInput.length === 0 || this.input.endsWith("'"))) add = add.slice(1);
    if (!add) return 0;
    this.input += add;
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
    if (this.consumed >= this.input.length && this.picked.length > 0) {
      this.unpick();
    } else {
      this.input = this.input.slice(0, -1);
      if (this.consumed >= this.input.length && this.picked.length > 0) this.unpick();
    }
    this.cached = undefined;
    return true;
  }

  private unpick(): void {
    this.picked.pop();
    this.consumed = this.pickStarts.pop()!;
  }

  /**
   * The candidates for the remaining input: up to five whole-input sentences first, then words
   * covering a prefix of it (longest first), without duplicates.
   */
  candidates(): readonly Candidate[] {
    this.checkScript();
    if (this.cached) return this.cached;
    const rest = this.remainingInput;
    if (!rest) return (this.cached = []);
    const cap = this.decoder.options.maxInputLength;
    const decoded = rest.length > cap ? rest.slice(0, cap) : rest;
    const tail = rest.slice(decoded.length);
    const begin = this.contextState();
    // Past the input cap only the unconverted tail changes: reuse the conversion of the rest.
    const key = `${begin}|${this.cachedScript}|${decoded}`;
    let part = this.decodedPart;
    if (!part || part.key !== key) {
      const graph = this.decoder.update(decoded, begin);
      const sentences = this.decoder.sentences();
      part = { key, sentences, words: this.wordCandidates(graph, begin) };
      this.decodedPart = part;
    }
    this.cachedSentences = part.sentences;
    // Sentences first, then the words (already distinct, see wordCandidates) that no sentence
    // repeats: a few string comparisons per word instead of a set of every text per key.
    const out: Candidate[] = [];
    for (const s of part.sentences) {
      const c = this.display(sentenceCandidate(s, rest.length, tail));
      if (c.text && !out.some((x) => x.text === c.text)) out.push(c);
    }
    const sentenceCount = out.length;
    for (const w of part.words) {
      let repeated = false;
      for (let k = 0; k < sentenceCount && !repeated; k++) repeated = out[k]!.text === w.text;
      if (!repeated) out.push(w);
    }
    return (this.cached = out);
  }

  /** Prefix-word candidates of the decoded part (longest first), as displayed. */
  private wordCandidates(graph: SegmentGraph, begin: number): Candidate[] {
    const limit = this.engine.options.wordCandidates ?? DEFAULT_WORD_CANDIDATES;
    // Words covering a prefix stop changing once the input is longer than the longest of
    // them: the decoder hands back the same arcs, and the list is reused.
    const prefix = this.decoder.prefixArcs(limit);
    const key = `${begin}|${this.cachedScript}`;
    if (this.wordCache && this.wordCache.arcs === prefix && this.wordCache.key === key) return this.wordCache.words;
    const ranked = this.rankWords(graph, begin, prefix, key, this.wordCache?.key === key ? this.wordCache : undefined);
    // Readings of what was typed come before fuzzy or corrected ones of the same length.
    const order = ranked.slice().sort((x, y) => y.arc.end - x.arc.end || x.inexact - y.inexact || x.cost - y.cost);
    // Distinct non-empty texts, first kept, so that candidates() need not check words against words.
    const seen = new Set<string>();
    const words: Candidate[] = [];
    for (const r of order) {
      const c = r.candidate;
      if (c.text && !seen.has(c.text)) {
        seen.add(c.text);
        words.push(c);
      }
    }
    this.wordCache = { arcs: prefix, ranked, key, words };
    return words;
  }

  /**
   * Each prefix arc ranked and shown for the context and script named by `key`: taken from
   * `earlier` (the last list, made for the same key) where the decoder handed the same arc
   * back; those come in the order they had there, so one forward scan finds them.
   */
  private rankWords(
    graph: SegmentGraph,
    begin: number,
    prefix: readonly Arc[],
    key: string,
    earlier: { readonly arcs: readonly Arc[]; readonly ranked: readonly RankedWord[] } | undefined,
  ): RankedWord[] {
    const inexactOptions = this.decoder.options.fuzzy.length > 0 || this.decoder.options.typoTolerance;
    let inexact: ((end: number, reading: string) => 0 | 1) | undefined;
    const ranked: RankedWord[] = [];
    let from = 0;
    for (const a of prefix) {
      let known: RankedWord | undefined;
      if (earlier) {
        for (let q = from; q < earlier.arcs.length; q++) {
          if (earlier.arcs[q] === a) {
            known = earlier.ranked[q]!;
            from = q + 1;
            break;
          }
        }
      }
      if (!known) {
        if (inexactOptions) inexact ??= inexactReadings(graph);
        known = this.rankWord(a, begin, inexact ? inexact(a.end, a.reading) : 0);
      }
      ranked.push(known);
    }
    return ranked;
  }

  /** A prefix arc ranked after the context `begin`, with its candidate as displayed. */
  private rankWord(a: Arc, begin: number, inexact: 0 | 1): RankedWord {
    const text = this.decoder.arcText(a);
    const candidate = this.display({
      text,
      length: a.end,
      kind: a.word < 0 ? 'raw' : 'word',
      reading: a.reading,
      words: [{ text, reading: a.reading, word: a.word }],
    });
    let cost = a.cost;
    if (a.word >= 0) {
      this.decoder.lm.score(begin, a.word, this.out);
      cost += this.out.cost;
    }
    return { arc: a, cost, inexact, candidate };
  }

  /**
   * Picks candidate `index`. A candidate covering only part of the input is fixed and
   * decoding continues on the rest; once nothing is left the composition is committed.
   * Returns the committed text, or undefined while composition goes on (or for a bad index).
   */
  select(index: number): string | undefined {
    const c = this.candidates()[index];
    if (!c) return undefined;
    this.picked.push(c);
    this.pickStarts.push(this.consumed);
    this.consumed += c.length;
    // Skip a separator left at the start of the rest.
    if (this.input[this.consumed] === "'") this.consumed++;
    this.cached = undefined;
    if (this.consumed >= this.input.length) return this.finish();
    return undefined;
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
      this.engine.baseModel,
      (word) => this.wordText(word),
      this.engine.options.predictionSources?.() ?? [],
    );
    const convert = this.engine.outputConverter;
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
    this.engine.notifyCommit({ text: p.text, pieces: [piece], input: '' });
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
    this.cached = undefined;
    this.cachedSentences = undefined;
    // A new composition sees what the user history learned meanwhile (in any session).
    this.decoder.invalidate();
    this.decodedPart = undefined;
  }

  /**
   * What the input field shows while composing: picked text, then the remaining letters
   * split into the syllables of the best conversion (`你hao`, `ni'hao`).
   */
  preedit(): string {
    const rest = this.remainingInput;
    if (!rest) return this.pickedText;
    this.candidates();
    const best = this.cachedSentences?.[0];
    if (!best) return this.pickedText + rest;
    const covered = best.words.length > 0 ? best.words[best.words.length - 1]!.end : 0;
    const syllables = best.words.map((w) => w.reading).join("'");
    return this.pickedText + syllables + rest.slice(covered);
  }

  /**
   * The candidates with the whole-input sentences reordered by `reranker` (by default the
   * engine's {@link EngineOptions.reranker}): it rescores the decoder's best K sentences, and
   * the best of its order lead the list; words follow as in {@link candidates}. `context` is
   * text committed before this composition (the pieces picked in it are added). Later calls
   * of {@link candidates}, {@link select} and {@link commit} use this order until the input
   * changes. Without a reranker, or if the input changed while it ran, this is
   * {@link candidates}.
   */
  async rankedCandidates(reranker = this.engine.options.reranker, context = ''): Promise<readonly Candidate[]> {
    const list = this.candidates();
    const first = this.cachedSentences;
    if (!reranker || reranker.candidates <= 0 || !first || first.length === 0) return list;
    const rest = this.remainingInput;
    const decoded = Math.min(rest.length, this.decoder.options.maxInputLength);
    const tail = rest.slice(decoded);
    const sentences = this.decoder.sentences(Math.max(reranker.candidates, first.length));
    // The decoder must still hold this input's lattice (the same best sentences) to rerank.
    if (sentences.length < first.length || sentences.some((x, i) => i < first.length && x.text !== first[i]!.text)) return list;
    const order = await reranker.rerank(sentences, context + this.pickedText);
    if (this.cached !== list) return this.candidates();
    const ranked = order.map((i) => sentences[i]!);
    const out = ranked.slice(0, first.length).map((s) => this.display(sentenceCandidate(s, rest.length, tail)));
    const seen = new Set(out.map((c) => c.text));
    for (const c of list) if (c.kind !== 'sentence' && !seen.has(c.text)) out.push(c);
    this.cachedSentences = ranked;
    return (this.cached = out);
  }

  private finish(): string {
    const record: CommitRecord = {
      text: this.pickedText,
      pieces: [...this.picked],
      input: this.input,
    };
    this.reset();
    this.decoder.invalidate();
    this.decodedPart = undefined;
    this.remember(record.pieces);
    if (record.text) this.engine.notifyCommit(record);
    return record.text;
  }

  /**
   * A candidate as shown: its text converted when traditional output is on. Its words keep
   * the lexicon's (simplified) text, which is what learning and prediction look up.
   */
  private display(c: Candidate): Candidate {
    const convert = this.engine.outputConverter;
    return convert ? { ...c, text: convert(c.text) } : c;
  }

  /** Drops cached candidates and predictions made for another output script. */
  private checkScript(): void {
    if (this.cachedScript === this.engine.outputVersion) return;
    this.cachedScript = this.engine.outputVersion;
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

  /** Text of a word id in any of the decoder's word lists. */
  private wordText(word: number): string | undefined {
    for (const t of this.decoder.tries) {
      const text = t.textOf(word);
      if (text !== undefined) return text;
    }
    return undefined;
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

/** A prefix arc as the word list ranks it (see Session.wordCache). */
interface RankedWord {
  readonly arc: Arc;
  /** Reading cost plus the model's cost after the context. */
  readonly cost: number;
  /** 1 when its reading is fuzzy or corrected. */
  readonly inexact: 0 | 1;
  readonly candidate: Candidate;
}

/** A whole-input sentence as a candidate covering `length` letters, `tail` passed through. */
function sentenceCandidate(s: Sentence, length: number, tail: string): Candidate {
  const words: CandidateWord[] = s.words.map((w) => ({ text: w.text, reading: w.reading, word: w.word }));
  if (tail) words.push({ text: tail, reading: tail, word: -1 });
  return { text: s.text + tail, length, kind: 'sentence', reading: words.map((w) => w.reading).join("'"), words };
}
