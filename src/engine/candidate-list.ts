import type { Decoder, Sentence } from '../decoder/decoder.ts';
import type { Arc } from '../decoder/lattice.ts';
import type { ScoreOut } from '../lm/language-model.ts';
import type { Reranker } from '../model/reranker.ts';
import { inexactReadings } from '../pinyin/fuzzy.ts';
import type { SegmentGraph } from '../pinyin/segment-graph.ts';
import type { Candidate, CandidateWord } from './candidate.ts';
import { withExtras } from './extras.ts';
import type { SessionHost } from './session-host.ts';

const DEFAULT_WORD_CANDIDATES = 60;
/**
 * A second whole-input sentence is listed after the best one only when its cost is within
 * this many nats of the best (see {@link CandidateList.build}).
 */
const DEFAULT_SECOND_SENTENCE_MARGIN = 6;

/**
 * Builds and ranks the candidate list of a session's remaining input: the decoder's
 * whole-input sentences, the words covering a prefix, the chat extras; and keeps the caches
 * that let a key rebuild only what it changed. Holds no typing state: the session hands it the
 * letters and the context.
 */
export class CandidateList {
  /** The whole-input sentences of the last list (best first), for the preedit. */
  private bestSentences: readonly Sentence[] | undefined;
  /** The whole-input sentences as candidates (the n-best), for {@link sentenceCandidates}. */
  private sentenceList: Candidate[] = [];
  /** Conversion of the decoded part of the input (all of it below the cap), keyed by its letters and context. */
  private decodedPart: { key: string; sentences: Sentence[]; words: Candidate[] } | undefined;
  /**
   * The last prefix arcs, each ranked and shown (`ranked[i]` for `arcs[i]`), and the word
   * candidates made of them. The decoder hands the same arc objects back, in the same order,
   * for words ending before the letters that changed: a key ranks and builds its new arcs only.
   */
  private wordCache: { arcs: readonly Arc[]; ranked: readonly RankedWord[]; key: string; words: Candidate[] } | undefined;
  private readonly out: ScoreOut = { state: 0, cost: 0 };

  constructor(
    private readonly host: SessionHost,
    private readonly decoder: Decoder,
  ) {}

  /** The whole-input sentences the last list was made of (best first; the reranker's order after {@link rerank}). */
  get sentences(): readonly Sentence[] | undefined {
    return this.bestSentences;
  }

  /** The whole-input sentences of the last list as candidates, distinct, best first. */
  get sentenceCandidates(): readonly Candidate[] {
    return this.sentenceList;
  }

  /**
   * The candidates for `rest` (the letters not yet picked) after the language-model state
   * `begin`, as a keyboard shows them: the best whole-input sentence; a second sentence only
   * when it is close (within {@link SessionOptions.secondSentenceMargin} nats) and differs
   * from the first in more than one character; then the words covering a prefix of the
   * input, longest first; no text twice. `script` is the host's output version the list is
   * made for.
   */
  build(rest: string, begin: number, script: number): Candidate[] {
    if (!rest) {
      this.sentenceList = [];
      return [];
    }
    const cap = this.decoder.options.maxInputLength;
    const decoded = rest.length > cap ? rest.slice(0, cap) : rest;
    const tail = rest.slice(decoded.length);
    // Past the input cap only the unconverted tail changes: reuse the conversion of the rest.
    const key = `${begin}|${script}|${decoded}`;
    let part = this.decodedPart;
    if (!part || part.key !== key) {
      const graph = this.decoder.update(decoded, begin);
      const sentences = this.decoder.sentences();
      part = { key, sentences, words: this.wordCandidates(graph, begin, script) };
      this.decodedPart = part;
    }
    this.bestSentences = part.sentences;
    return this.layout(part.sentences, part.words, rest, tail);
  }

  /**
   * Starts reordering the sentences of the last list (made for `rest`) by `reranker`, with
   * `context` the text before them. Resolves to a function that lays the list out again in
   * the reranker's order, given its words, and makes that order the one of
   * {@link sentences}; call it only if the input is still `rest`. Undefined when there is
   * nothing to rerank, or the decoder no longer holds this input's lattice.
   */
  rerank(reranker: Reranker | undefined, rest: string, context: string): Promise<(words: readonly Candidate[]) => Candidate[]> | undefined {
    const first = this.bestSentences;
    if (!reranker || reranker.candidates <= 0 || !first || first.length === 0) return undefined;
    const decoded = Math.min(rest.length, this.decoder.options.maxInputLength);
    const tail = rest.slice(decoded);
    const sentences = this.decoder.sentences(Math.max(reranker.candidates, first.length));
    // The decoder must still hold this input's lattice (the same best sentences) to rerank.
    if (sentences.length < first.length || sentences.some((x, i) => i < first.length && x.text !== first[i]!.text)) return undefined;
    return reranker.rerank(sentences, context).then((order) => (words) => {
      const ranked = order.map((i) => sentences[i]!);
      this.bestSentences = ranked;
      return this.layout(ranked.slice(0, first.length), words, rest, tail);
    });
  }

  /** Forgets the conversion (a new composition: the user history may have learned meanwhile). */
  clear(): void {
    this.bestSentences = undefined;
    this.decoder.invalidate();
    this.decodedPart = undefined;
  }

  /**
   * The list {@link build} describes, from the sentences (best first) and the prefix words
   * (longest first, distinct). Keeps the sentences as candidates for {@link sentenceCandidates}.
   */
  private layout(sentences: readonly Sentence[], words: readonly Candidate[], rest: string, tail: string): Candidate[] {
    const length = rest.length;
    const all: Candidate[] = [];
    const costs: number[] = [];
    const oneWord: boolean[] = [];
    for (const s of sentences) {
      const c = this.display(sentenceCandidate(s, length, tail));
      if (c.text && !all.some((x) => x.text === c.text)) {
        all.push(c);
        costs.push(s.cost);
        oneWord.push(s.words.length === 1 && !tail);
      }
    }
    this.sentenceList = all;
    const out: Candidate[] = all.slice(0, 1);
    const margin = this.host.options.secondSentenceMargin ?? DEFAULT_SECOND_SENTENCE_MARGIN;
    for (let i = 1; i < all.length; i++) {
      if (Math.abs(costs[i]! - costs[0]!) > margin) continue;
      if (differsInMoreThanOneCharacter(all[0]!.text, all[i]!.text)) {
        out.push(all[i]!);
        break;
      }
    }
    // Sentences of one word are the longest words: they lead the words, in the decoder's
    // order (which ranks a syllable typed alone by use, 是 before 时).
    for (let i = 1; i < all.length; i++) if (oneWord[i] && !out.includes(all[i]!)) out.push(all[i]!);
    // Then the words (already distinct, see wordCandidates) that nothing listed repeats.
    const shown = out.length;
    for (const w of words) {
      let repeated = false;
      for (let k = 0; k < shown && !repeated; k++) repeated = out[k]!.text === w.text;
      if (!repeated) out.push(w);
    }
    const extras = this.host.extras;
    if (!extras.emoji && !extras.english && !extras.quickPhrases && !extras.userPhrases) return out;
    const best = all[0] ? costs[0]! / Math.max(1, rest.replace(/'/g, '').length) : Infinity;
    return withExtras(out, rest, length, best, extras);
  }

  /** Prefix-word candidates of the decoded part (longest first), as displayed. */
  private wordCandidates(graph: SegmentGraph, begin: number, script: number): Candidate[] {
    const limit = this.host.options.wordCandidates ?? DEFAULT_WORD_CANDIDATES;
    // Words covering a prefix stop changing once the input is longer than the longest of
    // them: the decoder hands back the same arcs, and the list is reused.
    const prefix = this.decoder.prefixArcs(limit);
    const key = `${begin}|${script}`;
    if (this.wordCache && this.wordCache.arcs === prefix && this.wordCache.key === key) return this.wordCache.words;
    const ranked = this.rankWords(graph, begin, prefix, this.wordCache?.key === key ? this.wordCache : undefined);
    // Readings of what was typed come before fuzzy or corrected ones of the same length.
    const order = ranked.slice().sort((x, y) => y.arc.end - x.arc.end || x.inexact - y.inexact || x.cost - y.cost);
    // Distinct non-empty texts, first kept, so that layout() need not check words against words.
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
   * Each prefix arc ranked and shown after the context `begin`: taken from `earlier` (the
   * last list, made for the same context and script) where the decoder handed the same arc
   * back; those come in the order they had there, so one forward scan finds them.
   */
  private rankWords(
    graph: SegmentGraph,
    begin: number,
    prefix: readonly Arc[],
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
   * A candidate as shown: its text converted when traditional output is on. Its words keep
   * the lexicon's (simplified) text, which is what learning and prediction look up.
   */
  private display(c: Candidate): Candidate {
    const convert = this.host.outputConverter;
    return convert ? { ...c, text: convert(c.text) } : c;
  }
}

/** A prefix arc as the word list ranks it (see CandidateList.wordCache). */
interface RankedWord {
  readonly arc: Arc;
  /** Reading cost plus the model's cost after the context. */
  readonly cost: number;
  /** 1 when its reading is fuzzy or corrected. */
  readonly inexact: 0 | 1;
  readonly candidate: Candidate;
}

/**
 * True when `b` is more than a one-character homophone swap of `a`: another length, or two
 * or more characters different.
 */
function differsInMoreThanOneCharacter(a: string, b: string): boolean {
  const x = [...a];
  const y = [...b];
  if (x.length !== y.length) return true;
  let differences = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i] && ++differences > 1) return true;
  return false;
}

/** A whole-input sentence as a candidate covering `length` letters, `tail` passed through. */
function sentenceCandidate(s: Sentence, length: number, tail: string): Candidate {
  const words: CandidateWord[] = s.words.map((w) => ({ text: w.text, reading: w.reading, word: w.word }));
  if (tail) words.push({ text: tail, reading: tail, word: -1 });
  return { text: s.text + tail, length, kind: 'sentence', reading: words.map((w) => w.reading).join("'"), words };
}
