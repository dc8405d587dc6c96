/**
 * The shipped data files damaged in every way we can think of (issue 7): every section in
 * turn, the section table, the header fields, future versions, truncation, and random damage
 * under a valid checksum. Each damaged file must fail at load with an ImeError naming the file
 * (never a TypeError or RangeError, never a silent wrong load), or, where the damage keeps the
 * file consistent, load and convert without throwing.
 *
 * test/container.test.ts covers the container on a small sample; this works on the real files.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/engine/engine.ts';
import { loadEngineData } from '../src/engine/load.ts';
import { Lexicon } from '../src/lexicon/lexicon.ts';
import { LEXICON_VERSION } from '../src/lexicon/lexicon-format.ts';
import { NGramModel } from '../src/lm/ngram-model.ts';
import { NGRAM_VERSION } from '../src/lm/ngram-format.ts';
import { SYLLABLES } from '../src/pinyin/syllables.ts';
import { HEADER_BYTES, readContainer, SECTION_ENTRY_BYTES, writeContainer, type ContainerCodec } from '../src/util/container.ts';
import { ImeError, ImeErrorCode, isImeError } from '../src/util/errors.ts';
import { createEngineHost } from '../src/worker/engine-host.ts';
import { LEXICON_PATH, MODEL_PATH, nodeCodec } from '../scripts/lib/node-engine.ts';

const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 80);

interface Section {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** One of the shipped files and how to load it. */
interface DataFile {
  readonly kind: 'lexicon' | 'model';
  readonly name: string;
  readonly magic: string;
  readonly version: number;
  /** The file as shipped (deflated). */
  readonly shipped: Uint8Array;
  readonly load: (bytes: Uint8Array, name: string, codec?: ContainerCodec) => unknown;
}

const FILES: readonly DataFile[] = [
  {
    kind: 'lexicon',
    name: 'dictionaries/lexicon.bin',
    magic: 'HZLX',
    version: LEXICON_VERSION,
    shipped: new Uint8Array(readFileSync(LEXICON_PATH)),
    load: (b, n, c) => Lexicon.fromBytes(b, n, c),
  },
  {
    kind: 'model',
    name: 'models/ngram.bin',
    magic: 'HZLM',
    version: NGRAM_VERSION,
    shipped: new Uint8Array(readFileSync(MODEL_PATH)),
    load: (b, n, c) => NGramModel.fromBytes(b, n, c),
  },
];

// ---------------------------------------------------------------------------------------------
// Container surgery

/** One entry of a file's section table, read without any check (the tests damage files). */
interface TableEntry {
  readonly name: string;
  /** File offset of the section's stored bytes. */
  readonly offset: number;
  /** Stored length. */
  readonly length: number;
  readonly deflated: boolean;
  /** File offset of the table entry. */
  readonly entry: number;
}

/** The section table as the header's count says, as far as it fits (see src/util/CONTAINER.md). */
function sectionTable(file: Uint8Array): TableEntry[] {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const count = Math.min(dv.getUint32(8, true), Math.floor((file.length - HEADER_BYTES) / SECTION_ENTRY_BYTES));
  const out: TableEntry[] = [];
  for (let i = 0; i < count; i++) {
    const entry = HEADER_BYTES + i * SECTION_ENTRY_BYTES;
    const name = String.fromCharCode(...file.subarray(entry, entry + 8)).trimEnd();
    out.push({ name, offset: dv.getUint32(entry + 8, true), length: dv.getUint32(entry + 12, true), deflated: dv.getUint32(entry + 24, true) === 1, entry });
  }
  return out;
}

/** The file's sections, inflated, in file order. */
function sections(f: DataFile, file: Uint8Array): Section[] {
  const c = readContainer(file, { magic: f.magic, version: f.version, fileName: f.name, codec: nodeCodec });
  return sectionTable(file).map((s) => ({ name: s.name, bytes: c.bytes(s.name) }));
}

/** The file stored uncompressed (same content, so section bytes sit at known offsets). */
async function uncompressed(f: DataFile): Promise<Uint8Array> {
  return writeContainer(f.magic, f.version, sections(f, f.shipped), false);
}

/**
 * Rewrites the checksums of an uncompressed file (each section's, then the header's) so that
 * only the damage itself is left to find.
 */
function withValidCrc(file: Uint8Array): Uint8Array {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  for (const s of sectionTable(file)) {
    if (!s.deflated && s.offset + s.length <= file.length) dv.setUint32(s.entry + 20, crc32(file.subarray(s.offset, s.offset + s.length)), true);
  }
  const tableEnd = Math.min(file.length, HEADER_BYTES + dv.getUint32(8, true) * SECTION_ENTRY_BYTES);
  const covered = file.slice(0, tableEnd);
  covered.fill(0, 16, 20);
  dv.setUint32(16, crc32(covered), true);
  return file;
}

function setU16(file: Uint8Array, at: number, value: number): Uint8Array {
  const copy = Uint8Array.from(file);
  new DataView(copy.buffer).setUint16(at, value, true);
  return copy;
}

function setU32(file: Uint8Array, at: number, value: number): Uint8Array {
  const copy = Uint8Array.from(file);
  new DataView(copy.buffer).setUint32(at, value, true);
  return copy;
}

/** What loading gives: the error code, or 'loaded'. Anything but an ImeError fails the test. */
function outcome(f: DataFile, bytes: Uint8Array, codec: ContainerCodec | undefined = nodeCodec): string {
  try {
    f.load(bytes, f.name, codec);
    return 'loaded';
  } catch (e) {
    if (!isImeError(e)) throw new Error(`${f.kind}: damage raised ${String(e)} instead of an ImeError`, { cause: e });
    expect(e.message, 'the error names the file').toContain(f.name);
    return e.code;
  }
}

const flipAt = (bytes: Uint8Array, at: number, mask = 0x20): Uint8Array => {
  const copy = Uint8Array.from(bytes);
  copy[at]! ^= mask;
  return copy;
};

// The uncompressed forms are built once (a few MB each).
const plain = new Map<string, Promise<Uint8Array>>();
const plainOf = (f: DataFile) => {
  let p = plain.get(f.kind);
  if (!p) plain.set(f.kind, (p = uncompressed(f)));
  return p;
};

describe.each(FILES)('$kind ($name)', (f) => {
  it('loads as shipped, and stored uncompressed (so the failures below are the damage)', async () => {
    expect(outcome(f, f.shipped)).toBe('loaded');
    const p = await plainOf(f);
    expect(sectionTable(f.shipped).some((s) => s.deflated), 'shipped deflated').toBe(true);
    expect(sectionTable(p).some((s) => s.deflated), 'stored uncompressed').toBe(false);
    expect(outcome(f, p)).toBe('loaded');
    expect(outcome(f, p, undefined), 'with the portable CRC too').toBe('loaded');
  });

  it('a flipped byte in the middle of each section is a checksum error', async () => {
    const p = await plainOf(f);
    const table = sectionTable(p);
    expect(table.length).toBeGreaterThanOrEqual(8);
    for (const s of table) {
      expect(s.length, `section ${s.name} is empty`).toBeGreaterThan(0);
      const at = s.offset + (s.length >> 1);
      expect(outcome(f, flipAt(p, at)), `section ${s.name}`).toBe(ImeErrorCode.ChecksumMismatch);
    }
  });

  it('bytes flipped across the compressed file fail as damaged or mismatched', () => {
    for (let k = 0; k < 24; k++) {
      const at = Math.floor(((k + 0.5) * f.shipped.length) / 24);
      for (const codec of [nodeCodec, undefined]) {
        expect([ImeErrorCode.Corrupt, ImeErrorCode.ChecksumMismatch], `byte ${at}`).toContain(outcome(f, flipAt(f.shipped, at, 0x55), codec));
      }
    }
  });

  it.each([
    ['one past ours', (v: number) => v + 1],
    ['far in the future', () => 0xffff],
    ['zero', () => 0],
  ])('format version %s is refused', (_what, version) => {
    const code = outcome(f, setU16(f.shipped, 4, version(f.version)));
    expect(code).toBe(ImeErrorCode.UnsupportedVersion);
  });

  it('a future version says which version it found and which it knows', () => {
    try {
      f.load(setU16(f.shipped, 4, f.version + 1), f.name, nodeCodec);
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toContain(`version ${f.version + 1}`);
      expect((e as Error).message).toContain(`up to ${f.version}`);
    }
  });

  it('any changed magic byte is refused', () => {
    for (let i = 0; i < 4; i++) expect(outcome(f, flipAt(f.shipped, i, 0x01))).toBe(ImeErrorCode.BadMagic);
  });

  it('is refused when cut anywhere', async () => {
    const p = await plainOf(f);
    for (const file of [f.shipped, p]) {
      for (const length of [0, 1, 4, HEADER_BYTES - 1, HEADER_BYTES, HEADER_BYTES + 1, file.length >> 2, file.length >> 1, file.length - 8, file.length - 1]) {
        expect(outcome(f, file.subarray(0, length)), `cut at ${length}`).toBe(ImeErrorCode.Truncated);
      }
    }
  });

  it.each([
    ['section count one more', 8, (v: number) => v + 1],
    ['section count one less', 8, (v: number) => v - 1],
    ['section count absurd', 8, () => 0xffffffff],
    ['file length past the end', 12, (v: number) => v + 1],
    ['file length too small', 12, (v: number) => v - 100],
    ['checksum', 16, (v: number) => v ^ 1],
    ['reserved field', 20, () => 1],
  ])('header field damaged: %s', (_what, at, change) => {
    const v = new DataView(f.shipped.buffer, f.shipped.byteOffset).getUint32(at, true);
    for (const codec of [nodeCodec, undefined]) {
      const code = outcome(f, setU32(f.shipped, at, change(v) >>> 0), codec);
      expect([ImeErrorCode.Corrupt, ImeErrorCode.ChecksumMismatch, ImeErrorCode.Truncated]).toContain(code);
    }
  });

  it('a deflated section marked as stored fails (the flags are checked against the lengths)', () => {
    const deflated = sectionTable(f.shipped).filter((s) => s.deflated);
    expect(deflated.length).toBeGreaterThan(0);
    for (const s of deflated) expect(outcome(f, withValidCrc(setU32(f.shipped, s.entry + 24, 0))), s.name).toBe(ImeErrorCode.Corrupt);
  });

  it('an unknown container layout or section flag is refused', () => {
    expect(outcome(f, withValidCrc(setU16(f.shipped, 6, 1)))).toBe(ImeErrorCode.Corrupt);
    const first = sectionTable(f.shipped)[0]!;
    expect(outcome(f, withValidCrc(setU32(f.shipped, first.entry + 24, 4)))).toBe(ImeErrorCode.Corrupt);
  });

  it('non-zero padding between sections is refused', async () => {
    const p = await plainOf(f);
    const table = sectionTable(p);
    const gap = table.find((s) => (s.offset + s.length) % 8 !== 0)!;
    expect(gap, 'some section is followed by padding').toBeDefined();
    expect(outcome(f, withValidCrc(flipAt(p, gap.offset + gap.length, 0x01)))).toBe(ImeErrorCode.Corrupt);
  });

  describe('section table (checksum valid, so the reader must see the damage itself)', () => {
    it('an entry pointing past the payload is corrupt', async () => {
      const p = await plainOf(f);
      const payload = p.length;
      for (const s of sectionTable(p)) {
        expect(outcome(f, withValidCrc(setU32(p, s.entry + 8, payload))), `${s.name} offset`).toBe(ImeErrorCode.Corrupt);
        expect(outcome(f, withValidCrc(setU32(p, s.entry + 8, 0xfffffff8))), `${s.name} offset`).toBe(ImeErrorCode.Corrupt);
        expect(outcome(f, withValidCrc(setU32(p, s.entry + 12, payload))), `${s.name} length`).toBe(ImeErrorCode.Corrupt);
      }
    });

    it('a renamed (so missing) section is corrupt', async () => {
      const p = await plainOf(f);
      for (const s of sectionTable(p)) {
        const renamed = Uint8Array.from(p);
        renamed.set([...'zzzzzzzz'].map((c) => c.charCodeAt(0)), s.entry);
        expect(outcome(f, withValidCrc(renamed)), `without ${s.name}`).toBe(ImeErrorCode.Corrupt);
      }
    });

    it.each([
      ['no sections', 0],
      ['more entries than fit', 0xffffffff],
      ['one entry short', -1],
    ])('a section count of %s is corrupt', async (_what, count) => {
      const p = await plainOf(f);
      const n = sectionTable(p).length;
      const value = count < 0 ? n + count : count;
      expect(outcome(f, withValidCrc(setU32(p, 8, value)))).toBe(ImeErrorCode.Corrupt);
    });
  });

  describe('section contents (rewritten as a well-formed container)', () => {
    const repack = async (change: (s: Section) => Section): Promise<Uint8Array> => {
      const p = await plainOf(f);
      return writeContainer(f.magic, f.version, sections(f, p).map(change), false);
    };

    it('each section shortened is corrupt', async () => {
      for (const s of sectionTable(await plainOf(f))) {
        for (const cut of [1, 4, 8]) {
          const file = await repack((x) => (x.name === s.name ? { name: x.name, bytes: x.bytes.subarray(0, x.bytes.length - cut) } : x));
          expect(outcome(f, file), `${s.name} short by ${cut}`).toBe(ImeErrorCode.Corrupt);
        }
      }
    });

    it('each section emptied or doubled is corrupt', async () => {
      for (const s of sectionTable(await plainOf(f))) {
        const emptied = await repack((x) => (x.name === s.name ? { name: x.name, bytes: new Uint8Array(0) } : x));
        expect(outcome(f, emptied), `${s.name} empty`).toBe(ImeErrorCode.Corrupt);
        const doubled = await repack((x) => {
          if (x.name !== s.name) return x;
          const bytes = new Uint8Array(x.bytes.length * 2);
          bytes.set(x.bytes);
          bytes.set(x.bytes, x.bytes.length);
          return { name: x.name, bytes };
        });
        expect(outcome(f, doubled), `${s.name} doubled`).toBe(ImeErrorCode.Corrupt);
      }
    });

    it('meta that is not JSON is corrupt', async () => {
      const file = await repack((x) => (x.name === 'meta' ? { name: 'meta', bytes: new TextEncoder().encode('{"words": 1,') } : x));
      expect(outcome(f, file)).toBe(ImeErrorCode.Corrupt);
    });

    it('nonsense values in meta are corrupt, never a crash', async () => {
      const p = await plainOf(f);
      const meta = JSON.parse(new TextDecoder().decode(sections(f, p).find((s) => s.name === 'meta')!.bytes)) as Record<string, unknown>;
      const numeric = Object.keys(meta).filter((k) => typeof meta[k] === 'number');
      expect(numeric.length).toBeGreaterThanOrEqual(4);
      const values: unknown[] = [-1, 0, 0.5, 2 ** 31, 2 ** 32 + 1, 1e15, 1e300, -1e15, '12', null, true, [], {}];
      for (const key of numeric) {
        for (const v of values) {
          const bytes = new TextEncoder().encode(JSON.stringify({ ...meta, [key]: v }));
          const file = await repack((x) => (x.name === 'meta' ? { name: 'meta', bytes } : x));
          if (v === meta[key]) continue;
          const code = outcome(f, file);
          const what = `meta.${key} = ${JSON.stringify(v)}`;
          // The counts fix the section sizes: any other count is damage. Other fields (a
          // boundary id, a back-off level) may hold other valid values; those must still work.
          if (SIZE_COUNTS[f.kind].includes(key)) expect(code, what).toBe(ImeErrorCode.Corrupt);
          else if (code === 'loaded') expect(() => convertWith(f, file, 'nihao'), what).not.toThrow();
          else expect(code, what).toBe(ImeErrorCode.Corrupt);
        }
      }
      for (const broken of ['null', '[]', '7', '"meta"', '{}']) {
        const file = await repack((x) => (x.name === 'meta' ? { name: 'meta', bytes: new TextEncoder().encode(broken) } : x));
        expect(outcome(f, file), `meta = ${broken}`).toBe(ImeErrorCode.Corrupt);
      }
    });
  });
});

/** Fields of meta that give section sizes (the reader checks them against the sections). */
const SIZE_COUNTS: Record<DataFile['kind'], readonly string[]> = {
  lexicon: ['words', 'nodes', 'links', 'entries'],
  model: ['vocabularySize', 'bigrams', 'trigrams', 'historyBigrams'],
};

/** Loads `file` as `f` with the other shipped file, converts `input`, returns the top text. */
function convertWith(f: DataFile, file: Uint8Array, input: string): string {
  const other = FILES.find((x) => x !== f)!;
  const loaded = f.load(file, f.name, nodeCodec);
  const otherLoaded = other.load(other.shipped, other.name, nodeCodec);
  const data =
    f.kind === 'lexicon'
      ? { lexicon: loaded as Lexicon, model: otherLoaded as NGramModel }
      : { lexicon: otherLoaded as Lexicon, model: loaded as NGramModel };
  const session = createEngine(data).createSession();
  session.type(input);
  session.preedit();
  return session.commit();
}

describe('random damage under a valid checksum', () => {
  // A file whose checksum matches but whose content was changed (a bad build, a hostile
  // file): the reader's own checks must turn it away, or what loads must still convert text
  // without throwing.
  const probes = ['nihao', 'zhongguo', 'woaibeijingtiananmen', 'bjdx', 'xian', "xi'an", 'hm', 'a', SYLLABLES.join('').slice(0, 120)];

  it.each(FILES)('$kind: byte damage in any section gives an ImeError or a working engine', async (f) => {
    const p = await plainOf(f);
    const table = sectionTable(p);
    const other = FILES.find((x) => x !== f)!;
    const otherData = other.load(other.shipped, other.name, nodeCodec);
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(
        fc.constantFrom(...table),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        (s, hits) => {
          const file = Uint8Array.from(p);
          for (const [where, value] of hits) file[s.offset + Math.floor(where * s.length)] = value;
          const code = outcome(f, withValidCrc(file));
          const key = `${s.name}:${code}`;
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
          if (code !== 'loaded') return;
          const loaded = f.load(file, f.name, nodeCodec);
          const data =
            f.kind === 'lexicon'
              ? { lexicon: loaded as Lexicon, model: otherData as NGramModel }
              : { lexicon: otherData as Lexicon, model: loaded as NGramModel };
          const engine = createEngine(data);
          for (const input of probes) {
            const session = engine.createSession();
            session.type(input);
            session.candidates();
            session.preedit();
            session.commit();
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    console.log(`data-faults ${f.kind}: ${[...outcomes].map(([k, n]) => `${k}×${n}`).join(', ')}`);
  }, 300_000);
});

describe('errors reach the caller with the file name', () => {
  it('loadEngineData names the damaged file', async () => {
    const [lex, model] = FILES;
    const assets = { lexicon: lex!.shipped, model: flipAt(model!.shipped, 5000), lexiconName: 'dictionaries/lexicon.bin', modelName: 'models/ngram.bin' };
    expect(() => loadEngineData(assets, nodeCodec)).toThrowError(/models\/ngram\.bin/);
    const badLex = { ...assets, lexicon: setU16(lex!.shipped, 4, 99), model: model!.shipped };
    expect(() => loadEngineData(badLex)).toThrowError(/dictionaries\/lexicon\.bin.*version 99/);
  });

  it('the worker host rejects init with an ImeError naming the URL, and a later good init works', async () => {
    const [lex, model] = FILES;
    const served = new Map<string, Uint8Array>([
      ['https://chat.example.org/ime/lexicon.bin', lex!.shipped],
      ['https://chat.example.org/ime/ngram.bin', model!.shipped.subarray(0, 1000)],
    ]);
    const host = createEngineHost({
      base: 'https://chat.example.org/app/',
      fetch: async (url) => {
        const body = served.get(url);
        return body ? new Response(body.slice()) : new Response('missing', { status: 404 });
      },
    });
    const init = { lexiconUrl: '/ime/lexicon.bin', modelUrl: '/ime/ngram.bin' };
    const error = await host.init(init).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImeError);
    expect((error as ImeError).code).toBe(ImeErrorCode.Truncated);
    expect((error as ImeError).message).toContain('/ime/ngram.bin');
    await expect(host.type(1, 'nihao'), 'no engine after a failed load').rejects.toMatchObject({ code: ImeErrorCode.InvalidArgument });
    served.set('https://chat.example.org/ime/ngram.bin', model!.shipped);
    await host.init(init);
    const state = await host.type(2, 'nihao');
    expect(state.candidates[0]?.text).toBe('你好');
  });
});
