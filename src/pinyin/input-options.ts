import { FUZZY_EDGES_WINDOW, FuzzyRules, type FuzzyPair } from './fuzzy.ts';
import { normalizePinyin } from './normalize.ts';
import type { SegmentEdge, SegmentGraphOptions } from './segment-graph.ts';
import { normalizeShuangpinKeys, ShuangpinReader } from './shuangpin.ts';
import { SHUANGPIN_SCHEMES, type ShuangpinSchemeName } from './shuangpin-tables.ts';
import { TypoRules } from './typo.ts';

/** How keys spell syllables: full pinyin, or one of the shuangpin layouts. */
export type InputScheme = 'quanpin' | ShuangpinSchemeName;

/** Every input scheme by name. */
export const INPUT_SCHEMES: readonly InputScheme[] = ['quanpin', ...SHUANGPIN_SCHEMES];

/** True when `name` is an {@link InputScheme}. */
export function isInputScheme(name: string): name is InputScheme {
  return (INPUT_SCHEMES as readonly string[]).includes(name);
}

/** The named settings that say how keys become segment-graph edges. */
export interface InputOptions {
  /** Full pinyin (`quanpin`, the default) or a shuangpin layout. */
  scheme: InputScheme;
  /** Fuzzy pairs switched on (none by default). */
  fuzzy: readonly FuzzyPair[];
  /** Cost of each fuzzy swap in a reading, in nats. */
  fuzzyPenalty: number;
  /** Correct slips of the finger and common misspellings (full pinyin only; off by default). */
  typoTolerance: boolean;
  /** Cost of a corrected slip (neighbouring key, two letters swapped), in nats. */
  typoPenalty: number;
  /** Cost of a corrected misspelling (gn→ng, mg→ng, uen→un, iou→iu, uei→ui), in nats. */
  misspellingPenalty: number;
  /** Typo tolerance also reads letters that spell a syllable as a neighbouring one. */
  typoCorrectsSyllables: boolean;
  /** Extra cost, in nats, of reading letters that spell a syllable as another one. */
  syllableTypoExtra: number;
}

const NONE: SegmentGraphOptions = Object.freeze({});
const built = new WeakMap<object, { from: InputOptions; value: SegmentGraphOptions }>();

/**
 * The segment-graph options for `options` (cached per options object; rebuilt when a field
 * changes). Full pinyin without fuzzy or typo tolerance gives the plain graph.
 */
export function segmentGraphOptions(options: InputOptions): SegmentGraphOptions {
  const hit = built.get(options);
  if (hit && sameInputOptions(hit.from, options)) return hit.value;
  const value = buildGraphOptions(options);
  built.set(options, { from: { ...options, fuzzy: [...options.fuzzy] }, value });
  return value;
}

function sameInputOptions(a: InputOptions, b: InputOptions): boolean {
  return (
    a.scheme === b.scheme &&
    a.fuzzyPenalty === b.fuzzyPenalty &&
    a.typoTolerance === b.typoTolerance &&
    a.typoPenalty === b.typoPenalty &&
    a.misspellingPenalty === b.misspellingPenalty &&
    a.typoCorrectsSyllables === b.typoCorrectsSyllables &&
    a.syllableTypoExtra === b.syllableTypoExtra &&
    a.fuzzy.length === b.fuzzy.length &&
    a.fuzzy.every((p, i) => p === b.fuzzy[i])
  );
}

function buildGraphOptions(o: InputOptions): SegmentGraphOptions {
  const fuzzy = o.fuzzy.length > 0 ? new FuzzyRules(o.fuzzy, o.fuzzyPenalty) : undefined;
  if (o.scheme !== 'quanpin') {
    const reader = ShuangpinReader.of(o.scheme, fuzzy);
    return { readEdges: (input, i) => reader.edgesFrom(input, i) };
  }
  const extra: ((input: string, i: number, edges: SegmentEdge[]) => void)[] = [];
  if (fuzzy) extra.push((input, i, edges) => fuzzy.addEdges(input, i, edges));
  if (o.typoTolerance) {
    const typo = new TypoRules({
      slipPenalty: o.typoPenalty,
      misspellingPenalty: o.misspellingPenalty,
      correctSyllables: o.typoCorrectsSyllables,
      syllableSlipExtra: o.syllableTypoExtra,
    });
    extra.push((input, i, edges) => typo.addEdges(input, i, edges));
  }
  if (extra.length === 0) return NONE;
  // Fuzzy readings depend on a window of letters only; typo correction also on what the
  // positions before reach, so its graphs are built whole.
  return o.typoTolerance ? { extraEdges: extra } : { extraEdges: extra, window: FUZZY_EDGES_WINDOW };
}

/** Turns typed keys into what the scheme reads (see {@link normalizePinyin}, {@link normalizeShuangpinKeys}). */
export function normalizeKeys(scheme: InputScheme, keys: string): string {
  return scheme === 'quanpin' ? normalizePinyin(keys) : normalizeShuangpinKeys(keys);
}
