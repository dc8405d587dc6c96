import { unzlibSync, zlibSync } from 'fflate';
import { memorySource, type ByteSource } from './byte-source.ts';
import { crc32 } from './crc32.ts';
import { ImeError, ImeErrorCode } from './errors.ts';

/** Size of the fixed file header in bytes. See CONTAINER.md. */
export const HEADER_BYTES = 24;
/** Size of one section-table entry in bytes. */
export const SECTION_ENTRY_BYTES = 32;
/** The container layout this code reads and writes (header field at offset 6). */
export const CONTAINER_LAYOUT = 2;
/** Section flag: stored zlib-deflated. */
const SECTION_DEFLATED = 1;
/**
 * A section is stored deflated only when that saves at least this share of its size: inflating
 * costs load time, and near-random data (quantised costs) gains almost nothing from it.
 */
const MIN_DEFLATE_SAVING = 0.1;
/** More sections than any file of ours has: a larger count is damage. */
const MAX_SECTIONS = 256;
/** Largest section, inflated (the typed arrays' practical limit). */
const MAX_SECTION_BYTES = 2 ** 31 - 1;

/** A named byte range, as given to {@link writeContainer}. */
export interface SectionData {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Where one section lies in a container file, as its section table says. */
export interface SectionEntry {
  readonly name: string;
  /** Offset of the stored bytes from the start of the file (a multiple of 8). */
  readonly offset: number;
  /** Stored length (compressed when `deflated`). */
  readonly storedLength: number;
  /** Length once inflated. */
  readonly rawLength: number;
  /** CRC-32 of the inflated bytes. */
  readonly crc: number;
  readonly deflated: boolean;
  /** Byte offset of this entry in the file (for tools and tests). */
  readonly entryOffset: number;
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
 * Typed views over the sections of a loaded container. Views share the sections' memory;
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

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** The header and table bytes with the checksum field zeroed: what the header checksum covers. */
function headerChecksumBytes(headerAndTable: Uint8Array): Uint8Array {
  const copy = new Uint8Array(headerAndTable); // a copy, whatever subclass came in
  copy.fill(0, 16, 20);
  return copy;
}

/**
 * Writes a container: header, section table, then each section on an 8-byte boundary,
 * zlib-deflated when that makes it at least a tenth smaller (and `deflate` is true). Little-endian throughout,
 * as the typed arrays of every platform we target.
 */
export function writeContainer(
  magic: string,
  version: number,
  sections: readonly SectionData[],
  deflate = true,
): Uint8Array {
  if (magic.length !== 4) throw new ImeError(ImeErrorCode.InvalidArgument, 'magic must be 4 chars');
  if (sections.length > MAX_SECTIONS) throw new ImeError(ImeErrorCode.InvalidArgument, 'too many sections');
  const stored = sections.map((s) => {
    const z = deflate ? zlibSync(s.bytes, { level: 9 }) : undefined;
    const worthIt = z !== undefined && z.byteLength <= s.bytes.byteLength * (1 - MIN_DEFLATE_SAVING);
    return worthIt ? { bytes: z, deflated: true } : { bytes: s.bytes, deflated: false };
  });
  const tableEnd = HEADER_BYTES + sections.length * SECTION_ENTRY_BYTES;
  const offsets: number[] = [];
  let end = tableEnd;
  for (const s of stored) {
    const at = align8(end);
    offsets.push(at);
    end = at + s.bytes.byteLength;
  }
  const out = new Uint8Array(end);
  const dv = new DataView(out.buffer);
  for (let k = 0; k < 4; k++) out[k] = magic.charCodeAt(k);
  dv.setUint16(4, version, true);
  dv.setUint16(6, CONTAINER_LAYOUT, true);
  dv.setUint32(8, sections.length, true);
  dv.setUint32(12, end, true);
  sections.forEach((s, i) => {
    const at = HEADER_BYTES + i * SECTION_ENTRY_BYTES;
    const name = s.name.padEnd(8, ' ');
    if (name.length !== 8) throw new ImeError(ImeErrorCode.InvalidArgument, `section name too long: ${s.name}`);
    for (let k = 0; k < 8; k++) out[at + k] = name.charCodeAt(k);
    dv.setUint32(at + 8, offsets[i]!, true);
    dv.setUint32(at + 12, stored[i]!.bytes.byteLength, true);
    dv.setUint32(at + 16, s.bytes.byteLength, true);
    dv.setUint32(at + 20, crc32(s.bytes), true);
    dv.setUint32(at + 24, stored[i]!.deflated ? SECTION_DEFLATED : 0, true);
    out.set(stored[i]!.bytes, offsets[i]!);
  });
  dv.setUint32(16, crc32(headerChecksumBytes(out.subarray(0, tableEnd))), true);
  return out;
}

/** What the header and section table of a file say, checked for consistency. */
interface Layout {
  readonly version: number;
  readonly entries: readonly SectionEntry[];
}

/**
 * Reads and checks the header and section table. Every structural problem becomes an
 * {@link ImeError} naming the file: truncation, wrong magic, a newer version, a damaged
 * table (checksum), sections that overlap, leave gaps or run past the end.
 */
function readLayout(src: ByteSource, spec: ContainerSpec): Layout {
  const where = spec.fileName;
  const corrupt = (what: string) => new ImeError(ImeErrorCode.Corrupt, `${where}: ${what}`);
  if (src.byteLength < HEADER_BYTES) {
    throw new ImeError(ImeErrorCode.Truncated, `${where}: ${src.byteLength} bytes is shorter than the header`);
  }
  const header = src.read(0, HEADER_BYTES, true);
  const magic = ascii(header.subarray(0, 4));
  if (magic !== spec.magic) {
    throw new ImeError(ImeErrorCode.BadMagic, `${where}: expected a '${spec.magic}' file, found '${magic}'`);
  }
  const hv = new DataView(header.buffer, header.byteOffset, HEADER_BYTES);
  const version = hv.getUint16(4, true);
  if (version === 0 || version > spec.version) {
    throw new ImeError(
      ImeErrorCode.UnsupportedVersion,
      `${where}: format version ${version} is not supported (this reader knows up to ${spec.version})`,
    );
  }
  const layout = hv.getUint16(6, true);
  const count = hv.getUint32(8, true);
  const fileLength = hv.getUint32(12, true);
  const expectedCrc = hv.getUint32(16, true);
  if (src.byteLength < fileLength) {
    throw new ImeError(ImeErrorCode.Truncated, `${where}: truncated (${src.byteLength} of ${fileLength} bytes)`);
  }
  if (layout !== CONTAINER_LAYOUT) throw corrupt(`unknown container layout ${layout}`);
  if (src.byteLength > fileLength) throw corrupt(`${src.byteLength - fileLength} bytes after the end the header gives`);
  if (count === 0 || count > MAX_SECTIONS) throw corrupt(`absurd section count ${count}`);
  const tableEnd = HEADER_BYTES + count * SECTION_ENTRY_BYTES;
  if (tableEnd > fileLength) throw corrupt('section table runs past the end of the file');
  const table = src.read(0, tableEnd, true);
  if ((spec.codec?.crc32 ?? crc32)(headerChecksumBytes(table)) !== expectedCrc) {
    throw new ImeError(ImeErrorCode.ChecksumMismatch, `${where}: header checksum mismatch (file is damaged)`);
  }
  if (hv.getUint32(20, true) !== 0) throw corrupt('reserved header field is not 0');
  const tv = new DataView(table.buffer, table.byteOffset, tableEnd);
  const entries: SectionEntry[] = [];
  const names = new Set<string>();
  let end = tableEnd;
  for (let i = 0; i < count; i++) {
    const at = HEADER_BYTES + i * SECTION_ENTRY_BYTES;
    const entry: SectionEntry = {
      name: ascii(table.subarray(at, at + 8)),
      offset: tv.getUint32(at + 8, true),
      storedLength: tv.getUint32(at + 12, true),
      rawLength: tv.getUint32(at + 16, true),
      crc: tv.getUint32(at + 20, true),
      deflated: tv.getUint32(at + 24, true) === SECTION_DEFLATED,
      entryOffset: at,
    };
    const flags = tv.getUint32(at + 24, true);
    if ((flags & ~SECTION_DEFLATED) !== 0 || tv.getUint32(at + 28, true) !== 0) {
      throw corrupt(`section '${entry.name}' has unknown flags`);
    }
    if (names.has(entry.name)) throw corrupt(`section '${entry.name}' appears twice`);
    names.add(entry.name);
    if (entry.offset !== align8(end) || entry.offset + entry.storedLength > fileLength) {
      throw corrupt(`section '${entry.name}' is not where the table says`);
    }
    if (entry.rawLength > MAX_SECTION_BYTES || (!entry.deflated && entry.rawLength !== entry.storedLength)) {
      throw corrupt(`section '${entry.name}' has impossible lengths`);
    }
    end = entry.offset + entry.storedLength;
    entries.push(entry);
  }
  if (end !== fileLength) throw corrupt('the sections do not end where the file does');
  return { version, entries };
}

/** Checks the padding after a section (zero bytes up to the next 8-byte boundary). */
function checkPadding(src: ByteSource, entry: SectionEntry, where: string): void {
  const end = entry.offset + entry.storedLength;
  const pad = Math.min(align8(end), src.byteLength) - end;
  if (pad === 0) return;
  if (src.read(end, pad, false).some((b) => b !== 0)) {
    throw new ImeError(ImeErrorCode.Corrupt, `${where}: padding after section '${entry.name}' is not zero`);
  }
}

/** Checks an inflated section's length and checksum; returns it aligned for typed views. */
function verified(bytes: Uint8Array, entry: SectionEntry, spec: ContainerSpec): Uint8Array {
  const where = spec.fileName;
  if (bytes.byteLength !== entry.rawLength) {
    throw new ImeError(ImeErrorCode.Corrupt, `${where}: section '${entry.name}' inflates to ${bytes.byteLength} bytes, table says ${entry.rawLength}`);
  }
  if ((spec.codec?.crc32 ?? crc32)(bytes) !== entry.crc) {
    throw new ImeError(ImeErrorCode.ChecksumMismatch, `${where}: section '${entry.name}' checksum mismatch (file is damaged)`);
  }
  return bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes);
}

function damagedStream(entry: SectionEntry, spec: ContainerSpec, cause: unknown): ImeError {
  return new ImeError(ImeErrorCode.Corrupt, `${spec.fileName}: compressed section '${entry.name}' is damaged`, { cause });
}

/**
 * Reads and verifies a container, one section at a time: from bytes in memory, or from a
 * {@link ByteSource} (a file read piece by piece, so the compressed file is never whole in
 * memory). Every problem becomes an {@link ImeError} naming the file: truncation, wrong magic,
 * a newer version, checksum mismatch, a damaged table or stream.
 */
export function readContainer(input: Uint8Array | ByteSource, spec: ContainerSpec): Container {
  const src = input instanceof Uint8Array ? memorySource(input) : input;
  const { version, entries } = readLayout(src, spec);
  const sections = new Map<string, Uint8Array>();
  for (const entry of entries) {
    let bytes: Uint8Array;
    if (entry.deflated) {
      const stored = src.read(entry.offset, entry.storedLength, false);
      try {
        bytes = spec.codec?.inflate ? spec.codec.inflate(stored, entry.rawLength) : unzlibSync(stored, { out: new Uint8Array(entry.rawLength) });
      } catch (e) {
        throw damagedStream(entry, spec, e);
      }
    } else {
      bytes = src.read(entry.offset, entry.storedLength, true);
    }
    checkPadding(src, entry, spec.fileName);
    sections.set(entry.name, verified(bytes, entry, spec));
  }
  return new Container(sections, version, spec.fileName);
}

/**
 * {@link readContainer} with an asynchronous inflater (the browser's DecompressionStream),
 * all sections inflating at once.
 */
export async function readContainerAsync(
  file: Uint8Array,
  spec: ContainerSpec,
  inflate: (stored: Uint8Array) => Promise<Uint8Array>,
): Promise<Container> {
  const src = memorySource(file);
  const { version, entries } = readLayout(src, spec);
  const loaded = await Promise.all(
    entries.map(async (entry) => {
      checkPadding(src, entry, spec.fileName);
      const stored = src.read(entry.offset, entry.storedLength, !entry.deflated);
      if (!entry.deflated) return verified(stored, entry, spec);
      let bytes: Uint8Array;
      try {
        bytes = await inflate(stored);
      } catch (e) {
        throw damagedStream(entry, spec, e);
      }
      return verified(bytes, entry, spec);
    }),
  );
  return new Container(new Map(entries.map((e, i) => [e.name, loaded[i]!])), version, spec.fileName);
}

/**
 * The section table of a container file (checked as {@link readContainer} does, sections not
 * read): for tools that report sizes and for tests that damage files on purpose.
 */
export function describeContainer(file: Uint8Array, spec: ContainerSpec): readonly SectionEntry[] {
  return readLayout(memorySource(file), spec).entries;
}
