/** Unsigned LEB128 varints: the writer side of the data build and the run-length sections the readers sum at load. */
/** Appends unsigned LEB128 varints; grows as needed. */
export class VarintWriter {
  private buf = new Uint8Array(1024);
  private len = 0;

  write(value: number): void {
    if (this.len + 5 > this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    let v = value >>> 0;
    while (v >= 0x80) {
      this.buf[this.len++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.len++] = v;
  }

  /** The bytes written so far. */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/**
 * Decodes exactly `count` unsigned LEB128 varints from `bytes` into a new Uint32Array.
 * Returns undefined when the stream ends early or has bytes left over.
 */
export function decodeVarints(bytes: Uint8Array, count: number): Uint32Array | undefined {
  // Each varint takes at least one byte: a count the bytes cannot hold is damage (and must
  // not become a huge or negative allocation).
  if (!Number.isInteger(count) || count < 0 || count > bytes.length) return undefined;
  const out = new Uint32Array(count);
  let p = 0;
  const n = bytes.length;
  for (let i = 0; i < count; i++) {
    let v = 0;
    let shift = 0;
    for (;;) {
      if (p >= n || shift > 28) return undefined;
      const b = bytes[p++]!;
      v |= (b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    out[i] = v >>> 0;
  }
  return p === n ? out : undefined;
}

/**
 * Run starts from run lengths stored as `runs` LEB128 varints: `runs + 1` ascending entries
 * from 0 (the last is the sum). Returns undefined when the stream is damaged (see
 * {@link decodeVarints}) or the sum passes 2^32 − 1.
 */
export function runStartsFromVarints(bytes: Uint8Array, runs: number): Uint32Array | undefined {
  const lengths = decodeVarints(bytes, runs);
  if (!lengths) return undefined;
  const starts = new Uint32Array(runs + 1);
  let total = 0;
  for (let r = 0; r < runs; r++) {
    starts[r] = total;
    total += lengths[r]!;
  }
  if (total > 0xffffffff) return undefined;
  starts[runs] = total;
  return starts;
}

/** The values as LEB128 varints (for writers). */
export function encodeVarints(values: ArrayLike<number>): Uint8Array {
  const w = new VarintWriter();
  for (let i = 0; i < values.length; i++) w.write(values[i]!);
  return w.bytes();
}
