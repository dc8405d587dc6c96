import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine/engine.ts';
import { FuzzyRules } from '../src/pinyin/fuzzy.ts';
import { normalizeShuangpinKeys, ShuangpinReader } from '../src/pinyin/shuangpin.ts';
import { SHUANGPIN_SCHEMES, type ShuangpinSchemeName } from '../src/pinyin/shuangpin-tables.ts';
import { SYLLABLES, syllableText } from '../src/pinyin/syllables.ts';
import { readFileSync } from 'node:fs';
import { loadNodeEngine, ROOT } from '../scripts/lib/node-engine.ts';

const KEYS = 'abcdefghijklmnopqrstuvwxyz;';
const INTERJECTIONS = new Set(['m', 'n', 'ng', 'hm', 'hng']);

/** Reads keys pair by pair (the last key alone stays as it is). */
function read(scheme: ShuangpinSchemeName, keys: string): string {
  const r = ShuangpinReader.of(scheme);
  const out: string[] = [];
  for (let i = 0; i + 1 < keys.length; i += 2) {
    out.push(r.readPair(keys[i]!, keys[i + 1]!).map((x) => syllableText(x.id)).join('/') || '?');
  }
  return out.join("'");
}

describe('shuangpin layouts', () => {
  it.each<[ShuangpinSchemeName, string, string]>([
    ['xiaohe', 'vsgo', "zhong'guo"],
    ['xiaohe', 'jqdmfujbmwyz', "jiu'dian'fu'jin'mei'you"],
    ['xiaohe', 'uuruiivi', "shu'ru'chi'zhi"],
    ['xiaohe', 'aaahegeroueiao', "a'ang'eng'er'ou'ei'ao"],
    ['xiaohe', 'lvnvjvxt', "lv'nv'ju'xue"],
    ['microsoft', 'vsgo', "zhong'guo"],
    ['microsoft', 'b;ohoroaoj', "bing'ang'er'a'an"],
    ['microsoft', 'lyxtnv', "lv'xue'nve"],
    ['ziranma', 'vsgoby', "zhong'guo'bing"],
    ['ziranma', 'aaahegoudr', "a'ang'eng'ou'duan"],
    ['sogou', 'b;ojhdly', "bing'an'huang'lv"],
    ['abc', 'asgoejvu', "zhong'guo'chan'shu"],
    ['abc', 'byoaohlm', "bing'a'ang'lve"],
    ['ziguang', 'uhgob;', "zhong'guo'bing"],
    ['ziguang', 'ariuoaos', "chan'shu'a'ang"],
  ])('%s reads %s as %s', (scheme, keys, syllables) => {
    expect(read(scheme, keys)).toBe(syllables);
  });

  it('xiaohe reads every clause of the xiaohe dev set as its gold syllables', () => {
    const lines = readFileSync(`${ROOT}../shared/eval/dev-xiaohe-chat.tsv`, 'utf8').split('\n').filter((l) => l.includes('\t'));
    expect(lines.length).toBeGreaterThan(1000);
    const alias = (s: string) => s.replace(/^([ln])ue$/, '$1ve');
    const wrong = lines.filter((line) => {
      const [keys = '', , syllables = ''] = line.split('\t');
      const gold = syllables.split("'").map(alias);
      const got = read('xiaohe', keys).split("'");
      return keys.length !== 2 * gold.length || gold.some((g, k) => !got[k]!.split('/').includes(g));
    });
    expect(wrong).toEqual([]);
  });

  it.each(SHUANGPIN_SCHEMES)('%s types every syllable with two keys', (scheme) => {
    const r = ShuangpinReader.of(scheme);
    const typable = new Set<number>();
    for (const a of KEYS) for (const b of KEYS) for (const x of r.readPair(a, b)) typable.add(x.id);
    const missing = SYLLABLES.filter((s, id) => !INTERJECTIONS.has(s) && !typable.has(id));
    expect(missing).toEqual([]);
  });

  it.each(SHUANGPIN_SCHEMES)('%s gives each key pair at most one syllable, but for lo/luo', (scheme) => {
    const r = ShuangpinReader.of(scheme);
    for (const a of KEYS) {
      for (const b of KEYS) {
        const n = r.readPair(a, b).length;
        expect(n, `${a}${b}`).toBeLessThanOrEqual(a + b === 'lo' ? 2 : 1);
      }
    }
  });

  it('applies fuzzy pairs to the syllable the keys spell, at a cost', () => {
    const r = ShuangpinReader.of('xiaohe', new FuzzyRules(['z-zh'], 1));
    const readings = r.readPair('z', 'i').map((x) => [syllableText(x.id), x.cost]);
    expect(readings).toEqual([['zi', 0], ['zhi', 1]]);
  });

  it('keeps ; and the apostrophe, drops other characters', () => {
    expect(normalizeShuangpinKeys("B;U I'ru1")).toBe("b;ui'ru");
  });
});

describe('shuangpin in a session', () => {
  let engine: Engine;
  beforeAll(() => {
    engine = loadNodeEngine();
  });

  it('decodes xiaohe keys and shows full pinyin in the preedit', () => {
    const s = engine.createSession({ scheme: 'xiaohe' });
    s.type('uuru');
    expect(s.candidates()[0]?.text).toBe('输入');
    expect(s.preedit()).toBe("shu'ru");
  });

  it('reads a lone last key as the initial of the next syllable', () => {
    const s = engine.createSession({ scheme: 'xiaohe' });
    s.type('uurufa');
    s.type('u');
    expect(s.preedit()).toBe("shu'ru'fa'sh");
    const first = s.candidates()[0]!;
    expect(first.length).toBe(7);
    expect(first.reading.endsWith("'sh")).toBe(true);
  });

  it('takes ; as the ing key on microsoft', () => {
    const s = engine.createSession({ scheme: 'microsoft' });
    expect(s.type('b;ui')).toBe(4);
    expect(s.preedit()).toBe("bing'shi");
  });

  it('typing key by key gives the same candidates as typing at once', () => {
    const a = engine.createSession({ scheme: 'ziranma' });
    const b = engine.createSession({ scheme: 'ziranma' });
    const keys = 'vsgorfmbdehfdeiifj';
    for (const k of keys) {
      a.type(k);
      a.candidates();
    }
    b.type(keys);
    expect(a.candidates().map((c) => c.text)).toEqual(b.candidates().map((c) => c.text));
  });

  it.each(SHUANGPIN_SCHEMES)('%s never crashes and always converts the whole input', (scheme) => {
    const s = engine.createSession({ scheme });
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...KEYS, "'"), maxLength: 16 }), (keys) => {
        s.reset();
        s.type(keys);
        const rest = s.remainingInput;
        const first = s.candidates()[0];
        if (rest.length === 0) return first === undefined;
        return first !== undefined && first.kind === 'sentence' && first.length === rest.length;
      }),
      { numRuns: 60, seed: 8 },
    );
  });
});
