import { ImeError, ImeErrorCode } from '../util/errors.ts';
import { EdgeKind, type SegmentEdge, type SegmentGraph } from './segment-graph.ts';
import { MAX_SYLLABLE_LENGTH, syllableId, syllablesWithPrefix, syllableText } from './syllables.ts';

/**
 * The fuzzy pairs a user may switch on, each written `a-b` (either way round when parsed).
 * Initial pairs swap the initial, final pairs swap the whole final.
 */
export const FUZZY_PAIRS = [
  'z-zh', 'c-ch', 's-sh', 'l-n', 'r-l', 'f-h',
  'an-ang', 'en-eng', 'in-ing', 'ian-iang', 'uan-uang',
] as const;
export type FuzzyPair = (typeof FUZZY_PAIRS)[number];

const INITIAL_PAIRS: ReadonlySet<string> = new Set(['z-zh', 'c-ch', 's-sh', 'l-n', 'r-l', 'f-h']);

/**
 * Parses a list like `z-zh,c-ch,in-ing` (pairs in either order, spaces ignored; empty gives
 * none). Throws {@link ImeError} (`INVALID_ARGUMENT`) naming an unknown pair.
 */
export function parseFuzzyPairs(text: string): FuzzyPair[] {
  const out: FuzzyPair[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim().toLowerCase();
    if (!item) continue;
    const [a = '', b = ''] = item.split('-');
    const pair = FUZZY_PAIRS.find((p) => p === `${a}-${b}` || p === `${b}-${a}`);
    if (!pair) {
      throw new ImeError(ImeErrorCode.InvalidArgument, `unknown fuzzy pair "${item}" (known: ${FUZZY_PAIRS.join(', ')})`);
    }
    if (!out.includes(pair)) out.push(pair);
  }
  return out;
}

/** A syllable spelling reached by fuzzy swaps, and how many swaps it took. */
export interface FuzzyVariant {
  readonly spelling: string;
  readonly id: number;
  readonly swaps: number;
}

const TWO_LETTER_INITIALS = new Set(['zh', 'ch', 'sh']);
const ONE_LETTER_INITIALS = new Set('bpmfdtnlgkhjqxrzcsyw');

/** Splits a spelling into initial and final (`zhuang` → `zh` + `uang`, `an` → `` + `an`). */
export function splitInitial(spelling: string): [initial: string, final: string] {
  const two = spelling.slice(0, 2);
  if (TWO_LETTER_INITIALS.has(two)) return [two, spelling.slice(2)];
  if (spelling.length > 0 && ONE_LETTER_INITIALS.has(spelling[0]!)) return [spelling[0]!, spelling.slice(1)];
  return ['', spelling];
}

/**
 * Fuzzy pinyin: the readings a spelling also stands for when some pairs are switched on
 * (`zi` → `zhi` with z-zh; `sen` → `shen`, `seng`, `sheng` with s-sh and en-eng). Each swap
 * costs `penalty` nats, so exact readings rank above fuzzy ones with the same context.
 */
export class FuzzyRules {
  private readonly initialSwaps = new Map<string, string[]>();
  private readonly finalSwaps = new Map<string, string[]>();
  private readonly memo = new Map<string, readonly FuzzyVariant[]>();
  private readonly prefixMemo = new Map<string, readonly { text: string; ids: Uint16Array }[]>();
  private readonly windows = new Map<string, readonly RelativeEdge[]>();

  constructor(
    readonly pairs: readonly FuzzyPair[],
    readonly penalty: number,
  ) {
    for (const p of pairs) {
      const [a, b] = p.split('-') as [string, string];
      const table = INITIAL_PAIRS.has(p) ? this.initialSwaps : this.finalSwaps;
      for (const [x, y] of [[a, b], [b, a]] as const) {
        const list = table.get(x) ?? [];
        list.push(y);
        table.set(x, list);
      }
    }
  }

  /** Initials an initial stands for besides itself (`z` → `zh` with z-zh). */
  initialSwapsOf(initial: string): readonly string[] {
    return this.initialSwaps.get(initial) ?? [];
  }

  /** True when no pair is switched on. */
  get empty(): boolean {
    return this.pairs.length === 0;
  }

  /**
   * Valid syllables other than `spelling` itself that it stands for, with the swaps each took.
   * `spelling` need not be a syllable (`cuang` → `chuang` with c-ch).
   */
  variants(spelling: string): readonly FuzzyVariant[] {
    let out = this.memo.get(spelling);
    if (out) return out;
    const found: FuzzyVariant[] = [];
    this.forEachSwap(spelling, (s, swaps) => {
      const id = syllableId(s);
      if (id >= 0 && swaps > 0) found.push({ spelling: syllableText(id), id, swaps });
    });
    out = found;
    if (this.memo.size > 4096) this.memo.clear();
    this.memo.set(spelling, out);
    return out;
  }

  /**
   * Edges for full pinyin at position `i`: every substring whose fuzzy variants are syllables,
   * variants of an unfinished last syllable, and lone initials standing for their swapped
   * initial. Adds to `edges` (the exact readings of the position). What it adds depends only
   * on the next few letters, so it is worked out once per such window and then reused.
   */
  addEdges(input: string, i: number, edges: SegmentEdge[]): void {
    if (this.empty || input[i] === "'") return;
    const key = windowKey(input, i, FUZZY_WINDOW, true);
    addRelative(edges, i, memoizedWindow(this.windows, key, () => this.edgesToAdd(input, i, edges)));
  }

  private edgesToAdd(input: string, i: number, exact: readonly SegmentEdge[]): RelativeEdge[] {
    const edges = exact.slice();
    const n = input.length;
    for (let len = 1; len <= FUZZY_WINDOW && i + len <= n; len++) {
      const s = input.slice(i, i + len);
      if (s.includes("'")) break;
      for (const v of this.variants(s)) {
        pushEdge(edges, { end: i + len, kind: EdgeKind.Full, syllables: Uint16Array.of(v.id), text: v.spelling, cost: v.swaps * this.penalty });
      }
      if (i + len === n) {
        for (const p of this.prefixVariants(s)) {
          pushEdge(edges, { end: n, kind: EdgeKind.Partial, syllables: p.ids, text: p.text, cost: this.penalty });
        }
      }
    }
    // A lone initial (an abbreviation) also stands for its swapped initial.
    for (const e of exact) {
      if (e.kind !== EdgeKind.Initial || e.cost !== 0) continue;
      for (const other of this.initialSwaps.get(e.text) ?? []) {
        const ids = syllablesWithPrefix(other);
        if (!ids) continue;
        const extra = ids.filter((id) => !e.syllables.includes(id));
        if (extra.length > 0) pushEdge(edges, { end: e.end, kind: EdgeKind.Initial, syllables: extra, text: other, cost: this.penalty });
      }
    }
    return edges.filter((e) => !exact.includes(e)).map((e) => relative(e, i));
  }

  /** Unfinished syllables reached by swapping the initial (`zho` → `zo…`), beyond those typed. */
  private prefixVariants(prefix: string): readonly { text: string; ids: Uint16Array }[] {
    let out = this.prefixMemo.get(prefix);
    if (out) return out;
    const found: { text: string; ids: Uint16Array }[] = [];
    const typed = syllablesWithPrefix(prefix);
    const [ini, fin] = splitInitial(prefix);
    if (ini && fin) {
      for (const other of this.initialSwaps.get(ini) ?? []) {
        const ids = syllablesWithPrefix(other + fin);
        const extra = ids?.filter((id) => !typed?.includes(id) && syllableText(id) !== other + fin);
        if (extra && extra.length > 0) found.push({ text: other + fin, ids: extra });
      }
    }
    out = found;
    if (this.prefixMemo.size > 4096) this.prefixMemo.clear();
    this.prefixMemo.set(prefix, out);
    return out;
  }

  /** Calls `visit` with every spelling reachable by swapping the initial and/or the final. */
  forEachSwap(spelling: string, visit: (spelling: string, swaps: number) => void): void {
    const [ini, fin] = splitInitial(spelling);
    const inis = [ini, ...(this.initialSwaps.get(ini) ?? [])];
    const fins = [fin, ...(this.finalSwaps.get(fin) ?? [])];
    for (let a = 0; a < inis.length; a++) {
      for (let b = 0; b < fins.length; b++) visit(inis[a]! + fins[b]!, (a > 0 ? 1 : 0) + (b > 0 ? 1 : 0));
    }
  }
}

/** Letters a fuzzy reading at a position can depend on (the longest syllable, plus h). */
const FUZZY_WINDOW = MAX_SYLLABLE_LENGTH + 1;
/**
 * Letters from a position that its full-pinyin edges with fuzzy readings added depend on: the
 * fuzzy window and one more, which tells whether the input ends inside the window (see
 * `SegmentGraphOptions.window`).
 */
export const FUZZY_EDGES_WINDOW = FUZZY_WINDOW + 1;
/** Windows remembered per rule set before the memo starts over. */
export const WINDOW_MEMO_SIZE = 8192;

/**
 * The edges a window of letters adds: from `memo`, or computed once and remembered (the memo
 * is emptied when it reaches {@link WINDOW_MEMO_SIZE} windows).
 */
export function memoizedWindow(
  memo: Map<string, readonly RelativeEdge[]>,
  key: string,
  compute: () => readonly RelativeEdge[],
): readonly RelativeEdge[] {
  let added = memo.get(key);
  if (!added) {
    added = compute();
    if (memo.size >= WINDOW_MEMO_SIZE) memo.clear();
    memo.set(key, added);
  }
  return added;
}

/** An edge described from its start, so that it can be reused at any position. */
export interface RelativeEdge {
  readonly length: number;
  readonly kind: EdgeKind;
  readonly syllables: Uint16Array;
  readonly text: string;
  readonly cost: number;
}

/**
 * The letters from `i` that extra readings depend on, as a memo key; with `endMatters`, a
 * window reaching the end of the input is told apart from one followed by more letters.
 */
export function windowKey(input: string, i: number, width: number, endMatters: boolean): string {
  const w = input.slice(i, i + width);
  return endMatters && i + width >= input.length ? `${w}$` : w;
}

/** `edge` described from `start`. */
export function relative(edge: SegmentEdge, start: number): RelativeEdge {
  return { length: edge.end - start, kind: edge.kind, syllables: edge.syllables, text: edge.text, cost: edge.cost };
}

/** Adds edges described from `start` to `edges` (see {@link pushEdge}). */
export function addRelative(edges: SegmentEdge[], start: number, added: readonly RelativeEdge[]): void {
  for (const r of added) pushEdge(edges, { end: start + r.length, kind: r.kind, syllables: r.syllables, text: r.text, cost: r.cost });
}

/** Adds an edge unless one with the same end, kind and text is there; keeps the cheaper cost. */
export function pushEdge(edges: SegmentEdge[], edge: SegmentEdge): void {
  for (let k = 0; k < edges.length; k++) {
    const e = edges[k]!;
    if (e.end === edge.end && e.kind === edge.kind && e.text === edge.text) {
      if (edge.cost < e.cost) edges[k] = edge;
      return;
    }
  }
  edges.push(edge);
}

/**
 * The smallest sum of edge costs along a path of `graph` from `start` to `end` whose edges
 * spell `reading` (syllables joined by `'`, as arcs carry them): 0 for a reading of what was
 * typed, more for a fuzzy or corrected one, Infinity when no path spells it.
 */
export function readingEdgeCost(graph: SegmentGraph, start: number, end: number, reading: string): number {
  const parts = reading.split("'");
  const walk = (pos: number, k: number): number => {
    if (k === parts.length) return pos === end ? 0 : Infinity;
    let best = Infinity;
    for (const e of graph.edges[pos] ?? []) {
      if (e.end > end) continue;
      if (e.kind === EdgeKind.Separator) best = Math.min(best, walk(e.end, k));
      else if (e.text === parts[k]) best = Math.min(best, e.cost + walk(e.end, k + 1));
    }
    return best;
  };
  return walk(start, 0);
}

/**
 * A memoised test for arcs from position 0 of `graph`: 1 when the reading is fuzzy or
 * corrected (costs more than what was typed), 0 when it reads what was typed. Many words
 * share a reading, so each (end, reading) is walked once.
 */
export function inexactReadings(graph: SegmentGraph): (end: number, reading: string) => 0 | 1 {
  const memo = new Map<string, 0 | 1>();
  return (end, reading) => {
    const key = `${end}:${reading}`;
    let v = memo.get(key);
    if (v === undefined) {
      v = readingEdgeCost(graph, 0, end, reading) > 0 ? 1 : 0;
      memo.set(key, v);
    }
    return v;
  };
}
