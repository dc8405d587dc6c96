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

/**
 * Receives the arcs of a walk one by one, as plain values (no object per arc): the end
 * position, the word id (-1 for letters passed through, whose text is then the reading), the
 * reading cost and the reading.
 */
export type ArcSink = (end: number, word: number, cost: number, reading: string) => void;

const INTERJECTIONS = new Set(['m', 'n', 'ng', 'hm', 'hng'].map(syllableId));

/**
 * Finds every word of every trie along every path of the segment graph leaving a start
 * position, by walking the graph and each syllable trie together. One walker serves many
 * walks; it allocates nothing per arc or per trie step (the reading strings aside).
 */
export class ArcWalker {
  private graph!: SegmentGraph;
  private opts!: DecoderOptions;
  private sink!: ArcSink;
  private lexicon!: WordTrie;
  private limit = 0;
  private farthestRead = 0;
  private emitted = 0;
  /** The trie step whose children are being visited, by depth (a stack: visits recurse). */
  private depth = 0;
  private readonly stepEnd: number[] = [];
  private readonly stepCost: number[] = [];
  private readonly stepReading: string[] = [];
  private readonly stepTake: number[] = [];
  private readonly visit = (child: number): void => this.visitChild(child);

  /**
   * Sends every arc leaving `start` to `sink`. `limit` caps the entries taken from one trie
   * node (the best ones: entries are sorted). Returns the farthest position whose edges the
   * walk read: the arcs depend on nothing beyond.
   */
  walk(graph: SegmentGraph, tries: readonly WordTrie[], start: number, opts: DecoderOptions, limit: number, sink: ArcSink): number {
    const first = graph.edges[start];
    if (!first) return start;
    if (first.length === 1 && first[0]!.kind === EdgeKind.Raw) {
      const e = first[0]!;
      sink(e.end, -1, opts.rawPenalty, e.text);
      return start;
    }
    this.graph = graph;
    this.opts = opts;
    this.sink = sink;
    this.limit = limit;
    this.farthestRead = start;
    this.emitted = 0;
    for (const t of tries) {
      this.lexicon = t;
      this.walkFrom(start, t.root, 0, 0, '');
    }
    if (this.emitted === 0) {
      // A syllable no word list holds (the interjection hm, say) passes through as typed, so
      // every input keeps a path to its end and nothing typed is lost.
      for (const e of first) {
        if (e.kind === EdgeKind.Separator) continue;
        const raw = graph.input.slice(start, e.end);
        sink(e.end, -1, opts.rawPenalty * raw.length, raw);
      }
    }
    return this.farthestRead;
  }

  private walkFrom(pos: number, node: number, cost: number, depth: number, reading: string): void {
    const opts = this.opts;
    if (depth >= opts.maxWordSyllables) return;
    // Finding no edges (the end of the input) is a reading too: typing more changes it.
    if (pos > this.farthestRead) this.farthestRead = pos;
    const edges = this.graph.edges[pos];
    if (!edges) return;
    const lexicon = this.lexicon;
    for (let i = 0; i < edges.length; i++) {
      const e = edges[i]!;
      if (e.kind === EdgeKind.Separator) {
        if (depth > 0 && lexicon.hasChildren(node)) this.walkFrom(e.end, node, cost, depth, reading);
        continue;
      }
      if (e.kind === EdgeKind.Raw) continue;
      let edgeCost = cost + e.cost;
      if (e.kind === EdgeKind.Initial) edgeCost += opts.initialPenalty;
      else if (e.kind === EdgeKind.Partial) edgeCost += syllableId(e.text) >= 0 ? opts.partialPenalty + opts.extendedSyllablePenalty : opts.partialPenalty;
      else if (INTERJECTIONS.has(e.syllables[0]!)) edgeCost += opts.interjectionPenalty;
      // One syllable typed as an initial or unfinished stands for hundreds of characters:
      // only the most frequent few of each syllable are worth a lattice arc.
      this.stepTake[depth] = depth === 0 && e.kind !== EdgeKind.Full ? Math.min(this.limit, opts.abbreviatedWordsPerNode) : this.limit;
      this.stepEnd[depth] = e.end;
      this.stepCost[depth] = edgeCost;
      this.stepReading[depth] = depth === 0 ? e.text : `${reading}'${e.text}`;
      this.depth = depth;
      lexicon.forEachChild(node, e.syllables, this.visit);
    }
  }

  private visitChild(child: number): void {
    const d = this.depth;
    const lexicon = this.lexicon;
    const end = this.stepEnd[d]!;
    const cost = this.stepCost[d]!;
    const reading = this.stepReading[d]!;
    const from = lexicon.entriesStart(child);
    const to = Math.min(lexicon.entriesEnd(child), from + this.stepTake[d]!);
    for (let k = from; k < to; k++) {
      this.emitted++;
      this.sink(end, lexicon.entryWord(k), cost + lexicon.entryPenalty(k), reading);
    }
    if (lexicon.hasChildren(child)) {
      this.walkFrom(end, child, cost, d + 1, reading);
      this.depth = d;
    }
  }
}
