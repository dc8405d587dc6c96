import type { InputOptions } from '../pinyin/input-options.ts';

/**
 * Search parameters, as named defaults on one object. Costs are in nats (-ln p). The
 * {@link InputOptions} fields say how keys are read (scheme, fuzzy pairs, typo tolerance).
 */
export interface DecoderOptions extends InputOptions {
  /** States kept per lattice node. */
  beamSize: number;
  /** Words kept per (span, trie node) when building the lattice for sentence search. */
  wordsPerNode: number;
  /** Words kept per syllable when a lone initial or unfinished syllable is read as one character. */
  abbreviatedWordsPerNode: number;
  /** Longest word looked up, in syllables. */
  maxWordSyllables: number;
  /** Whole-input sentence candidates returned. */
  sentenceCandidates: number;
  /** Cost of each syllable typed only as its initial (`bj` for 北京). */
  initialPenalty: number;
  /** Cost of the unfinished last syllable (`nih` for 你好). */
  partialPenalty: number;
  /**
   * Further cost when the unfinished last syllable is itself a whole syllable (`de` read as
   * the start of deng): the letters typed so far usually mean the syllable they spell.
   */
  extendedSyllablePenalty: number;
  /** Cost of a letter passed through unconverted. */
  rawPenalty: number;
  /** Extra cost per interjection syllable (m, n, ng, hm, hng) typed on its own. */
  interjectionPenalty: number;
  /** Longest input decoded, in letters; the rest is passed through as typed. */
  maxInputLength: number;
}

/** The defaults, tuned on the dev sets (see README). */
export const DEFAULT_DECODER_OPTIONS: Readonly<DecoderOptions> = Object.freeze({
  beamSize: 16,
  wordsPerNode: 24,
  abbreviatedWordsPerNode: 3,
  maxWordSyllables: 12,
  sentenceCandidates: 5,
  initialPenalty: 2.5,
  partialPenalty: 1.5,
  extendedSyllablePenalty: 6,
  rawPenalty: 30,
  interjectionPenalty: 6,
  maxInputLength: 120,
  scheme: 'quanpin',
  fuzzy: Object.freeze([]),
  fuzzyPenalty: 1,
  typoTolerance: false,
  typoPenalty: 4,
  misspellingPenalty: 1.5,
  typoCorrectsSyllables: false,
  syllableTypoExtra: 4,
});
