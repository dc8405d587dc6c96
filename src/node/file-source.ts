import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ByteSource } from '../util/byte-source.ts';

/**
 * Reads data files piece by piece for the container reader: a compressed section goes through
 * one scratch buffer shared by every file this reader opens, so the compressed files are
 * never whole in memory. On a machine where fresh memory is slow (page faults), that is most
 * of what cold start costs; read the largest file first so the scratch buffer grows once.
 */
export class ScratchFileReader {
  private scratch = new Uint8Array(0);

  /** Runs `use` with a {@link ByteSource} over the file at `path`, closing the file after. */
  read<T>(path: string, use: (source: ByteSource) => T): T {
    const fd = openSync(path, 'r');
    try {
      const source: ByteSource = {
        byteLength: fstatSync(fd).size,
        read: (offset, length, keep) => {
          const into = keep ? new Uint8Array(length) : this.scratchOf(length);
          let done = 0;
          while (done < length) {
            const n = readSync(fd, into, done, length - done, offset + done);
            if (n === 0) break; // the file shrank under us: the reader sees a short section
            done += n;
          }
          return done === length ? into : into.subarray(0, done);
        },
      };
      return use(source);
    } finally {
      closeSync(fd);
    }
  }

  private scratchOf(length: number): Uint8Array {
    if (this.scratch.byteLength < length) this.scratch = new Uint8Array(length);
    return this.scratch.subarray(0, length);
  }
}
