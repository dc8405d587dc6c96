import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine/engine.ts';
import { loadTraditionalConverter, type TraditionalVariant } from '../src/engine/traditional.ts';
import { isImeError } from '../src/util/errors.ts';
import { loadNodeEngine, ROOT } from '../scripts/lib/node-engine.ts';

const LOAD_TIMEOUT = 60_000;

describe('traditional converter', () => {
  it(
    'converts phrases with OpenCC, once loaded',
    async () => {
      const convert = await loadTraditionalConverter('t');
      expect(convert('头发')).toBe('頭髮');
      expect(convert('发展中国家')).toBe('發展中國家');
      expect(convert('abc，123')).toBe('abc，123');
      expect(await loadTraditionalConverter('t')).toBe(convert);
    },
    LOAD_TIMEOUT,
  );

  it(
    'has regional variants',
    async () => {
      const tw = await loadTraditionalConverter('twp');
      expect(tw('软件')).toBe('軟體');
    },
    LOAD_TIMEOUT,
  );

  it('rejects an unknown variant with a clear error', async () => {
    const err = await loadTraditionalConverter('xx' as TraditionalVariant).catch((e: unknown) => e);
    expect(isImeError(err, 'INVALID_ARGUMENT')).toBe(true);
  });

  it('is imported only lazily, by one file', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (e.name.endsWith('.ts')) files.push(join(dir, e.name));
      }
    };
    walk(join(ROOT, 'src'));
    const users = files.filter((f) => readFileSync(f, 'utf8').includes('opencc-js'));
    expect(users.map((f) => f.slice(ROOT.length))).toEqual(['src/engine/traditional.ts']);
    const text = readFileSync(users[0]!, 'utf8');
    expect(text).not.toMatch(/^import[^;]*from ['"]opencc-js/m);
    expect(text).toMatch(/import\(['"]opencc-js\/cn2t['"]\)/);
  });
});

describe('traditional output in a session', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = loadNodeEngine();
    await loadTraditionalConverter('t');
  }, LOAD_TIMEOUT);

  it('converts candidates and commits while on, and stops when switched off', async () => {
    const s = engine.createSession();
    s.type('toufa');
    expect(s.candidates()[0]?.text).toBe('头发');
    await engine.setTraditional('t');
    expect(s.candidates()[0]?.text).toBe('頭髮');
    expect(s.candidates()[0]?.words.map((w) => w.text).join('')).toBe('头发');
    expect(s.commit()).toBe('頭髮');
    expect(s.predictions().every((p) => !/[发这们]/u.test(p.text))).toBe(true);
    await engine.setTraditional(false);
    s.type('fazhan');
    expect(s.candidates()[0]?.text).toBe('发展');
  });
});
