/** Summary statistics of a sample (milliseconds in, milliseconds out). */
export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Mean and percentiles (nearest rank) of `values`. */
export function summarize(values: readonly number[]): Summary {
  const v = [...values].sort((a, b) => a - b);
  const at = (p: number) => v[Math.min(v.length - 1, Math.floor(p * v.length))] ?? 0;
  return {
    count: v.length,
    mean: v.reduce((a, b) => a + b, 0) / Math.max(1, v.length),
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: v[v.length - 1] ?? 0,
  };
}

/** Median of numbers. */
export function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)]! : 0;
}
