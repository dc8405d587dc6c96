import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine/engine.ts';
import { loadNodeEngine } from '../scripts/lib/node-engine.ts';

let engine: Engine;
beforeAll(() => {
  engine = loadNodeEngine();
});

function convert(input: string) {
  const s = engine.createSession();
  s.type(input);
  return s.candidates();
}

describe('decoding on the shipped data', () => {
  it.each([
    ['nihao', '你好'],
    ['zhongguo', '中国'],
    ['woaibeijingtiananmen', '我爱北京天安门'],
    ['nih', '你好'],
    ['bjdx', '北京大学'],
    ['zhongg', '中国'],
    ["xi'an", '西安'],
    ['ZhongGuo', '中国'],
  ])('%s -> %s first', (input, expected) => {
    expect(convert(input)[0]!.text).toBe(expected);
  });

  it('offers 中国 among the first sentences for the abbreviation zg', () => {
    expect(convert('zg').slice(0, 5).map((c) => c.text)).toContain('中国');
  });

  it('offers 西安 for xian', () => {
    expect(convert('xian').map((c) => c.text)).toContain('西安');
  });

  it('starts with up to five distinct whole-input sentences, then prefix words', () => {
    const c = convert('nihao');
    const sentences = c.filter((x) => x.kind === 'sentence');
    expect(sentences.length).toBeGreaterThan(1);
    expect(sentences.length).toBeLessThanOrEqual(5);
    expect(c.slice(0, sentences.length).every((x) => x.kind === 'sentence')).toBe(true);
    expect(new Set(c.map((x) => x.text)).size).toBe(c.length);
    expect(c.some((x) => x.kind === 'word' && x.text === '你' && x.length === 2)).toBe(true);
  });

  it('lists longer prefix words before shorter ones', () => {
    const words = convert('zhongguoren').filter((x) => x.kind === 'word');
    for (let i = 1; i < words.length; i++) expect(words[i]!.length).toBeLessThanOrEqual(words[i - 1]!.length);
  });

  it('gives a harmless result for letters that are not pinyin', () => {
    const c = convert('iiii');
    expect(c[0]!.text).toBe('iiii');
  });
});
