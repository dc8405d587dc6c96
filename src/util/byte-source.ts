/**
 * Random access to the bytes of a data file, so a reader can take one section at a time
 * instead of holding the whole (compressed) file in memory first.
 */
export interface ByteSource {
  /** Size of the file in bytes. */
  readonly byteLength: number;
  /**
   * `length` bytes starting at `offset` (the caller checks the range). With `keep` false the
   * view may be overwritten by the next call (a scratch buffer); with `keep` true it stays
   * valid and starts on an 8-byte boundary, so typed-array views can be made over it.
   */
  read(offset: number, length: number, keep: boolean): Uint8Array;
}

/** A {@link ByteSource} over bytes already in memory: views, copied only to align them. */
export function memorySource(file: Uint8Array): ByteSource {
  // A plain Uint8Array view: a Node Buffer's slice() would share memory instead of copying.
  const bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  return {
    byteLength: bytes.byteLength,
    read(offset, length, keep) {
      const view = bytes.subarray(offset, offset + length);
      return keep && view.byteOffset % 8 !== 0 ? view.slice() : view;
    },
  };
}
