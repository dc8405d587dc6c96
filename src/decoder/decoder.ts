import type { WordTrie } from '../lexicon/word-trie.ts';
import type { LanguageModel, ScoreOut } from '../lm/language-model.ts';
import { segmentGraphOptions } from '../pinyin/input-options.ts';
import { EdgeKind, SegmentGraph } from '../pinyin/segment-graph.ts';
import { arcsFrom, type Arc } from './lattice.ts';
import { DEFAULT_DECODER_OPTIONS, type DecoderOptions } from './options.ts';

/** A partial path through the lattice, ending at some node. */
interface PathState {
  readonly lm: number;
  readonly cost: number;
  readonly prev: PathState | null;
  readonly arc: Arc | null;
  /**
   * Worse paths that reached the same node in the same language-model state (recombined
   * away), best first. They share every continuation with this state, so swapping one in
   * gives the next-best sentences (n-best by single detours).
   */
  alts?: PathState[];
}

/** Alternatives kept per recombined state. */
const MAX_ALTS = 3;
/** Final states whose detours are explored for the n-best. */
const FINALS_EXPLORED = 12;

function byCost(a: PathState, b: PathState): number {
  return a.cost - b.cost;
}

/** Adds `loser` (with its own alternatives) to `winner`'s alternatives, best first. */
function keepAlternative(winner: PathState, loser: PathState): void {
  const alts = winner.alts ?? (winner.alts = []);
  insertAlternative(alts, loser);
  if (loser.alts) {
    for (let i = 0; i < loser.alts.length; i++) insertAlternative(alts, loser.alts[i]!);
    loser.alts = undefined;
  }
}

function insertAlternative(alts: PathState[], p: PathState): void {
  if (alts.length >= MAX_ALTS && p.cost >= alts[alts.length - 1]!.cost) return;
  let k = alts.length;
  while (k > 0 && alts[k - 1]!.cost > p.cost) k--;
  alts.splice(k, 0, p);
  if (alts.length > MAX_ALTS) alts.pop();
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
  private arcsByStart: Arc[][] = [];
  private reach: number[] = [];
  private arcsByEnd: Arc[][] = [];
  private beams: PathState[][] = [];
  private readonly out: ScoreOut = { state: 0 };
  private readonly slotOf = new Map<number, number>();
  /** Arcs leaving position 0 with the candidate list's larger word limit, while still exact. */
  private prefixCache: { limit: number; arcs: Arc[] } | undefined;
  /** Beam under construction in {@link expand}, its capacity and its worst entry. */
  private beam: PathState[] = [];
  private size = 0;
  private worst = Infinity;
  private worstSlot = -1;

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
    this.arcsByStart = [];
    this.reach = [];
    this.arcsByEnd = [];
    this.beams = [];
  }

  /**
   * Updates the lattice for `input` (normalised pinyin) and returns its segment graph.
   * `beginState` is the language-model state before the input (text already picked).
   */
  update(input: string, beginState = this.lm.beginState): SegmentGraph {
    if (beginState !== this.begin) {
      this.invalidate();
      this.begin = beginState;
    }
    const graph = new SegmentGraph(input, segmentGraphOptions(this.options));
    const n = graph.length;
    const changed = Math.min(graph.firstDifference(this.graph), this.graph ? this.graph.length : 0);
    // Arcs from a start whose walk never read past `changed` are still exact.
    const arcsByStart = this.arcsByStart.slice(0, n);
    const reach = this.reach.slice(0, n);
    const arcsByEnd: Arc[][] = this.arcsByEnd.slice(0, changed + 1);
    for (let j = arcsByEnd.length; j <= n; j++) arcsByEnd.push([]);
    for (let i = 0; i < n; i++) {
      if (i < changed && reach[i]! < changed) {
        // Still exact, but it may end past `changed`, where arcsByEnd was cut.
        for (const a of arcsByStart[i]!) if (a.end > changed) arcsByEnd[a.end]!.push(a);
        continue;
      }
      if (i === 0) this.prefixCache = undefined;
      const arcs: Arc[] = [];
      reach[i] = arcsFrom(graph, this.tries, i, this.options, this.options.wordsPerNode, (a) => arcs.push(a));
      arcsByStart[i] = arcs;
      for (const a of arcs) if (a.end > changed) arcsByEnd[a.end]!.push(a);
    }
    this.arcsByStart = arcsByStart;
    this.reach = reach;
    this.arcsByEnd = arcsByEnd;
    const beams = this.beams.slice(0, changed + 1);
    if (beams.length === 0) beams.push([{ lm: beginState, cost: 0, prev: null, arc: null }]);
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
    const options: { cost: number; detour: PathState | null; at: PathState | null; final: PathState }[] = [];
    const finals = end
      .map((f) => ({ f, total: f.cost + this.lm.endCost(f.lm) }))
      .sort((a, b) => a.total - b.total)
      .slice(0, FINALS_EXPLORED);
    for (const { f, total } of finals) {
      options.push({ cost: total, detour: null, at: null, final: f });
      for (let p: PathState | null = f; p && p.arc; p = p.prev) {
        if (!p.alts) continue;
        for (const a of p.alts) options.push({ cost: total + a.cost - p.cost, detour: a, at: p, final: f });
      }
    }
    options.sort((a, b) => a.cost - b.cost);
    const seen = new Set<string>();
    const out: Sentence[] = [];
    for (const o of options) {
      const words = o.detour ? this.backtrackWithDetour(o.final, o.at!, o.detour) : this.backtrack(o.final);
      const text = words.map((w) => w.text).join('');
      if (seen.has(text)) continue;
      seen.add(text);
      out.push({ text, cost: o.cost, words });
      if (out.length >= count) break;
    }
    return out;
  }

  /** Arcs leaving position 0 (words covering a prefix of the input), with up to `limit` words per reading. */
  prefixArcs(limit: number): readonly Arc[] {
    const graph = this.graph;
    if (!graph || graph.length === 0) return [];
    // The walk from 0 reads what the cached walk from 0 read: same arcs until start 0 changes.
    if (this.prefixCache?.limit === limit) return this.prefixCache.arcs;
    const arcs: Arc[] = [];
    arcsFrom(graph, this.tries, 0, this.options, limit, (a) => arcs.push(a));
    this.prefixCache = { limit, arcs };
    return arcs;
  }

  /** Text of an arc's word. */
  arcText(arc: Arc): string {
    if (arc.word < 0) return arc.raw ?? '';
    for (const t of this.tries) {
      const text = t.textOf(arc.word);
      if (text !== undefined) return text;
    }
    return '';
  }

  private expand(graph: SegmentGraph, beams: PathState[][], j: number): PathState[] {
    this.size = this.options.beamSize;
    const beam: PathState[] = (this.beam = []);
    this.slotOf.clear();
    this.worst = Infinity;
    this.worstSlot = -1;
    // An apostrophe just before j carries the paths over unchanged.
    const sepFrom = j - 1;
    const sepEdges = graph.edges[sepFrom];
    if (sepEdges && sepEdges[0]?.kind === EdgeKind.Separator) {
      for (const s of beams[sepFrom] ?? []) this.consider(s.lm, s.cost, s.prev, s.arc);
    }
    const out = this.out;
    const arcs = this.arcsByEnd[j] ?? [];
    for (let a = 0; a < arcs.length; a++) {
      const arc = arcs[a]!;
      const from = beams[arc.start];
      if (!from) continue;
      // Source beams are sorted best first: stop at the first state that cannot get in.
      for (let k = 0; k < from.length; k++) {
        const s = from[k]!;
        const base = s.cost + arc.cost;
        if (base >= this.worst) break;
        if (arc.word < 0) this.consider(this.lm.beginState, base, s, arc);
        else {
          const cost = base + this.lm.score(s.lm, arc.word, out);
          if (cost < this.worst) this.consider(out.state, cost, s, arc);
        }
      }
    }
    return beam.sort(byCost);
  }

  /** Offers a path to the beam being built: recombines by LM state, keeps the best `size`. */
  private consider(lm: number, cost: number, prev: PathState | null, arc: Arc | null): void {
    const beam = this.beam;
    const slot = this.slotOf.get(lm);
    if (slot !== undefined) {
      const held = beam[slot]!;
      if (cost < held.cost) {
        const next: PathState = { lm, cost, prev, arc };
        keepAlternative(next, held);
        beam[slot] = next;
        if (slot === this.worstSlot) this.findWorst();
      } else if (!held.alts || held.alts.length < MAX_ALTS || cost < held.alts[MAX_ALTS - 1]!.cost) {
        keepAlternative(held, { lm, cost, prev, arc });
      }
      return;
    }
    if (beam.length < this.size) {
      this.slotOf.set(lm, beam.length);
      beam.push({ lm, cost, prev, arc });
      if (beam.length === this.size) this.findWorst();
      return;
    }
    if (cost >= this.worst) return;
    this.slotOf.delete(beam[this.worstSlot]!.lm);
    this.slotOf.set(lm, this.worstSlot);
    beam[this.worstSlot] = { lm, cost, prev, arc };
    this.findWorst();
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
    for (let p: PathState | null = final; p && p !== at; p = p.prev) suffix.push(this.wordOf(p.arc!));
    return [...this.backtrack(detour), ...suffix.reverse()];
  }

  private wordOf(a: Arc): DecodedWord {
    return { word: a.word, text: this.arcText(a), start: a.start, end: a.end, reading: a.reading };
  }

  private backtrack(s: PathState): DecodedWord[] {
    const words: DecodedWord[] = [];
    for (let p: PathState | null = s; p && p.arc; p = p.prev) {
      const a = p.arc;
      words.push({ word: a.word, text: this.arcText(a), start: a.start, end: a.end, reading: a.reading });
    }
    return words.reverse();
  }
}

