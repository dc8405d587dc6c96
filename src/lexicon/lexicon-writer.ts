import { writeContainer } from '../util/container.ts';
import { encodeVarints } from '../util/varint.ts';
import { SYLLABLES } from '../pinyin/syllables.ts';
import { LEXICON_MAGIC, LEXICON_VERSION, PENALTY_STEP, type LexiconMeta } from './lexicon-format.ts';

/** One reading of one word: its syllable ids and how unusual the reading is (nats). */
export interface LexiconEntryInput {
  word: number;
  syllables: readonly number[];
  penalty: number;
}

interface BuildNode {
  children: Map<number, BuildNode>;
  entries: { word: number; penalty: number }[];
}

/**
 * Serialises a lexicon: the vocabulary strings and a trie over syllable ids whose nodes list
 * the words read that way. `rank(word)` orders the words of a node (lower first).
 */
export function writeLexicon(
  vocabulary: readonly string[],
  entries: readonly LexiconEntryInput[],
  rank: (word: number) => number,
  source: string,
): Uint8Array {
  const root: BuildNode = { children: new Map(), entries: [] };
  for (const e of entries) {
    let node = root;
    for (const s of e.syllables) {
      let next = node.children.get(s);
      if (!next) {
        next = { children: new Map(), entries: [] };
        node.children.set(s, next);
      }
      node = next;
    }
    node.entries.push({ word: e.word, penalty: e.penalty });
  }
  // Breadth-first numbering keeps a node's children contiguous.
  const order: BuildNode[] = [root];
  for (let i = 0; i < order.length; i++) {
    const n = order[i]!;
    for (const k of [...n.children.keys()].sort((a, b) => a - b)) order.push(n.children.get(k)!);
  }
  const index = new Map<BuildNode, number>(order.map((n, i) => [n, i]));
  const linkStart = new Uint32Array(order.length + 1);
  const entryStart = new Uint32Array(order.length + 1);
  const linkSyl: number[] = [];
  const linkNode: number[] = [];
  const entryWord: number[] = [];
  const entryPenalty: number[] = [];
  order.forEach((n, i) => {
    linkStart[i] = linkSyl.length;
    entryStart[i] = entryWord.length;
    for (const k of [...n.children.keys()].sort((a, b) => a - b)) {
      linkSyl.push(k);
      linkNode.push(index.get(n.children.get(k)!)!);
    }
    const sorted = [...n.entries].sort((a, b) => rank(a.word) + a.penalty - (rank(b.word) + b.penalty));
    for (const e of sorted) {
      entryWord.push(e.word);
      entryPenalty.push(Math.min(255, Math.round(e.penalty / PENALTY_STEP)));
    }
  });
  linkStart[order.length] = linkSyl.length;
  // Breadth-first numbering makes link i lead to node i + 1, so no child array is stored.
  linkNode.forEach((child, i) => {
    if (child !== i + 1) throw new Error('trie is not in breadth-first order');
  });
  entryStart[order.length] = entryWord.length;

  const text = new TextEncoder();
  const encoded = vocabulary.map((w) => text.encode(w));
  const offsets = new Uint32Array(vocabulary.length + 1);
  let total = 0;
  encoded.forEach((b, i) => {
    offsets[i] = total;
    total += b.length;
  });
  offsets[vocabulary.length] = total;
  const blob = new Uint8Array(total);
  encoded.forEach((b, i) => blob.set(b, offsets[i]!));

  const meta: LexiconMeta = {
    words: vocabulary.length,
    nodes: order.length,
    links: linkSyl.length,
    entries: entryWord.length,
    syllables: SYLLABLES.join(' '),
    source,
  };
  const bytes = (a: Uint32Array | Uint16Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  /** Run lengths of ascending starts, as varints (the reader sums them again). */
  const lengths = (starts: Uint32Array) => encodeVarints(starts.subarray(1).map((s, i) => s - starts[i]!));
  return writeContainer(LEXICON_MAGIC, LEXICON_VERSION, [
    { name: 'meta', bytes: text.encode(JSON.stringify(meta)) },
    { name: 'vtext', bytes: blob },
    { name: 'vlen', bytes: lengths(offsets) },
    { name: 'nlinks', bytes: lengths(linkStart) },
    { name: 'lsyl', bytes: bytes(Uint16Array.from(linkSyl)) },
    { name: 'nentries', bytes: lengths(entryStart) },
    { name: 'eword', bytes: bytes(Uint32Array.from(entryWord)) },
    { name: 'epen', bytes: Uint8Array.from(entryPenalty) },
  ]);
}
