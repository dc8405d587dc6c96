import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKenlmTrie } from '../scripts/lib/kenlm-trie.ts';

const DIR = new URL('./fixtures/kenlm/', import.meta.url);
const LN10 = Math.LN10;

/** The ARPA text as maps from space-joined words to log10 values. */
function readArpa(text: string) {
  const uni = new Map<string, [number, number]>();
  const bi = new Map<string, [number, number]>();
  const tri = new Map<string, number>();
  let order = 0;
  for (const line of text.split('\n')) {
    const section = /^\\(\d)-grams:/.exec(line);
    if (section) order = Number(section[1]);
    const f = line.split('\t');
    if (f.length < 2) continue;
    if (order === 1) uni.set(f[1]!, [Number(f[0]), Number(f[2])]);
    if (order === 2) bi.set(f[1]!, [Number(f[0]), Number(f[2])]);
    if (order === 3) tri.set(f[1]!, Number(f[0]));
  }
  return { uni, bi, tri };
}

describe('readKenlmTrie', () => {
  const arpa = readArpa(readFileSync(new URL('small.arpa', DIR), 'utf8'));
  const lm = readKenlmTrie(new URL('small.lm', DIR).pathname);

  // Ids come from MurmurHash64A of each word: a wrong hash leaves words unplaced and throws.
  it('reads every word and its unquantized unigram values', () => {
    expect(new Set(lm.words)).toEqual(new Set(arpa.uni.keys()));
    lm.words.forEach((w, i) => {
      const [p, b] = arpa.uni.get(w)!;
      expect(-lm.uniCost[i]! / LN10).toBeCloseTo(p, 4);
      expect(-lm.uniBow[i]! / LN10).toBeCloseTo(b, 4);
    });
  });

  it('reads every bigram and trigram in left-to-right order, within the 8-bit quantisation', () => {
    const bi = new Map(lm.bi.map(([v, w, c, b]) => [`${lm.words[v!]} ${lm.words[w!]}`, [c!, b!]]));
    for (const [key, [p, b]] of arpa.bi) {
      const got = bi.get(key);
      expect(got, key).toBeDefined();
      expect(Math.abs(-got![0]! / LN10 - p)).toBeLessThan(0.05);
      expect(Math.abs(-got![1]! / LN10 - b)).toBeLessThan(0.05);
    }
    const tri = new Map(lm.tri.map(([u, v, w, c]) => [`${lm.words[u!]} ${lm.words[v!]} ${lm.words[w!]}`, c!]));
    expect(tri.size).toBe(arpa.tri.size);
    for (const [key, p] of arpa.tri) expect(Math.abs(-tri.get(key)! / LN10 - p), key).toBeLessThan(0.05);
  });

  it('rejects files that are not a KenLM trie, or cut short', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kenlm-'));
    const bytes = readFileSync(new URL('small.lm', DIR));
    writeFileSync(join(dir, 'cut.lm'), bytes.subarray(0, bytes.length - 40));
    writeFileSync(join(dir, 'text.lm'), 'not a model');
    expect(() => readKenlmTrie(join(dir, 'cut.lm'))).toThrow(/words at the end|layout/);
    expect(() => readKenlmTrie(join(dir, 'text.lm'))).toThrow(/not a KenLM/);
  });
});
