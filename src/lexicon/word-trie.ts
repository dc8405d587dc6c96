/**
 * What the decoder needs of a word list: a trie over syllable ids whose nodes hold word
 * entries (best first). The shipped {@link Lexicon} implements it over typed arrays; the user
 * history implements it in memory for phrases the user taught the engine.
 */
export interface WordTrie {
  /** The root node. */
  readonly root: number;
  /** The child of `node` along `syllable`, or -1. */
  child(node: number, syllable: number): number;
  /** Calls `visit` for every child of `node` along one of `syllables` (sorted ids). */
  forEachChild(node: number, syllables: Uint16Array, visit: (child: number) => void): void;
  /** True when longer words continue through `node`. */
  hasChildren(node: number): boolean;
  /** Entries of `node` are the indices entriesStart(node) … entriesEnd(node) - 1. */
  entriesStart(node: number): number;
  entriesEnd(node: number): number;
  /** Word id of an entry (shared id space with the language model). */
  entryWord(entry: number): number;
  /** Reading penalty of an entry, in nats. */
  entryPenalty(entry: number): number;
  /** Text of a word id this trie owns, or undefined when the id is not its own. */
  textOf(word: number): string | undefined;
}

/** Text of word id `word` in the first of `tries` that owns it, or undefined when none does. */
export function wordTextIn(tries: readonly WordTrie[], word: number): string | undefined {
  for (const t of tries) {
    const text = t.textOf(word);
    if (text !== undefined) return text;
  }
  return undefined;
}

/** The id under which `trie` holds `text` read as `syllables`, or undefined. */
export function findWord(
  trie: WordTrie,
  text: string,
  syllables: readonly number[],
  textOf: (word: number) => string | undefined,
): number | undefined {
  let node = trie.root;
  for (const s of syllables) {
    node = trie.child(node, s);
    if (node < 0) return undefined;
  }
  for (let e = trie.entriesStart(node); e < trie.entriesEnd(node); e++) {
    const w = trie.entryWord(e);
    if (textOf(w) === text) return w;
  }
  return undefined;
}
