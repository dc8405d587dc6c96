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

  it('keeps up to five distinct whole-input sentences as the n-best', () => {
    const s = engine.createSession();
    s.type('nihao');
    const sentences = s.sentenceCandidates();
    expect(sentences.length).toBeGreaterThan(1);
    expect(sentences.length).toBeLessThanOrEqual(5);
    expect(sentences.every((x) => x.kind === 'sentence' && x.length === 5)).toBe(true);
    expect(new Set(sentences.map((x) => x.text)).size).toBe(sentences.length);
    expect(s.candidates()[0]).toEqual(sentences[0]);
  });

  it.each([
    // The other sentences differ from the best in one character only: the words come next.
    ['woxiangchifan', ['我想吃饭', '我想', '我相']],
    ['nihao', ['你好', '你', '尼']],
    // One syllable: the sentences are words, in the decoder's order (by use).
    ['shi', ['是', '时', '使', '事']],
    // A close second reading that differs in more than one character is shown second.
    ['bjdx', ['北京大学', '编辑短信']],
  ])('lists the best sentence, then a close one differing in more than one character, then words: %s', (input, head) => {
    const c = convert(input);
    expect(c.slice(0, head.length).map((x) => x.text)).toEqual(head);
    expect(new Set(c.map((x) => x.text)).size).toBe(c.length);
    // After the first one or two, sentences come only where they are whole-input words.
    expect(c.slice(2).every((x) => x.kind !== 'sentence' || !x.reading.includes("'"))).toBe(true);
  });

  it('lists a word covering the start after the best sentence', () => {
    const c = convert('nihao');
    expect(c.some((x) => x.kind === 'word' && x.text === '你' && x.length === 2)).toBe(true);
  });

  it('lists longer prefix words before shorter ones', () => {
    const words = convert('zhongguoren').filter((x) => x.kind === 'word');
    for (let i = 1; i < words.length; i++) expect(words[i]!.length).toBeLessThanOrEqual(words[i - 1]!.length);
  });

  it.each([
    ['ni', '你'],
    ['shi', '是'],
    ['hao', '好'],
    ['zhe', '这'],
    ['qu', '去'],
    ['yi', '一'],
  ])('one syllable typed at a sentence start lists its most used character first: %s -> %s', (input, expected) => {
    expect(convert(input)[0]!.text).toBe(expected);
  });

  it('ranks one syllable by its context once a piece before it is picked', () => {
    const plain = convert('nao')[0]!.text;
    const s = engine.createSession();
    s.type('diannao');
    s.select(s.candidates().findIndex((c) => c.kind === 'word' && c.text === '电'));
    expect(s.candidates()[0]!.text, 'after 电 the pair 电脑 counts').toBe('脑');
    expect(plain, 'at a sentence start nao is ranked by use alone').not.toBe('脑');
  });

  it('reads a whole last syllable as itself before reading it as the start of a longer one', () => {
    // de is a syllable; deng, dei start with it. Its own characters come first.
    const top = convert('de').slice(0, 4).map((c) => c.text);
    expect(top).toContain('的');
    expect(top).not.toContain('等');
    const loose = engine.createSession({ extendedSyllablePenalty: 0 });
    loose.type('de');
    expect(loose.candidates().slice(0, 4).map((c) => c.text), 'without the penalty 等 (deng) gets in').toContain('等');
  });

  it('gives a harmless result for letters that are not pinyin', () => {
    const c = convert('iiii');
    expect(c[0]!.text).toBe('iiii');
  });
});
