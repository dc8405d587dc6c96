import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readContainer, writeContainer } from '../src/util/container.ts';
import { ImeErrorCode, isImeError } from '../src/util/errors.ts';
import { Lexicon } from '../src/lexicon/lexicon.ts';
import { NGramModel } from '../src/lm/ngram-model.ts';
import { LEXICON_PATH, MODEL_PATH } from '../scripts/lib/node-engine.ts';

const spec = { magic: 'TEST', version: 2, fileName: 'test.bin' };
const sample = () =>
  writeContainer('TEST', 1, [
    { name: 'a', bytes: Uint8Array.of(1, 2, 3) },
    { name: 'nums', bytes: new Uint8Array(new Uint32Array([7, 8, 9]).buffer) },
  ]);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (isImeError(e)) return e.code;
    throw e;
  }
  return undefined;
}

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
