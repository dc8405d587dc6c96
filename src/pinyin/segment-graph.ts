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
}

const EMPTY = new Uint16Array(0);

/**
 * Every segmentation of a normalised pinyin string, as edges from each position. Complete
 * syllables anywhere; an initial alone where no complete syllable starts with it; any syllable
 * prefix at the end of the input; apostrophes as separators. Positions no reading reaches past
 * get a raw edge so every input has a path from start to end.
 */
export class SegmentGraph {
  /** edges[i] lists the edges leaving position i. */
  readonly edges: readonly SegmentEdge[][];
  /** Per position, a string that changes whenever that position's edges change. */
  readonly signatures: readonly string[];

  constructor(
    readonly input: string,
    options: SegmentGraphOptions = {},
  ) {
    const n = input.length;
    const edges: SegmentEdge[][] = [];
    const signatures: string[] = [];
    for (let i = 0; i < n; i++) {
      const list = options.readEdges ? options.readEdges(input, i) : edgesFrom(input, i);
      if (options.extraEdges) addExtraEdges(input, i, list, options.extraEdges);
      edges.push(list);
      signatures.push(list.map((e) => `${e.kind}:${e.end}:${e.text}${e.cost ? `:${e.cost}` : ''}`).join(','));
    }
    this.edges = edges;
    this.signatures = signatures;
  }

  get length(): number {
    return this.input.length;
  }

  /** First position whose edges differ from `other`'s (the other graph's length if none). */
  firstDifference(other: SegmentGraph | undefined): number {
    if (!other) return 0;
    const m = Math.min(this.signatures.length, other.signatures.length);
    for (let i = 0; i < m; i++) if (this.signatures[i] !== other.signatures[i]) return i;
    return m;
  }
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
      out.push({ end: i + len, kind: EdgeKind.Full, syllables: Uint16Array.of(id), text: s, cost: 0 });
      longestFull = len;
    }
    if (i + len === n) {
      const all = syllablesWithPrefix(s);
      const longer = all?.filter((x) => x !== id);
      if (longer && longer.length > 0) {
        out.push({ end: n, kind: EdgeKind.Partial, syllables: longer, text: s, cost: 0 });
      }
    }
  }
  for (const len of [1, 2]) {
    const s = input.slice(i, i + len);
    if (s.length !== len || i + len === n || !INITIALS.has(s) || longestFull > len) continue;
    out.push({ end: i + len, kind: EdgeKind.Initial, syllables: syllablesWithPrefix(s)!, text: s, cost: 0 });
  }
  if (out.length === 0) out.push({ end: i + 1, kind: EdgeKind.Raw, syllables: EMPTY, text: input[i]!, cost: 0 });
  return out;
}
