/**
 * A bit set with constant-time rank: which items are marked, and the how-manieth marked one
 * an item is. Built over a u32 view of the file (bit i of word i >>> 5); the rank directory
 * (one count per word) is the only thing computed at load.
 */
export class BitRank {
  /** Marked bits in all. */
  readonly count: number;
  private readonly before: Uint32Array;

  /** @param bits the set, bit `i` at `bits[i >>> 5] >>> (i & 31)`. */
  constructor(private readonly bits: Uint32Array) {
    const before = new Uint32Array(bits.length + 1);
    let sum = 0;
    for (let w = 0; w < bits.length; w++) {
      before[w] = sum;
      sum += popcount32(bits[w]!);
    }
    before[bits.length] = sum;
    this.before = before;
    this.count = sum;
  }

  /** Rank of bit `i` among the marked bits (0 for the first), or -1 when `i` is not marked. */
  rankOf(i: number): number {
    const word = this.bits[i >>> 5];
    if (word === undefined || ((word >>> (i & 31)) & 1) === 0) return -1;
    return this.before[i >>> 5]! + popcount32(word & ((1 << (i & 31)) - 1));
  }
}

/** Set bits of a 32-bit word. */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
