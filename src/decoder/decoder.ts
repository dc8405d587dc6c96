import { wordTextIn, type WordTrie } from '../lexicon/word-trie.ts';
import type { LanguageModel, ScoreOut } from '../lm/language-model.ts';
import { segmentGraphOptions } from '../pinyin/input-options.ts';
import { EdgeKind, SegmentGraph } from '../pinyin/segment-graph.ts';
import { ArcRefs, ArcTable } from './arc-table.ts';
import { ArcWalker, type Arc } from './lattice.ts';
import { DetourQueue } from './detour-queue.ts';
import { DEFAULT_DECODER_OPTIONS, type DecoderOptions } from './options.ts';

/**
 * A partial path through the lattice, ending at some node, with the arc it came by copied
 * in (so paths never point into the arc tables, which are refilled as the input changes).
 * Recycled through the decoder's free list once no beam holds it; one shape for all.
 */
class PathState {
  lm = 0;
  cost = 0;
  prev: PathState | null = null;
  /** The arc's start, or -1 for the state before any word. */
  start = -1;
  end = 0;
  /** Word id, or -1 for letters passed through (their text is the reading). */
  word = -1;
  reading = '';
  /**
   * Worse paths that reached the same node in the same language-model state (recombined
   * away), best first. They share every continuation with this state, so swapping one in
   * gives the next-best sentences (n-best by single detours).
   */
  readonly alts: PathState[] = [];
}

/** Alternatives kept per recombined state. */
const MAX_ALTS = 3;
/** Final states whose detours are explored for the n-best. */
const FINALS_EXPLORED = 12;

/**
 * Inserts `p` into `alts` (best first, after equal costs), keeping at most MAX_ALTS. Returns
 * the state that fell out (`p` itself when it does not get in), or null.
 */
function insertAlternative(alts: PathState[], p: PathState): PathState | null {
  const n = alts.length;
  if (n >= MAX_ALTS && p.cost >= alts[n - 1]!.cost) return p;
  let k = n;
  while (k > 0 && alts[k - 1]!.cost > p.cost) k--;
  let dropped: PathState | null = null;
  let i = n;
  if (n >= MAX_ALTS) {
    dropped = alts[n - 1]!;
    i = n - 1;
  }
  for (; i > k; i--) alts[i] = alts[i - 1]!;
  alts[k] = p;
  return dropped;
}

/** Sorts a beam by cost in place (stable; beams hold at most a few dozen states). */
function sortByCost(beam: PathState[]): void {
  for (let i = 1; i < beam.length; i++) {
    const s = beam[i]!;
    let k = i;
    while (k > 0 && beam[k - 1]!.cost > s.cost) {
      beam[k] = beam[k - 1]!;
      k--;
    }
    beam[k] = s;
  }
}

/** True when one of `sentences` reads `text`. */
function hasText(sentences: readonly Sentence[], text: string): boolean {
  for (let i = 0; i < sentences.length; i++) if (sentences[i]!.text === text) return true;
  return false;
}

/** One word of a decoded sentence. */
export interface DecodedWord {
  /** Lexicon word id, or -1 for letters passed through unconverted. */
  readonly word: number;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Syllables read, joined by ' (letters as typed for partial syllables). */
  readonly reading: string;
}

/** A whole-input conversion. */
export interface Sentence {
  readonly text: string;
  /** Total cost (nats); lower is better. */
  readonly cost: number;
  readonly words: readonly DecodedWord[];
}

/**
 * Beam search over the word lattice of a segment graph, scored by a language model.
 * Keeps its lattice between calls: when the input changes only at the end (a key typed or
 * deleted), arcs and beams before the first changed position are reused.
 */
export class Decoder {
  readonly options: DecoderOptions;
  private graph: SegmentGraph | undefined;
  private begin = -1;
  /** The language model's revision the cached lattice was scored with. */
  private lmRevision = 0;
  /** Arcs by start position (tables reused; only the first graph.length are current). */
  private readonly arcsByStart: ArcTable[] = [];
  /** Arcs by end position, for the ends past the last change. */
  private readonly arcsByEnd: ArcRefs[] = [];
  /** Start positions whose tables are exact for the current graph. */
  private exactStarts = 0;
  private beams: PathState[][] = [];
  /** Path states no beam holds any more, for reuse (a key allocates almost none). */
  private readonly free: PathState[] = [];
  private readonly walker = new ArcWalker();
  private fillTable: ArcTable = new ArcTable();
  private readonly sink = (end: number, word: number, cost: number, reading: string): void =>
    this.fillTable.push(end, word, cost, reading);
  private readonly out: ScoreOut = { state: 0, cost: 0 };
  /** Language-model state of each slot of the beam under construction (searched linearly). */
  private slotLm = new Float64Array(16);
  /** Emptied beam arrays, for reuse. */
  private readonly freeBeams: PathState[][] = [];
  /** Arcs leaving position 0 with the candidate list's larger word limit, while still exact. */
  private prefixCache: { limit: number; arcs: Arc[] } | undefined;
  /** The last arcs of {@link prefixArcs} and the graph they were read from, exact or not. */
  private lastPrefix: { limit: number; arcs: Arc[]; graph: SegmentGraph } | undefined;
  /** Beam under construction in {@link expand}, its capacity and its worst entry. */
  private beam: PathState[] = [];
  private size = 0;
  private worst = Infinity;
  private worstSlot = -1;
  /** Candidate sentences of {@link sentences}, and its final states by total cost. */
  private readonly detours = new DetourQueue<PathState>();
  private finalTotals = new Float64Array(16);
  private finalOrder = new Int32Array(16);

  /**
   * @param tries word lists searched together (the shipped lexicon first, then e.g. the
   *   user's learned phrases); word ids must not collide.
   */
  constructor(
    readonly tries: readonly WordTrie[],
    readonly lm: LanguageModel,
    options: Partial<DecoderOptions> = {},
  ) {
    this.options = { ...DEFAULT_DECODER_OPTIONS, ...options };
  }

  /** Forgets the cached lattice (e.g. after the language model learned something). */
  invalidate(): void {
    this.graph = undefined;
    this.prefixCache = undefined;
    this.lastPrefix = undefined;
    this.exactStarts = 0;
    for (const beam of this.beams) this.releaseBeam(beam);
    this.beams = [];
  }

  /**
   * Updates the lattice for `input` (normalised pinyin) and returns its segment graph.
   * `beginState` is the language-model state before the input (text already picked).
   */
  update(input: string, beginState = this.lm.beginState): SegmentGraph {
    const revision = this.lm.revision ?? 0;
    if (beginState !== this.begin || revision !== this.lmRevision) {
      this.invalidate();
      this.begin = beginState;
      this.lmRevision = revision;
    }
    // The last graph lends its edges wherever the letters they read are unchanged.
    const graph = new SegmentGraph(input, segmentGraphOptions(this.options), this.graph);
    const n = graph.length;
    const changed = Math.min(graph.firstDifference(this.graph), this.graph ? this.graph.length : 0);
    // Arcs from a start whose walk never read past `changed` are still exact; the arcs by end
    // are rebuilt for the ends past `changed` (the only beams expanded again).
    while (this.arcsByStart.length < n) this.arcsByStart.push(new ArcTable());
    while (this.arcsByEnd.length <= n) this.arcsByEnd.push(new ArcRefs());
    for (let j = changed + 1; j <= n; j++) this.arcsByEnd[j]!.clear();
    const exact = Math.min(this.exactStarts, n);
    for (let i = 0; i < n; i++) {
      const table = this.arcsByStart[i]!;
      if (!(i < exact && i < changed && table.reach < changed)) {
        if (i === 0) this.prefixCache = undefined;
        table.clear();
        this.fillTable = table;
        table.reach = this.walker.walk(graph, this.tries, i, this.options, this.options.wordsPerNode, this.sink);
      }
      for (let k = 0; k < table.length; k++) {
        const end = table.end[k]!;
        if (end > changed) this.arcsByEnd[end]!.push(i, k);
      }
    }
    this.exactStarts = n;
    // Beams past the change are built again: their states go back to the free list first.
    for (let j = changed + 1; j < this.beams.length; j++) this.releaseBeam(this.beams[j]!);
    const beams = this.beams.slice(0, changed + 1);
    if (beams.length === 0) beams.push([this.newState(beginState, 0, null, -1, 0, -1, '')]);
    for (let j = beams.length; j <= n; j++) beams.push(this.expand(graph, beams, j));
    this.beams = beams;
    this.graph = graph;
    return graph;
  }

  /**
   * The best whole-input sentences for the last {@link update}, distinct by text, best first.
   */
  sentences(count = this.options.sentenceCandidates): Sentence[] {
    const graph = this.graph;
    if (!graph || graph.length === 0) return [];
    const end = this.beams[graph.length] ?? [];
    // Candidates: each final state's best path, and that path with one detour swapped in
    // at any state along it (an alternative that reached the same state at higher cost).
    const queue = this.detours;
    const finals = this.orderFinals(end);
    for (let r = 0; r < finals; r++) {
      const f = end[this.finalOrder[r]!]!;
      const total = this.finalTotals[this.finalOrder[r]!]!;
      queue.add(total, f, null, null);
      for (let p: PathState | null = f; p && p.start >= 0; p = p.prev) {
        const alts = p.alts;
        for (let i = 0; i < alts.length; i++) queue.add(total + alts[i]!.cost - p.cost, f, p, alts[i]!);
      }
    }
    const out: Sentence[] = [];
    for (let row = queue.takeCheapest(); row >= 0; row = queue.takeCheapest()) {
      const final = queue.final(row);
      const at = queue.at(row);
      const detour = queue.detour(row);
      // The text first: a repeated sentence costs no word objects.
      const text = this.pathText(final, at, detour);
      if (hasText(out, text)) continue;
      const words = detour ? this.backtrackWithDetour(final, at!, detour) : this.backtrack(final);
      out.push({ text, cost: queue.cost(row), words });
      if (out.length >= count) break;
    }
    queue.clear();
    return out;
  }

  /**
   * Orders the final states of `end` by total cost (with the cost of ending the sentence),
   * stably, into {@link finalOrder} / {@link finalTotals}; returns how many are explored.
   */
  private orderFinals(end: readonly PathState[]): number {
    // One syllable typed is the start of a clause far more often than all of it: its
    // characters are ranked without the cost of the clause ending there and, at a sentence
    // start, by how often they are used at all (the training text's clause starts are skewed
    // by its clause splitting: digits dropped before 年, 号 make them look like clause starts).
    const oneSyllable = this.graph !== undefined && isOneSyllable(this.graph);
    const lm = this.lm;
    const contextFree = oneSyllable && this.begin === lm.beginState && lm.unigramCost !== undefined;
    if (this.finalTotals.length < end.length) {
      this.finalTotals = new Float64Array(end.length);
      this.finalOrder = new Int32Array(end.length);
    }
    const totals = this.finalTotals;
    const order = this.finalOrder;
    for (let k = 0; k < end.length; k++) {
      const f = end[k]!;
      if (!oneSyllable) totals[k] = f.cost + lm.endCost(f.lm);
      else if (contextFree && f.word >= 0 && f.prev !== null && f.prev.start < 0) {
        lm.score(this.begin, f.word, this.out);
        totals[k] = f.cost - this.out.cost + lm.unigramCost!(f.word);
      } else totals[k] = f.cost;
      let i = k;
      while (i > 0 && totals[order[i - 1]!]! > totals[k]!) {
        order[i] = order[i - 1]!;
        i--;
      }
      order[i] = k;
    }
    return Math.min(end.length, FINALS_EXPLORED);
  }

  /** Text of the path ending in `final`, with the part up to `at` replaced by `detour`'s path when given. */
  private pathText(final: PathState, at: PathState | null, detour: PathState | null): string {
    let text = '';
    let p: PathState | null = final;
    if (detour) {
      for (; p && p !== at; p = p.prev) text = this.textOf(p) + text;
      p = detour;
    }
    for (; p && p.start >= 0; p = p.prev) text = this.textOf(p) + text;
    return text;
  }

  /**
   * Arcs leaving position 0 (words covering a prefix of the input), with up to `limit` words
   * per reading. An arc that ends where the input is unchanged since the last call is the same
   * object as then, so callers may keep what they derived from it (the candidate list does).
   */
  prefixArcs(limit: number): readonly Arc[] {
    const graph = this.graph;
    if (!graph || graph.length === 0) return [];
    // The walk from 0 reads what the cached walk from 0 read: same arcs until start 0 changes.
    if (this.prefixCache?.limit === limit) return this.prefixCache.arcs;
    const last = this.lastPrefix?.limit === limit ? this.lastPrefix : undefined;
    const arcs = last ? this.walkPrefix(graph, limit, last.arcs, graph.firstDifference(last.graph)) : this.walkPrefix(graph, limit, [], 0);
    this.prefixCache = { limit, arcs };
    this.lastPrefix = { limit, arcs, graph };
    return arcs;
  }

  /**
   * Walks the arcs from position 0, taking the arc objects of `earlier` (a walk of a graph
   * whose positions before `unchanged` read the same) for arcs ending at or before
   * `unchanged`: the walk meets those in the same order, and each is checked field by field.
   */
  private walkPrefix(graph: SegmentGraph, limit: number, earlier: readonly Arc[], unchanged: number): Arc[] {
    const arcs: Arc[] = [];
    let next = 0;
    const nextKept = (): number => {
      while (next < earlier.length && earlier[next]!.end > unchanged) next++;
      return next;
    };
    this.walker.walk(graph, this.tries, 0, this.options, limit, (end, word, cost, reading) => {
      if (end <= unchanged && nextKept() < earlier.length) {
        const old = earlier[next]!;
        if (old.end === end && old.word === word && old.cost === cost && old.reading === reading) {
          arcs.push(old);
          next++;
          return;
        }
      }
      arcs.push({ start: 0, end, word, cost, raw: word < 0 ? reading : undefined, reading });
    });
    return arcs;
  }

  /** Text of an arc's word. */
  arcText(arc: Arc): string {
    return arc.word < 0 ? (arc.raw ?? '') : this.wordText(arc.word);
  }

  private expand(graph: SegmentGraph, beams: PathState[][], j: number): PathState[] {
    this.size = this.options.beamSize;
    const beam: PathState[] = (this.beam = this.freeBeams.pop() ?? []);
    if (this.slotLm.length < this.size) this.slotLm = new Float64Array(this.size);
    this.worst = Infinity;
    this.worstSlot = -1;
    // An apostrophe just before j carries the paths over unchanged.
    const sepFrom = j - 1;
    const sepEdges = graph.edges[sepFrom];
    if (sepEdges && sepEdges[0]?.kind === EdgeKind.Separator) {
      for (const s of beams[sepFrom] ?? []) this.consider(s.lm, s.cost, s.prev, s.start, s.end, s.word, s.reading);
    }
    const out = this.out;
    const lm = this.lm;
    const refs = this.arcsByEnd[j]!;
    for (let a = 0; a < refs.length; a++) {
      const start = refs.start[a]!;
      const from = beams[start];
      if (!from) continue;
      const table = this.arcsByStart[start]!;
      const k = refs.index[a]!;
      const arcCost = table.cost[k]!;
      const word = table.word[k]!;
      // Source beams are sorted best first: stop at the first state that cannot get in.
      for (let f = 0; f < from.length; f++) {
        const s = from[f]!;
        const base = s.cost + arcCost;
        if (base >= this.worst) break;
        if (word < 0) this.consider(lm.beginState, base, s, start, j, word, table.reading[k]!);
        else {
          const next = this.scoreInto(s.lm, word);
          const cost = base + this.scored[0]!;
          if (cost < this.worst) this.consider(next, cost, s, start, j, word, table.reading[k]!);
        }
      }
    }
    sortByCost(beam);
    return beam;
  }

  /** Cost of the last {@link scoreInto}. */
  private readonly scored = new Float64Array(1);

  /**
   * Scores `word` after `state` with the language model; the cost goes to `scored[0]` and the
   * next state is returned. The cost travels through a typed array, not a return value: a
   * float returned from a call V8 does not inline is boxed (one heap number per lattice arc).
   */
  private scoreInto(state: number, word: number): number {
    this.lm.score(state, word, this.out);
    this.scored[0] = this.out.cost;
    return this.out.state;
  }

  /** Offers a path to the beam being built: recombines by LM state, keeps the best `size`. */
  private consider(lm: number, cost: number, prev: PathState | null, start: number, end: number, word: number, reading: string): void {
    const beam = this.beam;
    const slotLm = this.slotLm;
    let slot = -1;
    for (let k = 0; k < beam.length; k++) {
      if (slotLm[k] === lm) {
        slot = k;
        break;
      }
    }
    if (slot >= 0) {
      const held = beam[slot]!;
      if (cost < held.cost) {
        const next = this.newState(lm, cost, prev, start, end, word, reading);
        this.keepAlternative(next, held);
        beam[slot] = next;
        if (slot === this.worstSlot) this.findWorst();
      } else if (held.alts.length < MAX_ALTS || cost < held.alts[MAX_ALTS - 1]!.cost) {
        this.keepAlternative(held, this.newState(lm, cost, prev, start, end, word, reading));
      }
      return;
    }
    if (beam.length < this.size) {
      slotLm[beam.length] = lm;
      beam.push(this.newState(lm, cost, prev, start, end, word, reading));
      if (beam.length === this.size) this.findWorst();
      return;
    }
    if (cost >= this.worst) return;
    const evicted = beam[this.worstSlot]!;
    slotLm[this.worstSlot] = lm;
    beam[this.worstSlot] = this.newState(lm, cost, prev, start, end, word, reading);
    this.release(evicted);
    this.findWorst();
  }

  /** Adds `loser` (with its own alternatives) to `winner`'s alternatives, best first. */
  private keepAlternative(winner: PathState, loser: PathState): void {
    const alts = winner.alts;
    const out = insertAlternative(alts, loser);
    if (out) this.release(out);
    const theirs = loser.alts;
    for (let i = 0; i < theirs.length; i++) {
      const dropped = insertAlternative(alts, theirs[i]!);
      if (dropped) this.release(dropped);
    }
    theirs.length = 0;
  }

  private newState(lm: number, cost: number, prev: PathState | null, start: number, end: number, word: number, reading: string): PathState {
    const s = this.free.pop() ?? new PathState();
    s.lm = lm;
    s.cost = cost;
    s.prev = prev;
    s.start = start;
    s.end = end;
    s.word = word;
    s.reading = reading;
    return s;
  }

  /** Releases every state of a beam no longer used and keeps the array for reuse. */
  private releaseBeam(beam: PathState[]): void {
    for (let k = 0; k < beam.length; k++) this.release(beam[k]!);
    beam.length = 0;
    this.freeBeams.push(beam);
  }

  /** Returns a state no longer held anywhere (and its alternatives) to the free list. */
  private release(s: PathState): void {
    const alts = s.alts;
    for (let i = 0; i < alts.length; i++) this.release(alts[i]!);
    alts.length = 0;
    s.prev = null;
    s.reading = '';
    this.free.push(s);
  }

  private findWorst(): void {
    const beam = this.beam;
    let worst = -Infinity;
    for (let k = 0; k < beam.length; k++) {
      if (beam[k]!.cost > worst) {
        worst = beam[k]!.cost;
        this.worstSlot = k;
      }
    }
    this.worst = worst;
  }

  /** The words of `final`'s path with the part up to `at` replaced by `detour`'s path. */
  private backtrackWithDetour(final: PathState, at: PathState, detour: PathState): DecodedWord[] {
    const suffix: DecodedWord[] = [];
    for (let p: PathState | null = final; p && p !== at; p = p.prev) suffix.push(this.wordOf(p));
    return [...this.backtrack(detour), ...suffix.reverse()];
  }

  private wordOf(p: PathState): DecodedWord {
    return { word: p.word, text: this.textOf(p), start: p.start, end: p.end, reading: p.reading };
  }

  /** Text of the word a state's arc read (letters passed through read as themselves). */
  private textOf(p: PathState): string {
    return p.word < 0 ? p.reading : this.wordText(p.word);
  }

  private backtrack(s: PathState): DecodedWord[] {
    const words: DecodedWord[] = [];
    for (let p: PathState | null = s; p && p.start >= 0; p = p.prev) words.push(this.wordOf(p));
    return words.reverse();
  }

  private wordText(word: number): string {
    return wordTextIn(this.tries, word) ?? '';
  }
}

/** True when the whole input reads as one syllable, whole or unfinished (`ni`, `xian`, `zho`). */
function isOneSyllable(graph: SegmentGraph): boolean {
  const n = graph.length;
  return (graph.edges[0] ?? []).some((e) => e.end === n && (e.kind === EdgeKind.Full || e.kind === EdgeKind.Partial));
}
