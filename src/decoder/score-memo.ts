/**
 * Language-model scores the decoder already asked for, kept while the lattice is: each key
 * re-expands the last few beams from mostly the same states over mostly the same arcs, so
 * about half of a key's (state, word) pairs were scored on an earlier key of the same input.
 * A direct-mapped table in typed arrays: a pair has one slot (a newer pair may take it), a
 * look-up allocates nothing, and {@link clear} is one counter step (slots carry the counter
 * value they were written under).
 */
export class ScoreMemo {
  private readonly states: Int32Array;
  private readonly words: Int32Array;
  private readonly costs: Float64Array;
  private readonly nexts: Int32Array;
  private readonly stamps: Uint32Array;
  private readonly mask: number;
  private stamp = 1;

  /** @param slotBits the table has 2^slotBits slots */
  constructor(slotBits = 15) {
    const size = 1 << slotBits;
    this.mask = size - 1;
    this.states = new Int32Array(size);
    this.words = new Int32Array(size);
    this.costs = new Float64Array(size);
    this.nexts = new Int32Array(size);
    this.stamps = new Uint32Array(size);
  }

  /** The slot of the pair (state, word). */
  slot(state: number, word: number): number {
    return (Math.imul(state, 0x9e3779b1) ^ Math.imul(word + 0x7f4a7c15, 0x85ebca77)) & this.mask;
  }

  /** True when `slot` holds the score of (state, word). */
  holds(slot: number, state: number, word: number): boolean {
    return this.stamps[slot] === this.stamp && this.states[slot] === state && this.words[slot] === word;
  }

  /** Cost held in `slot` (see {@link holds}). */
  cost(slot: number): number {
    return this.costs[slot]!;
  }

  /** Next state held in `slot` (see {@link holds}). */
  next(slot: number): number {
    return this.nexts[slot]!;
  }

  /** Keeps the score of (state, word) in its slot. */
  store(slot: number, state: number, word: number, cost: number, next: number): void {
    this.states[slot] = state;
    this.words[slot] = word;
    this.costs[slot] = cost;
    this.nexts[slot] = next;
    this.stamps[slot] = this.stamp;
  }

  /** Forgets every score (the language model or the context may have changed). */
  clear(): void {
    this.stamp++;
    if (this.stamp === 0xffffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
  }
}
