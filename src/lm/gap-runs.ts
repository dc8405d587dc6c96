import { ImeError, ImeErrorCode } from '../util/errors.ts';

/**
 * Runs of ascending word ids stored as LEB128 varints of their gaps (the first id of a run as
 * itself, each next one as the distance to the one before minus 1), with the byte offset of
 * every {@link RUN_SAMPLE}-th run. A run is decoded on its first use into a u32 array the
 * reader owns (ids + 1, so 0 there means "not decoded yet"): nothing is decoded at load, and
 * a look-up after that is a binary search over plain u32s with no allocation.
 */

/** Every this many runs, the byte offset of the run's first varint is stored. */
export const RUN_SAMPLE = 32;

/** Sampled byte offsets needed for `runs` runs. */
export function runSampleCount(runs: number): number {
  return Math.ceil(runs / RUN_SAMPLE);
}

/**
 * Encodes runs of ascending ids (for the writer).
 * @param ids every run's ids, one run after another, strictly ascending within a run
 * @param starts first index of each run in `ids` (runs + 1 entries; the last is ids.length)
 */
export function encodeGapRuns(ids: ArrayLike<number>, starts: ArrayLike<number>): { bytes: Uint8Array; samples: Uint32Array } {
  const runs = starts.length - 1;
  const samples = new Uint32Array(runSampleCount(runs));
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    if (r % RUN_SAMPLE === 0) samples[r / RUN_SAMPLE] = out.length;
    let prev = -1;
    for (let i = starts[r]!; i < starts[r + 1]!; i++) {
      const id = ids[i]!;
      if (id <= prev) throw new ImeError(ImeErrorCode.InvalidArgument, `ids not ascending in run ${r} at ${i}`);
      let gap = id - prev - 1;
      prev = id;
      while (gap >= 0x80) {
        out.push((gap & 0x7f) | 0x80);
        gap >>>= 7;
      }
      out.push(gap);
    }
  }
  return { bytes: Uint8Array.from(out), samples };
}

/** The reader's side: decodes one run at a time (see the module comment). */
export class GapRuns {
  /**
   * @param bytes the varint stream
   * @param samples byte offset of runs 0, {@link RUN_SAMPLE}, 2·RUN_SAMPLE, …
   * @param starts first index of each run (runs + 1 entries), as the ids' positions in `target`
   */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly samples: Uint32Array,
    private readonly starts: Uint32Array,
  ) {}

  /** True when the samples have the right count and ascend within the stream (checked at load). */
  static samplesValid(samples: Uint32Array, runs: number, streamLength: number): boolean {
    if (samples.length !== runSampleCount(runs)) return false;
    for (let i = 0; i < samples.length; i++) {
      if (samples[i]! > streamLength || (i > 0 && samples[i]! < samples[i - 1]!)) return false;
    }
    return samples.length === 0 || samples[0] === 0;
  }

  /**
   * Writes run `r`'s ids plus 1 into `target` at the run's positions. A damaged stream (the
   * file's checksums make that unlikely) yields wrong ids, never a read outside the arrays'
   * bounds that throws or a loop that does not end.
   */
  decodeInto(r: number, target: Uint32Array): void {
    const bytes = this.bytes;
    const starts = this.starts;
    let pos = this.samples[(r / RUN_SAMPLE) | 0]!;
    // Skip the runs between the sample and r: count the varints' last bytes.
    let skip = starts[r]! - starts[r - (r % RUN_SAMPLE)]!;
    while (skip > 0 && pos < bytes.length) if (bytes[pos++]! < 0x80) skip--;
    let prev = -1;
    for (let i = starts[r]!, end = starts[r + 1]!; i < end; i++) {
      let gap = 0;
      let shift = 0;
      let b: number;
      do {
        b = pos < bytes.length ? bytes[pos++]! : 0;
        gap += (b & 0x7f) * 2 ** shift;
        shift += 7;
      } while (b >= 0x80 && shift < 35);
      prev = prev + 1 + gap;
      target[i] = prev + 1;
    }
  }
}
