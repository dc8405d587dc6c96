import { addRelative, memoizedWindow, pushEdge, relative, windowKey, type RelativeEdge } from './fuzzy.ts';
import { EdgeKind, type SegmentEdge } from './segment-graph.ts';
import { SYLLABLES, syllableId, syllableText } from './syllables.ts';

const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'] as const;
/** Horizontal offset of each row, in key widths (staggered keyboard). */
const ROW_OFFSETS = [0, 0.25, 0.75] as const;

/**
 * The letters next to each letter on a QWERTY keyboard (same row left and right, and the keys
 * touching it in the rows above and below).
 */
export const QWERTY_NEIGHBOURS: ReadonlyMap<string, string> = (() => {
  const place = new Map<string, { row: number; x: number }>();
  ROWS.forEach((keys, row) => [...keys].forEach((k, col) => place.set(k, { row, x: col + ROW_OFFSETS[row]! })));
  const out = new Map<string, string>();
  for (const [k, a] of place) {
    let near = '';
    for (const [m, b] of place) {
      if (m === k) continue;
      const dy = Math.abs(a.row - b.row);
      const dx = Math.abs(a.x - b.x);
      if ((dy === 0 && dx === 1) || (dy === 1 && dx <= 0.75)) near += m;
    }
    out.set(k, near);
  }
  return out;
})();

/** Common ways of misspelling a syllable's ending: [written, meant]. */
const MISSPELLINGS: readonly (readonly [string, string])[] = [
  ['gn', 'ng'],
  ['mg', 'ng'],
  ['uen', 'un'],
  ['iou', 'iu'],
  ['uei', 'ui'],
];

/** Interjections and lone vowels are too short to correct safely. */
const SKIPPED = new Set(['m', 'n', 'ng', 'hm', 'hng', 'a', 'e', 'o']);

/** Longest typed spelling that can be a corrected syllable (6 letters plus one misspelt). */
const MAX_TYPED_LENGTH = 7;

/** Settings of typo tolerance. */
export interface TypoSettings {
  /** Cost of one slip of a finger: a neighbouring key or two letters swapped. */
  readonly slipPenalty: number;
  /** Cost of a common misspelling (gn→ng, mg→ng, uen→un, iou→iu, uei→ui). */
  readonly misspellingPenalty: number;
  /** Also offer corrections of letters that already spell a syllable (`hai` → `hao`). */
  readonly correctSyllables: boolean;
  /** Extra cost of correcting letters that already spell a syllable. */
  readonly syllableSlipExtra: number;
}

/**
 * Typo tolerance for full pinyin: the syllables a misspelt stretch of letters probably meant,
 * one slip or one common misspelling away, each at a cost so corrected readings rank below
 * exact ones. The table from typed spelling to syllables is built once, on first use.
 */
export class TypoRules {
  private table: Map<string, { id: number; cost: number }[]> | undefined;
  /** The input whose graph is being built, and which of its positions a reading reaches. */
  private building = '';
  private reached = new Uint8Array(1);
  private readonly windows = new Map<string, readonly RelativeEdge[]>();

  constructor(readonly settings: TypoSettings) {}

  /** Syllables `typed` may be a misspelling of, with their cost (none for a correct syllable unless asked). */
  corrections(typed: string): readonly { id: number; cost: number }[] {
    if (syllableId(typed) >= 0 && !this.settings.correctSyllables) return [];
    return (this.table ??= this.build()).get(typed) ?? [];
  }

  /**
   * Adds the corrected readings of the letters starting at `i` to `edges`. A graph calls it
   * for positions 0, 1, 2, … in order; corrections start only where some reading of the
   * letters before ends, and are longer than any syllable read exactly from there (elsewhere
   * they would cost time and gain nothing measurable on the dev sets).
   */
  addEdges(input: string, i: number, edges: SegmentEdge[]): void {
    if (i === 0 || input !== this.building) {
      this.building = input;
      this.reached = new Uint8Array(input.length + 1);
      this.reached[0] = 1;
    }
    const n = input.length;
    if (this.reached[i] && input[i] !== "'") {
      const key = windowKey(input, i, MAX_TYPED_LENGTH, false);
      addRelative(edges, i, memoizedWindow(this.windows, key, () => this.edgesToAdd(input, i, edges)));
    }
    for (const e of edges) if (e.end <= n) this.reached[e.end] = 1;
  }

  /** The corrections from `i`, which depend only on the next {@link MAX_TYPED_LENGTH} letters. */
  private edgesToAdd(input: string, i: number, edges: readonly SegmentEdge[]): RelativeEdge[] {
    // Letters read exactly as a syllable are not re-read as a shorter or equal correction.
    let longestExact = 0;
    for (const e of edges) if (e.kind === EdgeKind.Full && e.cost === 0) longestExact = Math.max(longestExact, e.end - i);
    const out: SegmentEdge[] = [];
    for (let len = 2; len <= MAX_TYPED_LENGTH && i + len <= input.length; len++) {
      const s = input.slice(i, i + len);
      if (s.includes("'")) break;
      if (len <= longestExact) continue;
      for (const c of this.corrections(s)) {
        pushEdge(out, { end: i + len, kind: EdgeKind.Full, syllables: Uint16Array.of(c.id), text: syllableText(c.id), cost: c.cost });
      }
    }
    return out.map((e) => relative(e, i));
  }

  private build(): Map<string, { id: number; cost: number }[]> {
    const table = new Map<string, { id: number; cost: number }[]>();
    const add = (typed: string, id: number, cost: number) => {
      const typedId = syllableId(typed);
      if (typedId === id) return;
      if (typedId >= 0) cost += this.settings.syllableSlipExtra;
      const list = table.get(typed);
      if (!list) return void table.set(typed, [{ id, cost }]);
      const old = list.find((c) => c.id === id);
      if (!old) list.push({ id, cost });
      else if (cost < old.cost) old.cost = cost;
    };
    const { slipPenalty, misspellingPenalty } = this.settings;
    SYLLABLES.forEach((spelling, id) => {
      if (SKIPPED.has(spelling)) return;
      for (const [written, meant] of MISSPELLINGS) {
        if (spelling.endsWith(meant) && spelling.length > meant.length) {
          add(spelling.slice(0, -meant.length) + written, id, misspellingPenalty);
        }
      }
      for (let p = 0; p < spelling.length; p++) {
        for (const near of QWERTY_NEIGHBOURS.get(spelling[p]!) ?? '') {
          add(spelling.slice(0, p) + near + spelling.slice(p + 1), id, slipPenalty);
        }
        if (p + 1 < spelling.length && spelling[p] !== spelling[p + 1]) {
          add(spelling.slice(0, p) + spelling[p + 1] + spelling[p] + spelling.slice(p + 2), id, slipPenalty);
        }
      }
    });
    return table;
  }
}
