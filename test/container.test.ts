import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describeContainer, readContainer, readContainerAsync, writeContainer } from '../src/util/container.ts';
import type { ByteSource } from '../src/util/byte-source.ts';
import { ScratchFileReader } from '../src/node/file-source.ts';
import { ImeErrorCode, isImeError } from '../src/util/errors.ts';
import { Lexicon } from '../src/lexicon/lexicon.ts';
import { NGramModel } from '../src/lm/ngram-model.ts';
import { LEXICON_PATH, MODEL_PATH } from '../scripts/lib/node-engine.ts';
import { codeOf } from './lib/error-code.ts';

const spec = { magic: 'TEST', version: 2, fileName: 'test.bin' };
const sample = () =>
  writeContainer('TEST', 1, [
    { name: 'a', bytes: Uint8Array.of(1, 2, 3) },
    { name: 'nums', bytes: new Uint8Array(new Uint32Array([7, 8, 9]).buffer) },
  ]);

describe('container', () => {
  it('round-trips sections as aligned typed views', () => {
    const c = readContainer(sample(), spec);
    expect([...c.u8('a')]).toEqual([1, 2, 3]);
    expect([...c.u32('nums')]).toEqual([7, 8, 9]);
  });
  it('rejects a truncated file', () => {
    const f = sample();
    expect(codeOf(() => readContainer(f.subarray(0, f.length - 5), spec))).toBe(ImeErrorCode.Truncated);
    expect(codeOf(() => readContainer(f.subarray(0, 10), spec))).toBe(ImeErrorCode.Truncated);
  });
  it('rejects wrong magic', () => {
    expect(codeOf(() => readContainer(sample(), { ...spec, magic: 'NOPE' }))).toBe(ImeErrorCode.BadMagic);
  });
  it('rejects a future version', () => {
    expect(codeOf(() => readContainer(sample(), { ...spec, version: 0 }))).toBe(ImeErrorCode.UnsupportedVersion);
  });
  it('rejects flipped bits in the payload', () => {
    const f = writeContainer('TEST', 1, [{ name: 'a', bytes: new Uint8Array(64).fill(5) }], false);
    f[40]! ^= 0x10;
    expect(codeOf(() => readContainer(f, spec))).toBe(ImeErrorCode.ChecksumMismatch);
  });
  it('rejects a damaged deflate stream', () => {
    const f = sample();
    for (let i = 26; i < f.length; i += 3) f[i] = 0xff;
    const code = codeOf(() => readContainer(f, spec));
    expect([ImeErrorCode.Corrupt, ImeErrorCode.ChecksumMismatch]).toContain(code);
  });
  it('deflates each section on its own, and stores it as is when deflate would save less than a tenth', () => {
    let state = 2463534242;
    const noise = new Uint8Array(4096).map(() => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) % 200; // about 7.6 bits a byte: deflate saves a few percent at most
    });
    const f = writeContainer('TEST', 1, [
      { name: 'zeros', bytes: new Uint8Array(4096) },
      { name: 'noise', bytes: noise },
    ]);
    const table = describeContainer(f, spec);
    expect(table.map((e) => [e.name, e.deflated])).toEqual([
      ['zeros', true],
      ['noise', false],
    ]);
    expect(table[0]!.storedLength).toBeLessThan(100);
    expect(table.every((e) => e.offset % 8 === 0)).toBe(true);
    const c = readContainer(f, spec);
    expect(c.u8('zeros').every((b) => b === 0)).toBe(true);
    expect([...c.u8('noise')]).toEqual([...noise]);
  });
  it('reads section by section from a ByteSource, never asking for more than one section', () => {
    const big = new Uint32Array(10_000).map((_, i) => i * 7);
    const f = writeContainer('TEST', 1, [
      { name: 'a', bytes: Uint8Array.of(1, 2, 3) },
      { name: 'big', bytes: new Uint8Array(big.buffer) },
    ]);
    const reads: number[] = [];
    const scratch = new Uint8Array(f.length);
    const source: ByteSource = {
      byteLength: f.length,
      read(offset, length, keep) {
        reads.push(length);
        const into = keep ? new Uint8Array(length) : scratch.subarray(0, length);
        into.set(f.subarray(offset, offset + length));
        return into;
      },
    };
    const c = readContainer(source, spec);
    expect([...c.u32('big')]).toEqual([...big]);
    expect([...c.u8('a')]).toEqual([1, 2, 3]);
    const largestSection = Math.max(...describeContainer(f, spec).map((e) => e.storedLength));
    expect(Math.max(...reads)).toBeLessThanOrEqual(Math.max(largestSection, 24 + 2 * 32));
  });
  it('reads a file from disk through ScratchFileReader, and reports a truncated file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'container-'));
    const f = sample();
    writeFileSync(join(dir, 'ok.bin'), f);
    writeFileSync(join(dir, 'short.bin'), f.subarray(0, f.length - 2));
    const files = new ScratchFileReader();
    const c = files.read(join(dir, 'ok.bin'), (src) => readContainer(src, spec));
    expect([...c.u32('nums')]).toEqual([7, 8, 9]);
    expect(codeOf(() => files.read(join(dir, 'short.bin'), (src) => readContainer(src, spec)))).toBe(ImeErrorCode.Truncated);
  });
  it('reads the same sections with an asynchronous inflater', async () => {
    const c = await readContainerAsync(sample(), spec, async (stored) => new Uint8Array(inflateSync(stored)));
    expect([...c.u8('a')]).toEqual([1, 2, 3]);
    expect([...c.u32('nums')]).toEqual([7, 8, 9]);
    const damaged = sample();
    damaged[damaged.length - 3]! ^= 0xff;
    const failed = await readContainerAsync(damaged, spec, async (stored) => new Uint8Array(inflateSync(stored))).catch((e: unknown) => e);
    expect(isImeError(failed)).toBe(true);
  });
  it('leaves the bytes it reads as they were (a Node Buffer too, whose slice() shares memory)', async () => {
    const f = Buffer.from(sample());
    const before = Buffer.from(f);
    readContainer(f, spec);
    await readContainerAsync(f, spec, async (stored) => new Uint8Array(inflateSync(stored)));
    expect(f.equals(before)).toBe(true);
    expect([...readContainer(f, spec).u32('nums')]).toEqual([7, 8, 9]);
  });
  it('names the file in its errors', () => {
    try {
      readContainer(new Uint8Array(3), spec);
      expect.unreachable();
    } catch (e) {
      expect(String(e)).toContain('test.bin');
    }
  });
});

describe('shipped data files', () => {
  const lex = readFileSync(LEXICON_PATH);
  const model = readFileSync(MODEL_PATH);
  it('load', () => {
    expect(Lexicon.fromBytes(lex).size).toBeGreaterThan(100_000);
    expect(NGramModel.fromBytes(model).meta.bigrams).toBeGreaterThan(100_000);
  });
  it.each([
    ['lexicon', () => Lexicon.fromBytes(lex.subarray(0, lex.length >> 1), 'lexicon.bin')],
    ['model', () => NGramModel.fromBytes(model.subarray(0, model.length - 1), 'ngram.bin')],
  ])('truncated %s fails at load with a typed error', (_n, load) => {
    expect(codeOf(load)).toBe(ImeErrorCode.Truncated);
  });
  it.each([
    ['lexicon', () => Lexicon.fromBytes(flip(lex, 1000), 'lexicon.bin')],
    ['model', () => NGramModel.fromBytes(flip(model, 5000), 'ngram.bin')],
  ])('bit-flipped %s fails at load with a typed error', (_n, load) => {
    expect([ImeErrorCode.Corrupt, ImeErrorCode.ChecksumMismatch]).toContain(codeOf(load));
  });
  it('a lexicon is not accepted as a model', () => {
    expect(codeOf(() => NGramModel.fromBytes(lex))).toBe(ImeErrorCode.BadMagic);
  });
});

function flip(bytes: Uint8Array, at: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[at]! ^= 0x40;
  return copy;
}
