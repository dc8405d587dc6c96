import { describe, expect, it } from 'vitest';
import { PunctuationMapper, isPunctuationKey } from '../src/keyboard/punctuation.ts';

describe('PunctuationMapper', () => {
  it.each([
    [',', '，'],
    ['.', '。'],
    ['?', '？'],
    ['!', '！'],
    [':', '：'],
    [';', '；'],
    ['\\', '、'],
    ['<', '《'],
    ['>', '》'],
    ['^', '……'],
    ['_', '——'],
    ['(', '（'],
    [')', '）'],
  ])('%s becomes %s', (key, full) => {
    expect(new PunctuationMapper().map(key, '好')).toBe(full);
  });

  it('alternates opening and closing quotes, double and single apart', () => {
    const m = new PunctuationMapper();
    expect([m.map('"'), m.map("'"), m.map("'"), m.map('"'), m.map('"')]).toEqual(['“', '‘', '’', '”', '“']);
    m.reset();
    expect(m.map('"')).toBe('“');
  });

  it('keeps . , : half-width after a digit (3.14, 1,000, 10:30)', () => {
    const m = new PunctuationMapper();
    expect(m.map('.', '3')).toBe('.');
    expect(m.map(',', '1')).toBe(',');
    expect(m.map(':', '0')).toBe(':');
    expect(m.map('.', '')).toBe('。');
    expect(m.map('?', '3')).toBe('？');
  });

  it('leaves other keys alone', () => {
    const m = new PunctuationMapper();
    expect(m.map('a')).toBeUndefined();
    expect(m.map('/')).toBeUndefined();
    expect(isPunctuationKey('a')).toBe(false);
    expect(isPunctuationKey(',')).toBe(true);
    expect(isPunctuationKey('"')).toBe(true);
  });
});
