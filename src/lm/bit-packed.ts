import { ImeError, ImeErrorCode } from '../util/errors.ts';

/**
 * Fixed-width unsigned values of `bits` bits (1–16) packed into u32 words, value i at bit
 * i·bits (little-endian, straddling a word boundary where it falls). A typed-array view over
 * the file; reading a value is a few shifts.
 */
export class BitPacked {
  private readonly mask: number;

  constructor(
    private readonly words: Uint32Array,
    readonly bits: number,
    /** Values held. */
    readonly length: number,
  ) {
    if (!(Number.isInteger(bits) && bits >= 1 && bits <= 16)) throw new ImeError(ImeErrorCode.Corrupt, `packed values of ${bits} bits (1 to 16 fit)`);
    if (words.length !== packedWords(length, bits)) throw new ImeError(ImeErrorCode.Corrupt, 'packed array has the wrong length');
    this.mask = (1 << bits) - 1;
  }

  /** Value number `i` (0 ≤ i < length). */
  get(i: number): number {
    const bit = i * this.bits;
    const w = bit >>> 5;
    const s = bit & 31;
    let v = this.words[w]! >>> s;
    if (s + this.bits > 32) v |= this.words[w + 1]! << (32 - s);
    return v & this.mask;
  }
}

/** u32 words holding `count` values of `bits` bits. */
export function packedWords(count: number, bits: number): number {
  return Math.ceil((count * bits) / 32);
}

/** Packs values (each below 2^bits) for {@link BitPacked} (the writer's side). */
export function packBits(values: ArrayLike<number>, bits: number): Uint32Array {
  const words = new Uint32Array(packedWords(values.length, bits));
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= 0 && v < 2 ** bits)) throw new ImeError(ImeErrorCode.InvalidArgument, `value ${v} does not fit in ${bits} bits`);
    const bit = i * bits;
    const w = bit >>> 5;
    const s = bit & 31;
    words[w]! |= v << s;
    if (s + bits > 32) words[w + 1]! |= v >>> (32 - s);
  }
  return words;
}
