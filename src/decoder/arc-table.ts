/**
 * The arcs leaving one start position, as columns (struct of arrays): no object per arc, and
 * the numbers live in typed arrays the garbage collector never scans or copies. A table is
 * cleared and refilled in place when its start's arcs are recomputed.
 */
export class ArcTable {
  length = 0;
  end = new Int32Array(16);
  word = new Int32Array(16);
  cost = new Float64Array(16);
  reading: string[] = [];
  /** Farthest input position the walk that filled the table read. */
  reach = 0;

  clear(): void {
    this.length = 0;
  }

  push(end: number, word: number, cost: number, reading: string): void {
    const k = this.length;
    if (k === this.end.length) this.grow();
    this.end[k] = end;
    this.word[k] = word;
    this.cost[k] = cost;
    this.reading[k] = reading;
    this.length = k + 1;
  }

  private grow(): void {
    const size = this.end.length * 2;
    const end = new Int32Array(size);
    end.set(this.end);
    const word = new Int32Array(size);
    word.set(this.word);
    const cost = new Float64Array(size);
    cost.set(this.cost);
    this.end = end;
    this.word = word;
    this.cost = cost;
  }
}

/**
 * The arcs ending at one position, as (start, index in that start's table) pairs; refilled in
 * place on every update.
 */
export class ArcRefs {
  length = 0;
  start = new Int32Array(32);
  index = new Int32Array(32);

  clear(): void {
    this.length = 0;
  }

  push(start: number, index: number): void {
    const k = this.length;
    if (k === this.start.length) {
      const s = new Int32Array(k * 2);
      s.set(this.start);
      const i = new Int32Array(k * 2);
      i.set(this.index);
      this.start = s;
      this.index = i;
    }
    this.start[k] = start;
    this.index[k] = index;
    this.length = k + 1;
  }
}
