import type { WordTrie } from '../lexicon/word-trie.ts';
import type { LanguageModel, ScoreOut } from '../lm/language-model.ts';
import { EdgeKind, SegmentGraph } from '../pinyin/segment-graph.ts';
import { arcsFrom, type Arc } from './lattice.ts';
import { DEFAULT_DECODER_OPTIONS, type DecoderOptions } from './options.ts';

/** A partial path through the lattice, ending at some node. */
interface PathState {
  readonly lm: number;
  readonly cost: number;
  readonly prev: PathState | null;
  readonly arc: Arc | null;
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
    const graph = new SegmentGraph(input);
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
    const finals = end
      .map((s) => ({ s, cost: s.cost + this.lm.endCost(s.lm) }))
      .sort((a, b) => a.cost - b.cost);
    const seen = new Set<string>();
    const out: Sentence[] = [];
    for (const { s, cost } of finals) {
      const words = this.backtrack(s);
      const text = words.map((w) => w.text).join('');
      if (seen.has(text)) continue;
      seen.add(text);
      out.push({ text, cost, words });
      if (out.length >= count) break;
    }
    return out;
  }

  /** Arcs leaving position 0 (words covering a prefix of the input), with up to `limit` words per reading. */
  prefixArcs(limit: number): Arc[] {
    const graph = this.graph;
    if (!graph || graph.length === 0) return [];
    const arcs: Arc[] = [];
    arcsFrom(graph, this.tries, 0, this.options, limit, (a) => arcs.push(a));
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
    const isEnd = j === graph.length;
    const size = isEnd ? this.options.beamSize * 3 : this.options.beamSize;
    const beam: PathState[] = [];
    const slotOf = this.slotOf;
    slotOf.clear();
    let worst = Infinity;
    let worstSlot = -1;
    const findWorst = () => {
      worst = -Infinity;
      for (let k = 0; k < beam.length; k++) {
        if (beam[k]!.cost > worst) {
          worst = beam[k]!.cost;
          worstSlot = k;
        }
      }
    };
    const consider = (lm: number, cost: number, prev: PathState | null, arc: Arc | null) => {
      const slot = slotOf.get(lm);
      if (slot !== undefined) {
        if (cost < beam[slot]!.cost) {
          beam[slot] = { lm, cost, prev, arc };
          if (slot === worstSlot) findWorst();
        }
        return;
      }
      if (beam.length < size) {
        slotOf.set(lm, beam.length);
        beam.push({ lm, cost, prev, arc });
        if (beam.length === size) findWorst();
        return;
      }
      if (cost >= worst) return;
      slotOf.delete(beam[worstSlot]!.lm);
      slotOf.set(lm, worstSlot);
      beam[worstSlot] = { lm, cost, prev, arc };
      findWorst();
    };
    // An apostrophe just before j carries the paths over unchanged.
    const sepFrom = j - 1;
    const sepEdges = graph.edges[sepFrom];
    if (sepEdges && sepEdges[0]?.kind === EdgeKind.Separator) {
      for (const s of beams[sepFrom] ?? []) consider(s.lm, s.cost, s.prev, s.arc);
    }
    const out = this.out;
    for (const arc of this.arcsByEnd[j] ?? []) {
      const from = beams[arc.start];
      if (!from) continue;
      // Source beams are sorted best first: stop at the first state that cannot get in.
      for (const s of from) {
        const base = s.cost + arc.cost;
        if (base >= worst) break;
        let cost: number;
        let next: number;
        if (arc.word < 0) {
          cost = base;
          next = this.lm.beginState;
        } else {
          cost = base + this.lm.score(s.lm, arc.word, out);
          next = out.state;
        }
        if (cost < worst) consider(next, cost, s, arc);
      }
    }
    return beam.sort((a, b) => a.cost - b.cost);
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

