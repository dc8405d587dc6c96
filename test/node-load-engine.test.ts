/**
 * loadEngine(), the package root's Node entry (issue 14): with no arguments it reads the data
 * shipped in the package, relative to its own module; paths can be given; a missing or
 * damaged file fails with an error that names it.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEngine, PACKAGED_LEXICON_PATH, PACKAGED_MODEL_PATH } from '../src/node/index.ts';
import { ImeErrorCode } from '../src/util/errors.ts';

describe('loadEngine (Node)', () => {
  it('with no arguments: the packaged data, a ready engine', async () => {
    expect(PACKAGED_LEXICON_PATH).toMatch(/dictionaries\/lexicon\.bin$/);
    expect(PACKAGED_MODEL_PATH).toMatch(/models\/ngram\.bin$/);
    const session = (await loadEngine()).createSession();
    session.type('nihao');
    expect(session.candidates()[0]?.text).toBe('你好');
  });

  it('reads the files it is given and passes engine options on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanzi-ime-load-'));
    try {
      copyFileSync(PACKAGED_LEXICON_PATH, join(dir, 'lex.bin'));
      copyFileSync(PACKAGED_MODEL_PATH, join(dir, 'lm.bin'));
      const engine = await loadEngine({ lexiconPath: join(dir, 'lex.bin'), modelPath: new URL(`file://${dir}/lm.bin`), decoder: { beamSize: 4 } });
      expect(engine.options.decoder?.beamSize).toBe(4);
      const session = engine.createSession();
      session.type('woaibeijing');
      expect(session.candidates()[0]?.text).toBe('我爱北京');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing file rejects with ENOENT; a damaged one with the ImeError naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanzi-ime-load-'));
    try {
      await expect(loadEngine({ modelPath: join(dir, 'nope.bin') })).rejects.toMatchObject({ code: 'ENOENT' });
      const damaged = new Uint8Array(readFileSync(PACKAGED_MODEL_PATH));
      damaged[damaged.length >> 1]! ^= 0xff;
      writeFileSync(join(dir, 'lm.bin'), damaged);
      await expect(loadEngine({ modelPath: join(dir, 'lm.bin') })).rejects.toMatchObject({
        code: expect.stringMatching(/^DATA_/),
        message: expect.stringContaining('lm.bin'),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
