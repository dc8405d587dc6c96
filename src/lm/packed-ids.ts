import { ImeError, ImeErrorCode } from '../util/errors.ts';

/**
 * Word ids in fixed width without a decoding pass: a u16 plane of low bits and a packed
 * plane of the few high bits (`highBits` per id, 32 / highBits ids to a u32). Both planes are
 * typed-array views over the loaded file; reading id `i` is a few shifts.
 */
export class PackedIds {
  /** Ids held. */
  readonly length: number;
  private readonly wordShift: number;
  private readonly slotMask: number;
  private readonly bitShift: number;
  private readonly mask: number;
  private readonly high: Uint32Array;

  /**
   * @param low the low 16 bits of every id
   * @param high the high bits, packed ({@link highPlaneWords} u32 words; ignored when `highBits` is 0)
   * @param highBits 0, 1, 2, 4 or 8 (see {@link packedIdHighBits})
   */
  constructor(
    private readonly low: Uint16Array,
    high: Uint32Array,
    highBits: number,
  ) {
    if (!VALID_HIGH_BITS.includes(highBits)) throw new ImeError(ImeErrorCode.Corrupt, `high bits must be one of ${VALID_HIGH_BITS.join(', ')}`);
    if (high.length < highPlaneWords(low.length, highBits)) throw new ImeError(ImeErrorCode.Corrupt, 'high plane too short');
    this.length = low.length;
    this.high = highBits === 0 ? new Uint32Array(1) : high;
    // highBits 0: every id reads word 0 (i >>> 31 is 0 for any index) with an empty mask.
    this.wordShift = highBits === 0 ? 31 : Math.log2(32 / highBits);
    this.slotMask = highBits === 0 ? 0 : 32 / highBits - 1;
    this.bitShift = highBits === 0 ? 0 : Math.log2(highBits);
    this.mask = (1 << highBits) - 1;
  }

  /** Id number `i` (0 ≤ i < length). */
  at(i: number): number {
    const hi = (this.high[i >>> this.wordShift]! >>> ((i & this.slotMask) << this.bitShift)) & this.mask;
    return this.low[i]! | (hi << 16);
  }

  /**
   * Writes ids [start, end) into `target` at the same indices: the low plane by one native
   * copy, then the high bits of the (usually few) ids that have any.
   */
  copyInto(target: Uint32Array, start: number, end: number): void {
    target.set(this.low.subarray(start, end), start);
    if (this.mask === 0) return;
    const high = this.high;
    const perWord = this.slotMask + 1;
    for (let w = start >>> this.wordShift; w * perWord < end; w++) {
      const bits = high[w]!;
      if (bits === 0) continue;
      const from = Math.max(start, w * perWord);
      const to = Math.min(end, (w + 1) * perWord);
      for (let i = from; i < to; i++) target[i]! |= ((bits >>> ((i & this.slotMask) << this.bitShift)) & this.mask) << 16;
    }
  }

  /** Index of `key` among the ascending ids in [lo, hi), or -1. */
  search(lo: number, hi: number, key: number): number {
    // at() spelled out with the fields in locals: this loop runs for every lattice arc.
    const low = this.low;
    const high = this.high;
    const wordShift = this.wordShift;
    const slotMask = this.slotMask;
    const bitShift = this.bitShift;
    const mask = this.mask;
    hi--;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = low[mid]! | (((high[mid >>> wordShift]! >>> ((mid & slotMask) << bitShift)) & mask) << 16);
      if (k < key) lo = mid + 1;
      else if (k > key) hi = mid - 1;
      else return mid;
    }
    return -1;
  }
}

const VALID_HIGH_BITS = [0, 1, 2, 4, 8];

/** High bits per id needed for ids below `limit`: the smallest of 0, 1, 2, 4, 8 that fits. */
export function packedIdHighBits(limit: number): number {
  for (const bits of VALID_HIGH_BITS) if (limit <= 2 ** (16 + bits)) return bits;
  throw new ImeError(ImeErrorCode.InvalidArgument, `ids up to ${limit} do not fit in 24 bits`);
}

/** u32 words of the high plane for `count` ids. */
export function highPlaneWords(count: number, highBits: number): number {
  return highBits === 0 ? 0 : Math.ceil((count * highBits) / 32);
}

/** Splits ids into the two planes (for the writer). */
export function packIds(ids: Uint32Array, highBits: number): { low: Uint16Array; high: Uint32Array } {
  const low = new Uint16Array(ids.length);
  const high = new Uint32Array(highPlaneWords(ids.length, highBits));
  const perWord = highBits === 0 ? 1 : 32 / highBits;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id >= 2 ** (16 + highBits)) throw new ImeError(ImeErrorCode.InvalidArgument, `id ${id} does not fit in ${16 + highBits} bits`);
    low[i] = id & 0xffff;
    if (highBits > 0) high[Math.floor(i / perWord)]! |= (id >>> 16) << ((i % perWord) * highBits);
  }
  return { low, high };
}
