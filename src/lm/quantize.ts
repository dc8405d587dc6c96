/** Number of levels of the 8-bit codebooks. */
export const LEVELS = 256;

/**
 * A 256-level codebook for `values`: the means of equal-population bins of the sorted
 * values (quantile binning), so dense regions get fine steps. Returned sorted ascending.
 */
export function buildCodebook(values: Float32Array, levels = LEVELS): Float32Array {
  const book = new Float32Array(levels);
  if (values.length === 0) return book;
  const sorted = Float32Array.from(values).sort();
  for (let q = 0; q < levels; q++) {
    const lo = Math.floor((q * sorted.length) / levels);
    const hi = Math.max(lo + 1, Math.floor(((q + 1) * sorted.length) / levels));
    let sum = 0;
    for (let i = lo; i < hi && i < sorted.length; i++) sum += sorted[i]!;
    book[q] = sum / Math.max(1, Math.min(hi, sorted.length) - lo);
  }
  return book.sort();
}

/** Index of the nearest codebook level for every value. */
export function quantize(values: Float32Array, book: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let lo = 0;
    let hi = book.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (book[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0 && Math.abs(book[lo - 1]! - v) <= Math.abs(book[lo]! - v)) lo--;
    out[i] = lo;
  }
  return out;
}
