/** What kind of conversion a candidate is. */
export type CandidateKind = 'sentence' | 'word' | 'raw';

/** One entry of the candidate list. */
export interface Candidate {
  /** The hanzi (or letters) inserted when this candidate is picked. */
  readonly text: string;
  /** How many letters of the remaining input it consumes (apostrophes included). */
  readonly length: number;
  readonly kind: CandidateKind;
  /** The syllables it was read from, joined by ' (e.g. "ni'hao"). */
  readonly reading: string;
  /** Its words, for learning and display. */
  readonly words: readonly CandidateWord[];
}

/** A word inside a candidate. */
export interface CandidateWord {
  readonly text: string;
  readonly reading: string;
  /** Lexicon word id, or -1 for letters passed through. */
  readonly word: number;
}

/** What a commit hands to listeners (user history learns from it). */
export interface CommitRecord {
  /** The committed text. */
  readonly text: string;
  /** The pieces the user picked, in order (one piece when a sentence was taken whole). */
  readonly pieces: readonly Candidate[];
  /** The raw letters typed for it. */
  readonly input: string;
}
