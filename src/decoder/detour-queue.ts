/**
 * The candidate sentences of the n-best, before their text is known: each final state's own
 * path, and that path with one detour swapped in (an alternative that reached a state along it
 * at a higher cost). Rows live in columns reused from decode to decode (no object per row) and
 * are taken cheapest first, rows of equal cost in the order they were added, through a binary
 * heap of row indices: the n-best reads a handful of the hundreds of rows a long input has.
 * Add every row first, then take.
 */
export class DetourQueue<S extends object> {
  private costs = new Float64Array(64);
  private heap = new Int32Array(64);
  private readonly finals: (S | null)[] = [];
  private readonly ats: (S | null)[] = [];
  private readonly detours: (S | null)[] = [];
  private rows = 0;
  private heapSize = 0;
  private ordered = false;

  /** Rows added since the last {@link clear}. */
  get length(): number {
    return this.rows;
  }

  /**
   * Adds a row: the path ending in `final`, with the part up to `at` replaced by the path of
   * `detour` (both null for the final's own path), at total cost `cost`.
   */
  add(cost: number, final: S, at: S | null, detour: S | null): void {
    const k = this.rows;
    if (k === this.costs.length) this.grow();
    this.costs[k] = cost;
    this.finals[k] = final;
    this.ats[k] = at;
    this.detours[k] = detour;
    this.rows = k + 1;
    this.ordered = false;
  }

  /** Index of the cheapest row not taken yet, or -1 when every row was taken. */
  takeCheapest(): number {
    if (!this.ordered) this.heapify();
    if (this.heapSize === 0) return -1;
    const heap = this.heap;
    const top = heap[0]!;
    this.heapSize--;
    if (this.heapSize > 0) {
      heap[0] = heap[this.heapSize]!;
      this.siftDown(0);
    }
    return top;
  }

  cost(row: number): number {
    return this.costs[row]!;
  }

  final(row: number): S {
    return this.finals[row]!;
  }

  /** The state the detour replaces the path up to (null: no detour). */
  at(row: number): S | null {
    return this.ats[row]!;
  }

  detour(row: number): S | null {
    return this.detours[row]!;
  }

  /** Forgets every row (and the states they held). */
  clear(): void {
    for (let k = 0; k < this.rows; k++) {
      this.finals[k] = null;
      this.ats[k] = null;
      this.detours[k] = null;
    }
    this.rows = 0;
    this.heapSize = 0;
    this.ordered = false;
  }

  /** True when row `a` comes before row `b`: cheaper, or as cheap and added earlier. */
  private before(a: number, b: number): boolean {
    const ca = this.costs[a]!;
    const cb = this.costs[b]!;
    return ca < cb || (ca === cb && a < b);
  }

  private heapify(): void {
    const heap = this.heap;
    for (let k = 0; k < this.rows; k++) heap[k] = k;
    this.heapSize = this.rows;
    for (let k = (this.heapSize >> 1) - 1; k >= 0; k--) this.siftDown(k);
    this.ordered = true;
  }

  private siftDown(from: number): void {
    const heap = this.heap;
    const size = this.heapSize;
    let k = from;
    const row = heap[k]!;
    for (;;) {
      let child = 2 * k + 1;
      if (child >= size) break;
      if (child + 1 < size && this.before(heap[child + 1]!, heap[child]!)) child++;
      if (!this.before(heap[child]!, row)) break;
      heap[k] = heap[child]!;
      k = child;
    }
    heap[k] = row;
  }

  private grow(): void {
    const costs = new Float64Array(this.costs.length * 2);
    costs.set(this.costs);
    this.costs = costs;
    this.heap = new Int32Array(costs.length);
  }
}
