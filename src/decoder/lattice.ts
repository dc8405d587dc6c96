import type { WordTrie } from '../lexicon/word-trie.ts';
import { EdgeKind, type SegmentGraph } from '../pinyin/segment-graph.ts';
import { syllableId } from '../pinyin/syllables.ts';
import type { DecoderOptions } from './options.ts';

/** A word spanning input positions [start, end). word = -1 marks a raw letter. */
export interface Arc {
  readonly start: number;
  readonly end: number;
  readonly word: number;
  /** Reading costs (initials, partial syllable, unusual reading), without the LM. */
  readonly cost: number;
  /** Raw text for word = -1. */
  readonly raw?: string;
  /** Syllables read, joined by ' (for the preedit and for learning). */
  readonly reading: string;
}

const INTERJECTIONS = new Set(['m', 'n', 'ng', 'hm', 'hng'].map(syllableId));

/**
 * Finds every word of every trie along every path of the segment graph leaving `start`, by
 * walking the graph and each syllable trie together. Calls `emit` for each arc.
 * `limit` caps the entries taken from one trie node (the best ones: entries are sorted).
 * Returns the farthest position whose edges the walk read: the arcs depend on nothing beyond.
 */
export function arcsFrom(
  graph: SegmentGraph,
  tries: readonly WordTrie[],
  start: number,
  opts: DecoderOptions,
  limit: number,
  emit: (arc: Arc) => void,
): number {
  const first = graph.edges[start];
  if (!first) return start;
  if (first.length === 1 && first[0]!.kind === EdgeKind.Raw) {
    const e = first[0]!;
    emit({ start, end: e.end, word: -1, cost: opts.rawPenalty, raw: e.text, reading: e.text });
    return start;
  }
  let farthestRead = start;
  let emitted = 0;
  const walk = (lexicon: WordTrie, pos: number, node: number, cost: number, depth: number, reading: string): void => {
    if (depth >= opts.maxWordSyllables) return;
    // Finding no edges (the end of the input) is a reading too: typing more changes it.
    if (pos > farthestRead) farthestRead = pos;
    const edges = graph.edges[pos];
    if (!edges) return;
    for (const e of edges) {
      if (e.kind === EdgeKind.Separator) {
        if (depth > 0 && lexicon.hasChildren(node)) walk(lexicon, e.end, node, cost, depth, reading);
        continue;
      }
      if (e.kind === EdgeKind.Raw) continue;
      let edgeCost = cost + e.cost;
      if (e.kind === EdgeKind.Initial) edgeCost += opts.initialPenalty;
      else if (e.kind === EdgeKind.Partial) edgeCost += opts.partialPenalty;
      else if (INTERJECTIONS.has(e.syllables[0]!)) edgeCost += opts.interjectionPenalty;
      const nextReading = depth === 0 ? e.text : `${reading}'${e.text}`;
      // One syllable typed as an initial or unfinished stands for hundreds of characters:
      // only the most frequent few of each syllable are worth a lattice arc.
      const take = depth === 0 && e.kind !== EdgeKind.Full ? Math.min(limit, opts.abbreviatedWordsPerNode) : limit;
      lexicon.forEachChild(node, e.syllables, (child) => {
        const from = lexicon.entriesStart(child);
        const to = Math.min(lexicon.entriesEnd(child), from + take);
        for (let k = from; k < to; k++) {
          emitted++;
          emit({
            start,
            end: e.end,
            word: lexicon.entryWord(k),
            cost: edgeCost + lexicon.entryPenalty(k),
            reading: nextReading,
          });
        }
        if (lexicon.hasChildren(child)) walk(lexicon, e.end, child, edgeCost, depth + 1, nextReading);
      });
    }
  };
  for (const t of tries) walk(t, start, t.root, 0, 0, '');
  if (emitted === 0) {
    // A syllable no word list holds (the interjection hm, say) passes through as typed, so
    // every input keeps a path to its end and nothing typed is lost.
    for (const e of first) {
      if (e.kind === EdgeKind.Separator) continue;
      const raw = graph.input.slice(start, e.end);
      emit({ start, end: e.end, word: -1, cost: opts.rawPenalty * raw.length, raw, reading: raw });
    }
  }
  return farthestRead;
}
