import { INITIALS, MAX_SYLLABLE_LENGTH, syllableId, syllablesWithPrefix } from './syllables.ts';

/** How an edge of the segment graph reads its letters. */
export const EdgeKind = {
  /** A complete syllable. */
  Full: 0,
  /** An initial standing for any syllable it starts (abbreviation: `bj` → 北京). */
  Initial: 1,
  /** The unfinished last syllable of the input (`nih` → 你好). */
  Partial: 2,
  /** An apostrophe the user typed between syllables. */
  Separator: 3,
  /** A letter no syllable can use, passed through as itself. */
  Raw: 4,
} as const;
export type EdgeKind = (typeof EdgeKind)[keyof typeof EdgeKind];

/** One way to read the letters from `start` to `end`. */
export interface SegmentEdge {
  readonly end: number;
  readonly kind: EdgeKind;
  /** Sorted syllable ids this edge may stand for (empty for separators and raw letters). */
  readonly syllables: Uint16Array;
  /** The letters read (without the apostrophe); for fuzzy, corrected or shuangpin readings the syllable spelled out. */
  readonly text: string;
  /** Extra reading cost in nats: 0 for what was typed, more for fuzzy or corrected readings. */
  readonly cost: number;
}

/**
 * How a {@link SegmentGraph} reads keys. Without options it reads full pinyin, exact syllables
 * only (see `src/pinyin/input-options.ts` for the options built from named settings).
 */
export interface SegmentGraphOptions {
  /** Reads the edges leaving position `i` in place of full pinyin (a shuangpin layout). */
  readonly readEdges?: (input: string, i: number) => SegmentEdge[];
  /** Add more readings of position `i` to `edges` (fuzzy pinyin, typo correction), in order. */
  readonly extraEdges?: readonly ((input: string, i: number, edges: SegmentEdge[]) => void)[];
  /**
   * With `readEdges` or `extraEdges`: how many letters from `i` (counting `i`) the edges of
   * position `i` depend on, when nothing else matters (a window of the input), so that a graph
   * of a longer or shorter input can keep the edges of positions whose window is unchanged.
   * Leave it out when the readers look further (the graph is then built whole every time).
   */
  readonly window?: number;
}

const EMPTY = new Uint16Array(0);

/**
 * Letters from `i` the full-pinyin edges of `i` depend on: the next syllable's worth, and one
 * more to tell whether the input ends inside it (partial syllables and lone initials exist
 * only at the end).
 */
export const FULL_PINYIN_WINDOW = MAX_SYLLABLE_LENGTH + 1;

/**
 * Every segmentation of a normalised pinyin string, as edges from each position. Complete
 * syllables anywhere; an initial alone where no complete syllable starts with it; any syllable
 * prefix at the end of the input; apostrophes as separators. Positions no reading reaches past
 * get a raw edge so every input has a path from start to end.
 *
 * Built from an earlier graph (the input before the last key), it keeps that graph's edge lists
 * wherever the letters they depend on are unchanged, so a key builds the last few positions
 * only. Edge lists are shared between graphs that way and are never changed once built.
 */
export class SegmentGraph {
  /** edges[i] lists the edges leaving position i. */
  readonly edges: readonly (readonly SegmentEdge[])[];

  /**
   * @param earlier a graph of another input built with the same `options` object: positions
   *   whose letters are unchanged as far as their edges look take its edge lists.
   */
  constructor(
    readonly input: string,
    readonly options: SegmentGraphOptions = {},
    earlier?: SegmentGraph,
  ) {
    const n = input.length;
    const edges: (readonly SegmentEdge[])[] = [];
    const kept = earlier && earlier.options === options ? keptPositions(earlier.input, input, windowOf(options)) : 0;
    for (let i = 0; i < kept; i++) edges.push(earlier!.edges[i]!);
    for (let i = kept; i < n; i++) {
      const list = options.readEdges ? options.readEdges(input, i) : edgesFrom(input, i);
      if (options.extraEdges) addExtraEdges(input, i, list, options.extraEdges);
      edges.push(list);
    }
    this.edges = edges;
  }

  get length(): number {
    return this.input.length;
  }

  /**
   * Per position, a string that changes whenever that position's edges change (kind, end,
   * text and cost of each edge); {@link firstDifference} compares the same fields directly.
   */
  get signatures(): string[] {
    return this.edges.map((list) => list.map((e) => `${e.kind}:${e.end}:${e.text}${e.cost ? `:${e.cost}` : ''}`).join(','));
  }

  /** First position whose edges differ from `other`'s (the other graph's length if none). */
  firstDifference(other: SegmentGraph | undefined): number {
    if (!other) return 0;
    const m = Math.min(this.edges.length, other.edges.length);
    for (let i = 0; i < m; i++) if (!sameEdges(this.edges[i]!, other.edges[i]!)) return i;
    return m;
  }
}

/**
 * How many leading positions of a graph of `after` can take the edges of a graph of `before`:
 * those whose next `window` letters are the same in both (all of them when the inputs are equal).
 */
function keptPositions(before: string, after: string, window: number): number {
  if (window <= 0) return 0;
  const m = Math.min(before.length, after.length);
  let common = 0;
  while (common < m && before.charCodeAt(common) === after.charCodeAt(common)) common++;
  if (common === before.length && common === after.length) return common;
  return Math.max(0, common - window + 1);
}

/** The window of {@link SegmentGraphOptions.window}: full pinyin's, 0 (no reuse) for readers that do not say. */
function windowOf(options: SegmentGraphOptions): number {
  if (!options.readEdges && !options.extraEdges) return FULL_PINYIN_WINDOW;
  return options.window ?? 0;
}

/** True when two edge lists read the same: same kind, end, text and cost, edge by edge. */
function sameEdges(a: readonly SegmentEdge[], b: readonly SegmentEdge[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (x.kind !== y.kind || x.end !== y.end || x.text !== y.text || x.cost !== y.cost) return false;
  }
  return true;
}

/** Adds the extra readings; a raw letter stays only where nothing else reads the position. */
function addExtraEdges(
  input: string,
  i: number,
  list: SegmentEdge[],
  extras: readonly ((input: string, i: number, edges: SegmentEdge[]) => void)[],
): void {
  const rawOnly = list.length === 1 && list[0]!.kind === EdgeKind.Raw;
  for (const add of extras) add(input, i, list);
  if (rawOnly && list.length > 1) list.shift();
}

/** One-syllable id lists, shared by every edge that reads that syllable. */
const singleSyllables: Uint16Array[] = [];
/** Syllables longer than a prefix that is itself a syllable (`hua` → huai, huan, huang), by prefix. */
const longerSyllables = new Map<string, Uint16Array>();

function singleSyllable(id: number): Uint16Array {
  return (singleSyllables[id] ??= Uint16Array.of(id));
}

/** Syllables starting with `prefix` other than the syllable `id` spelled by it (-1: none), or undefined. */
function syllablesLongerThan(prefix: string, id: number): Uint16Array | undefined {
  const all = syllablesWithPrefix(prefix);
  if (!all || id < 0) return all;
  let longer = longerSyllables.get(prefix);
  if (!longer) longerSyllables.set(prefix, (longer = all.filter((x) => x !== id)));
  return longer;
}

function edgesFrom(input: string, i: number): SegmentEdge[] {
  const n = input.length;
  if (input[i] === "'") return [{ end: i + 1, kind: EdgeKind.Separator, syllables: EMPTY, text: '', cost: 0 }];
  const out: SegmentEdge[] = [];
  let longestFull = 0;
  for (let len = 1; len <= MAX_SYLLABLE_LENGTH && i + len <= n; len++) {
    const s = input.slice(i, i + len);
    if (s.includes("'")) break;
    const id = syllableId(s);
    if (id >= 0) {
      out.push({ end: i + len, kind: EdgeKind.Full, syllables: singleSyllable(id), text: s, cost: 0 });
      longestFull = len;
    }
    if (i + len === n) {
      const longer = syllablesLongerThan(s, id);
      if (longer && longer.length > 0) {
        out.push({ end: n, kind: EdgeKind.Partial, syllables: longer, text: s, cost: 0 });
      }
    }
  }
  for (let len = 1; len <= 2; len++) {
    const s = input.slice(i, i + len);
    if (s.length !== len || i + len === n || !INITIALS.has(s) || longestFull > len) continue;
    out.push({ end: i + len, kind: EdgeKind.Initial, syllables: syllablesWithPrefix(s)!, text: s, cost: 0 });
  }
  if (out.length === 0) out.push({ end: i + 1, kind: EdgeKind.Raw, syllables: EMPTY, text: input[i]!, cost: 0 });
  return out;
}
