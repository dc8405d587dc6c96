import type { WordTrie } from '../lexicon/word-trie.ts';
import type { LearnedUnit, PartRecord, UserHistory } from './history.ts';
import { findWord } from '../lexicon/word-trie.ts';
import { parseReading, readingText, resolveReading } from './readings.ts';

/**
 * What the learner needs of a commit. The engine's `CommitRecord` has this shape; it is
 * spelled out here so the user layer does not import the engine above it.
 */
export interface CommitLike {
  readonly text: string;
  readonly pieces: readonly {
    readonly kind: string;
    readonly words: readonly { readonly text: string; readonly reading: string; readonly word: number }[];
  }[];
}

/** The lexicon as the learner sees it: a word trie and its size (ids 0 … size-1). */
export interface LexiconLike extends WordTrie {
  readonly size: number;
}

/** Learner options; every field has a default. */
export interface LearnerOptions {
  /** Longest phrase learned from partial selections, in syllables (default 12). */
  readonly maxPhraseSyllables: number;
}

export const DEFAULT_LEARNER_OPTIONS: Readonly<LearnerOptions> = Object.freeze({ maxPhraseSyllables: 12 });

/**
 * Turns commits into history: every committed word counts, every adjacent pair counts, and
 * a commit made of several picked pieces (你 then 好) also teaches the whole as a phrase of
 * its own. Under {@link Learner.incognito} nothing is learned.
 */
export class Learner {
  /** When true, commits teach nothing (password fields, private chats). */
  incognito = false;
  readonly options: LearnerOptions;

  constructor(
    readonly history: UserHistory,
    readonly lexicon: LexiconLike,
    options: Partial<LearnerOptions> = {},
  ) {
    this.options = { ...DEFAULT_LEARNER_OPTIONS, ...options };
  }

  /** Learns one commit (what the engine's onCommit hands over). Returns false when nothing was learned. */
  learn(record: CommitLike): boolean {
    if (this.incognito || !record.text) return false;
    const runs: LearnedUnit[][] = [];
    let run: LearnedUnit[] = [];
    const parts: PartRecord[] = [];
    let whole = record.pieces.length >= 2;
    for (const piece of record.pieces) {
      for (const w of piece.words) {
        const unit = w.word < 0 ? undefined : this.unitOf(w.text, w.word, w.reading);
        if (!unit) {
          if (run.length) runs.push(run);
          run = [];
          whole = false;
          continue;
        }
        run.push(unit);
        if (unit.parts) parts.push(...unit.parts);
        else if (unit.reading && unit.id !== undefined) parts.push({ text: unit.text, reading: unit.reading, id: unit.id });
        else whole = false;
      }
    }
    if (run.length) runs.push(run);
    if (runs.length === 0) return false;
    const phrase = whole ? this.phraseOf(parts) : undefined;
    // A commit built from several picks is learned as the phrase it makes. Characters picked
    // one at a time (我 then 门, 李 延 龄) only spell it: they are not learned on their own,
    // or each would rank by itself elsewhere and forgetting the phrase would leave them.
    this.history.add(phrase ? { runs: this.withoutSpelling(record, runs), phrase } : { runs });
    return true;
  }

  /**
   * Learns `text` read as `syllables` (complete syllables) without a session: split into
   * lexicon words (longest first); several words also make a phrase. For imports of plain
   * text and for clauses no candidate list could build. Returns false when the text cannot
   * be read that way.
   */
  learnText(text: string, syllables: readonly string[]): boolean {
    if (this.incognito) return false;
    const chars = [...text];
    const ids = parseReading(syllables.join("'"));
    if (!ids || ids.length !== chars.length) return false;
    const units: LearnedUnit[] = [];
    for (let i = 0; i < chars.length; ) {
      let found: LearnedUnit | undefined;
      for (let j = Math.min(chars.length, i + this.options.maxPhraseSyllables); j > i && !found; j--) {
        const piece = chars.slice(i, j).join('');
        const id = findWord(this.lexicon, piece, ids.slice(i, j), (w) => this.lexicon.textOf(w));
        if (id !== undefined) {
          found = { text: piece, reading: readingText(ids.slice(i, j)), id };
          i = j;
        }
      }
      if (!found) return false;
      units.push(found);
    }
    const phrase =
      units.length >= 2 ? this.phraseOf(units.map((u) => ({ text: u.text, reading: u.reading, id: u.id! }))) : undefined;
    this.history.add(phrase ? { runs: [units], phrase } : { runs: [units] });
    return true;
  }

  /**
   * `runs` without the words of one-character pieces (split where they were): what a
   * commit of several picks teaches besides its phrase.
   */
  private withoutSpelling(record: CommitLike, runs: readonly LearnedUnit[][]): LearnedUnit[][] {
    const spelled = new Set<string>();
    for (const piece of record.pieces) if ([...piece.words.map((w) => w.text).join('')].length === 1) spelled.add(piece.words[0]!.text);
    if (spelled.size === 0) return runs as LearnedUnit[][];
    const out: LearnedUnit[][] = [];
    for (const run of runs) {
      let kept: LearnedUnit[] = [];
      for (const u of run) {
        if (spelled.has(u.text)) {
          if (kept.length) out.push(kept);
          kept = [];
        } else kept.push(u);
      }
      if (kept.length) out.push(kept);
    }
    return out;
  }

  /** The unit for a committed word: a lexicon word with its full reading, or a learned phrase. */
  private unitOf(text: string, word: number, typed: string): LearnedUnit | undefined {
    if (word >= this.lexicon.size) {
      const known = this.history.unit(text);
      if (!known || !known.parts) return undefined;
      return { text, reading: known.reading, parts: known.parts };
    }
    const syllables = resolveReading(this.lexicon, word, typed);
    return { text, reading: syllables ? readingText(syllables) : '', id: word };
  }

  /** The phrase made of `parts`: a lexicon word when the lexicon has it, else a new phrase. */
  private phraseOf(parts: readonly PartRecord[]): LearnedUnit | undefined {
    if (parts.length < 2) return undefined;
    const text = parts.map((p) => p.text).join('');
    const reading = parts.map((p) => p.reading).join("'");
    const ids = parseReading(reading);
    if (!ids || ids.length > this.options.maxPhraseSyllables) return undefined;
    const known = findWord(this.lexicon, text, ids, (w) => this.lexicon.textOf(w));
    if (known !== undefined) return { text, reading, id: known };
    return { text, reading, parts };
  }
}
