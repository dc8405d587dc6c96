import { unzlibSync, zlibSync } from 'fflate';
import { crc32 } from './crc32.ts';
import { ImeError, ImeErrorCode } from './errors.ts';

/** Size of the fixed file header in bytes. See CONTAINER.md. */
export const HEADER_BYTES = 24;
const FLAG_DEFLATED = 1;
const SECTION_ENTRY_BYTES = 16;

/** A named byte range inside a container payload. */
export interface SectionData {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/**
 * Native helpers a host may lend the reader (Node's zlib, say). Both are optional; the
 * defaults are fflate and a table CRC-32 in plain JavaScript.
 */
export interface ContainerCodec {
  /** Inflates a zlib stream into exactly `rawLength` bytes (throw on damage). */
  inflate?(stored: Uint8Array, rawLength: number): Uint8Array;
  /** CRC-32 (IEEE) of the bytes. */
  crc32?(bytes: Uint8Array): number;
}

/** What a reader expects of a file. */
export interface ContainerSpec {
  /** Four ASCII characters identifying the format. */
  readonly magic: string;
  /** Highest format version this reader understands. */
  readonly version: number;
  /** Name used in error messages (a file name or URL). */
  readonly fileName: string;
  /** Optional native inflate / CRC. */
  readonly codec?: ContainerCodec;
}

/**
 * Typed views over the sections of a loaded container. Views share the payload's memory;
 * nothing is copied per entry.
 */
export class Container {
  constructor(
    private readonly sections: ReadonlyMap<string, Uint8Array>,
    readonly version: number,
    private readonly fileName: string,
  ) {}

  /** Raw bytes of a section; throws a Corrupt error when the section is missing. */
  bytes(name: string): Uint8Array {
    const s = this.sections.get(name);
    if (!s) throw new ImeError(ImeErrorCode.Corrupt, `${this.fileName}: missing section '${name}'`);
    return s;
  }

  /** True when the section exists. */
  has(name: string): boolean {
    return this.sections.has(name);
  }

  u8(name: string): Uint8Array {
    return this.bytes(name);
  }

  u16(name: string): Uint16Array {
    const b = this.view(name, 2);
    return new Uint16Array(b.buffer, b.byteOffset, b.byteLength / 2);
  }

  u32(name: string): Uint32Array {
    const b = this.view(name, 4);
    return new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  }

  f32(name: string): Float32Array {
    const b = this.view(name, 4);
    return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  }

  /** A section holding one UTF-8 JSON object (a record of fields, such as `meta`). */
  json<T extends object>(name: string): T {
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder().decode(this.bytes(name)));
    } catch (e) {
      if (e instanceof ImeError) throw e;
      throw new ImeError(ImeErrorCode.Corrupt, `${this.fileName}: section '${name}' is not valid JSON`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ImeError(ImeErrorCode.Corrupt, `${this.fileName}: section '${name}' is not a JSON object`);
    }
    return value as T;
  }

  private view(name: string, width: number): Uint8Array {
    const b = this.bytes(name);
    if (b.byteLength % width !== 0 || b.byteOffset % width !== 0) {
      throw new ImeError(ImeErrorCode.Corrupt, `${this.fileName}: section '${name}' is misaligned`);
    }
    return b;
  }
}

function ascii(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes).replace(/\0+$/, '').trimEnd();
}

/**
 * Writes a container: header, then a (deflated) payload of 8-byte aligned sections.
 * Little-endian throughout, as the typed arrays of every platform we target.
 */
export function writeContainer(
  magic: string,
  version: number,
  sections: readonly SectionData[],
  deflate = true,
): Uint8Array {
  if (magic.length !== 4) throw new ImeError(ImeErrorCode.InvalidArgument, 'magic must be 4 chars');
  const tableBytes = 4 + sections.length * SECTION_ENTRY_BYTES;
  let offset = align8(tableBytes);
  const offsets: number[] = [];
  for (const s of sections) {
    offsets.push(offset);
    offset = align8(offset + s.bytes.byteLength);
  }
  const payload = new Uint8Array(offset);
  const dv = new DataView(payload.buffer);
  dv.setUint32(0, sections.length, true);
  sections.forEach((s, i) => {
    const at = 4 + i * SECTION_ENTRY_BYTES;
    const name = s.name.padEnd(8, ' ');
    if (name.length !== 8) throw new ImeError(ImeErrorCode.InvalidArgument, `section name too long: ${s.name}`);
    for (let k = 0; k < 8; k++) payload[at + k] = name.charCodeAt(k);
    dv.setUint32(at + 8, offsets[i]!, true);
    dv.setUint32(at + 12, s.bytes.byteLength, true);
    payload.set(s.bytes, offsets[i]!);
  });
  const stored = deflate ? zlibSync(payload, { level: 9 }) : payload;
  const out = new Uint8Array(HEADER_BYTES + stored.byteLength);
  const hv = new DataView(out.buffer);
  for (let k = 0; k < 4; k++) out[k] = magic.charCodeAt(k);
  hv.setUint16(4, version, true);
  hv.setUint16(6, deflate ? FLAG_DEFLATED : 0, true);
  hv.setUint32(8, payload.byteLength, true);
  hv.setUint32(12, stored.byteLength, true);
  hv.setUint32(16, crc32(payload), true);
  hv.setUint32(20, 0, true);
  out.set(stored, HEADER_BYTES);
  return out;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/**
 * Reads and verifies a container. Every structural problem becomes an {@link ImeError} naming
 * the file: truncation, wrong magic, a newer version, checksum mismatch, bad section table.
 */
export function readContainer(file: Uint8Array, spec: ContainerSpec): Container {
  const where = spec.fileName;
  if (file.byteLength < HEADER_BYTES) {
    throw new ImeError(ImeErrorCode.Truncated, `${where}: ${file.byteLength} bytes is shorter than the header`);
  }
  const magic = ascii(file.subarray(0, 4));
  if (magic !== spec.magic) {
    throw new ImeError(ImeErrorCode.BadMagic, `${where}: expected a '${spec.magic}' file, found '${magic}'`);
  }
  const hv = new DataView(file.buffer, file.byteOffset, HEADER_BYTES);
  const version = hv.getUint16(4, true);
  if (version === 0 || version > spec.version) {
    throw new ImeError(
      ImeErrorCode.UnsupportedVersion,
      `${where}: format version ${version} is not supported (this reader knows up to ${spec.version})`,
    );
  }
  const flags = hv.getUint16(6, true);
  const rawLength = hv.getUint32(8, true);
  const storedLength = hv.getUint32(12, true);
  const expectedCrc = hv.getUint32(16, true);
  if (file.byteLength < HEADER_BYTES + storedLength) {
    throw new ImeError(
      ImeErrorCode.Truncated,
      `${where}: truncated (${file.byteLength} of ${HEADER_BYTES + storedLength} bytes)`,
    );
  }
  const stored = file.subarray(HEADER_BYTES, HEADER_BYTES + storedLength);
  let payload: Uint8Array;
  if (flags & FLAG_DEFLATED) {
    try {
      payload = spec.codec?.inflate
        ? spec.codec.inflate(stored, rawLength)
        : unzlibSync(stored, { out: new Uint8Array(rawLength) });
    } catch (e) {
      throw new ImeError(ImeErrorCode.Corrupt, `${where}: compressed payload is damaged`, { cause: e });
    }
  } else {
    payload = stored.byteOffset % 8 === 0 ? stored : stored.slice();
  }
  if (payload.byteOffset % 8 !== 0) payload = payload.slice(); // typed views need alignment
  if (payload.byteLength !== rawLength) {
    throw new ImeError(ImeErrorCode.Corrupt, `${where}: payload is ${payload.byteLength} bytes, header says ${rawLength}`);
  }
  if ((spec.codec?.crc32 ?? crc32)(payload) !== expectedCrc) {
    throw new ImeError(ImeErrorCode.ChecksumMismatch, `${where}: checksum mismatch (file is damaged)`);
  }
  const pv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const count = payload.byteLength >= 4 ? pv.getUint32(0, true) : 0;
  if (4 + count * SECTION_ENTRY_BYTES > payload.byteLength) {
    throw new ImeError(ImeErrorCode.Corrupt, `${where}: section table overruns the payload`);
  }
  const sections = new Map<string, Uint8Array>();
  for (let i = 0; i < count; i++) {
    const at = 4 + i * SECTION_ENTRY_BYTES;
    const name = ascii(payload.subarray(at, at + 8));
    const off = pv.getUint32(at + 8, true);
    const len = pv.getUint32(at + 12, true);
    if (off + len > payload.byteLength) {
      throw new ImeError(ImeErrorCode.Corrupt, `${where}: section '${name}' overruns the payload`);
    }
    sections.set(name, payload.subarray(off, off + len));
  }
  return new Container(sections, version, where);
}

/**
 * Inflates a container's payload with an asynchronous inflater (e.g. the browser's
 * DecompressionStream) and returns the same container stored uncompressed, which
 * {@link readContainer} then reads without copying. Files already uncompressed, too short or
 * not deflated are returned as they are, for readContainer to judge.
 */
export async function inflateContainer(
  file: Uint8Array,
  inflate: (stored: Uint8Array) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  if (file.byteLength < HEADER_BYTES) return file;
  const hv = new DataView(file.buffer, file.byteOffset, HEADER_BYTES);
  const flags = hv.getUint16(6, true);
  const storedLength = hv.getUint32(12, true);
  if (!(flags & FLAG_DEFLATED) || file.byteLength < HEADER_BYTES + storedLength) return file;
  let payload: Uint8Array;
  try {
    payload = await inflate(file.subarray(HEADER_BYTES, HEADER_BYTES + storedLength));
  } catch {
    return file; // readContainer reports the damage with the file's name
  }
  const out = new Uint8Array(HEADER_BYTES + payload.byteLength);
  out.set(file.subarray(0, HEADER_BYTES));
  out.set(payload, HEADER_BYTES);
  const ov = new DataView(out.buffer, 0, HEADER_BYTES);
  ov.setUint16(6, flags & ~FLAG_DEFLATED, true);
  ov.setUint32(12, payload.byteLength, true);
  return out;
}
