/**
 * The character side of the reranking model: which characters it knows (ids), which
 * characters share a syllable (the sets its output is normalised over), and how a sentence
 * turns into the fixed windows of neighbouring characters the model reads.
 *
 * Pure data and arithmetic: shared by the training script, the ONNX scorer and the tests.
 */

/** Id of padding (never a real character). */
export const PAD_ID = 0;
/** Id standing for the start or end of a clause. */
export const BOUNDARY_ID = 1;
/** Id of any character the model does not know. */
export const UNKNOWN_ID = 2;
/** Id of the first real character (the most frequent one). */
export const FIRST_CHAR_ID = 3;

/** Longest set a typed prefix (an initial like `b`, or an unfinished syllable) is scored over. */
export const MAX_PREFIX_SET = 256;

const HAN = /\p{Script=Han}/u;

/** True for a single Han character. */
export function isHan(ch: string): boolean {
  return HAN.test(ch);
}

/**
 * The last `count` characters of the clause `text` ends in (its trailing run of Han
 * characters): the left context a model may read. Empty after punctuation or letters.
 */
export function trailingClause(text: string, count: number): string[] {
  const chars = [...text];
  let start = chars.length;
  while (start > 0 && chars.length - start < count && isHan(chars[start - 1]!)) start--;
  return chars.slice(start);
}

/** The serialisable form of a {@link CharVocabulary}, stored in the model file. */
export interface CharVocabularyData {
  /** Known characters, most frequent first; the i-th has id FIRST_CHAR_ID + i. */
  readonly chars: string;
  /** For each toneless syllable (ü as v), the characters read so, most frequent first. */
  readonly homophones: Readonly<Record<string, string>>;
}

/** Character ids and syllable → character sets. */
export class CharVocabulary {
  readonly size: number;
  private readonly ids = new Map<string, number>();
  private readonly bySyllable = new Map<string, Int32Array>();
  private readonly byPrefix = new Map<string, Int32Array>();

  constructor(readonly data: CharVocabularyData) {
    let id = FIRST_CHAR_ID;
    for (const ch of data.chars) this.ids.set(ch, id++);
    this.size = id;
    for (const [syllable, chars] of Object.entries(data.homophones)) {
      const set: number[] = [];
      for (const ch of chars) {
        const k = this.ids.get(ch);
        if (k !== undefined) set.push(k);
      }
      this.bySyllable.set(syllable, Int32Array.from(set));
    }
  }

  /** Id of `ch`, or {@link UNKNOWN_ID}. */
  id(ch: string): number {
    return this.ids.get(ch) ?? UNKNOWN_ID;
  }

  /**
   * A sentence's characters as ids (anything not Han becomes {@link BOUNDARY_ID}) and, for
   * each Han character of a word whose reading has one syllable per character, the syllable
   * (or typed prefix) it was read from; undefined elsewhere.
   */
  encodeWords(words: readonly { readonly text: string; readonly reading: string }[]): {
    ids: Int32Array;
    readings: (string | undefined)[];
  } {
    const ids: number[] = [];
    const readings: (string | undefined)[] = [];
    for (const w of words) {
      const chars = [...w.text];
      const syllables = w.reading.split("'");
      const aligned = syllables.length === chars.length && chars.every(isHan);
      chars.forEach((ch, i) => {
        const han = isHan(ch);
        ids.push(han ? this.id(ch) : BOUNDARY_ID);
        readings.push(han && aligned ? syllables[i] : undefined);
      });
    }
    return { ids: Int32Array.from(ids), readings };
  }

  /**
   * The ids character `target`, typed as `reading`, is scored over: its {@link competitors},
   * with `target` put first when they lack it. Undefined when there is nothing to choose
   * (target alone) or `target` is unknown.
   */
  scoredSet(reading: string, target: number): Int32Array | undefined {
    if (target < FIRST_CHAR_ID) return undefined;
    const set = this.competitors(reading);
    if (set.includes(target)) return set.length > 1 ? set : undefined;
    return Int32Array.from([target, ...set]);
  }

  /**
   * The ids a character typed as `reading` competes with: the syllable's homophones when
   * `reading` is a whole syllable, else the characters of every syllable starting with it
   * (an initial or an unfinished syllable), the most frequent {@link MAX_PREFIX_SET}.
   */
  competitors(reading: string): Int32Array {
    const exact = this.bySyllable.get(reading);
    if (exact) return exact;
    let set = this.byPrefix.get(reading);
    if (set) return set;
    const ids = new Set<number>();
    for (const [syllable, chars] of this.bySyllable) if (syllable.startsWith(reading)) for (const k of chars) ids.add(k);
    set = Int32Array.from([...ids].sort((a, b) => a - b).slice(0, MAX_PREFIX_SET));
    this.byPrefix.set(reading, set);
    return set;
  }
}

/**
 * Writes the window of character ids around position `i` of `ids` into `out` at `offset`:
 * `left` ids before it (preceded by `before`, then the boundary, then padding) and `right`
 * ids after it (then the boundary, then padding). The character itself is not part of it.
 */
export function writeWindow(
  ids: ArrayLike<number>,
  i: number,
  left: number,
  right: number,
  before: ArrayLike<number>,
  out: Int32Array,
  offset: number,
): void {
  let o = offset;
  for (let k = left; k >= 1; k--) {
    const j = i - k;
    if (j >= 0) out[o++] = ids[j]!;
    else {
      const b = before.length + j;
      if (b >= 0) out[o++] = before[b]!;
      else out[o++] = b === -1 ? BOUNDARY_ID : PAD_ID;
    }
  }
  for (let k = 1; k <= right; k++) {
    const j = i + k;
    out[o++] = j < ids.length ? ids[j]! : j === ids.length ? BOUNDARY_ID : PAD_ID;
  }
}
