/** Magic and version of the lexicon file. Layout: src/lexicon/FORMAT.md. */
export const LEXICON_MAGIC = 'HZLX';
export const LEXICON_VERSION = 3;

/** Reading penalties are stored as u8 steps of this many nats. */
export const PENALTY_STEP = 0.1;

/** Contents of the `meta` section. */
export interface LexiconMeta {
  /** Size of the word-id space (shared with the language model). */
  words: number;
  /** Trie nodes (node 0 is the root). */
  nodes: number;
  /** Child links. */
  links: number;
  /** (word, reading) entries. */
  entries: number;
  /** The syllable table the ids refer to, space separated (must match the reader's). */
  syllables: string;
  source: string;
}
