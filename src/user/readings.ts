import type { WordTrie } from '../lexicon/word-trie.ts';
import { syllableId, syllablesWithPrefix, syllableText } from '../pinyin/syllables.ts';

/** Syllable ids of a reading of complete syllables (`ni'hao`), or undefined. */
export function parseReading(reading: string): number[] | undefined {
  if (!reading) return undefined;
  const ids: number[] = [];
  for (const s of reading.split("'")) {
    if (!s) continue;
    const id = syllableId(s);
    if (id < 0) return undefined;
    ids.push(id);
  }
  return ids.length ? ids : undefined;
}

/** A reading written back from syllable ids. */
export function readingText(syllables: readonly number[]): string {
  return syllables.map(syllableText).join("'");
}

/**
 * The full syllables under which `trie` holds `word`, matching a reading as typed (complete
 * syllables, initials or an unfinished last syllable: `n'h`, `ni'ha`). Undefined when none.
 */
export function resolveReading(trie: WordTrie, word: number, typed: string): number[] | undefined {
  const segments = typed.split("'").filter((s) => s.length > 0);
  if (segments.length === 0) return undefined;
  const choices: number[][] = [];
  for (const seg of segments) {
    const exact = syllableId(seg);
    const options = [...(syllablesWithPrefix(seg) ?? [])];
    if (exact >= 0) {
      options.splice(options.indexOf(exact), 1);
      options.unshift(exact);
    }
    if (options.length === 0) return undefined;
    choices.push(options);
  }
  const path: number[] = [];
  const walk = (node: number, depth: number): boolean => {
    if (depth === choices.length) {
      for (let e = trie.entriesStart(node); e < trie.entriesEnd(node); e++) if (trie.entryWord(e) === word) return true;
      return false;
    }
    for (const s of choices[depth]!) {
      const child = trie.child(node, s);
      if (child < 0) continue;
      path.push(s);
      if (walk(child, depth + 1)) return true;
      path.pop();
    }
    return false;
  };
  return walk(trie.root, 0) ? path : undefined;
}

