/**
 * Regressions found by the session fuzzing (test/fuzz-session.test.ts), kept as plain cases.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine/engine.ts';
import { loadNodeEngine } from '../scripts/lib/node-engine.ts';

let engine: Engine;
beforeAll(() => {
  engine = loadNodeEngine();
});

describe('input the lexicon has no word for', () => {
  // hm and hng are syllables of the table with no word in the lexicon: the lattice had no
  // path through them, so there was no sentence and space committed nothing (letters lost).
  it.each([
    ['hm', 'hm'],
    ['hng', 'hng'],
    ['hmhng', 'hmhng'],
    ["hm'a", 'hm'],
    ['nihm', 'hm'],
    ['a'.repeat(36) + 'hm' + 'a'.repeat(23), 'hm'],
  ])('%s still converts as a whole, passing the letters through', (input, kept) => {
    const s = engine.createSession();
    s.type(input);
    const [best] = s.candidates();
    expect(best?.kind).toBe('sentence');
    expect(best?.length).toBe(input.length);
    expect(best?.text).toContain(kept);
    expect(s.commit()).toBe(best?.text);
  });
});

describe('un-picking', () => {
  it('gives back the letters of a piece that ended at a separator', () => {
    const s = engine.createSession();
    s.type("ni'hao");
    s.select(s.candidates().findIndex((c) => c.text === '你' && c.length === 2));
    expect(s.remainingInput).toBe('hao');
    for (let i = 0; i < 2; i++) s.backspace();
    expect(s.remainingInput).toBe('h');
    s.backspace(); // the last letter after the piece: the piece goes back to letters
    expect(s.pickedText).toBe('');
    expect(s.remainingInput).toBe("ni'");
    expect(s.candidates()[0]!.length).toBe(3);
    expect(s.commit()).toBe('你');
  });

  it('un-picks several pieces back to the typed input', () => {
    const s = engine.createSession();
    s.type("wo'ai'bei'jing");
    for (const word of ['我', '爱']) s.select(s.candidates().findIndex((c) => c.text === word));
    expect(s.remainingInput).toBe("bei'jing");
    for (let i = 0; i < 7; i++) s.backspace();
    expect([s.pickedText, s.remainingInput]).toEqual(['我爱', 'b']);
    s.backspace();
    expect([s.pickedText, s.remainingInput]).toEqual(['我', "ai'"]);
    for (let i = 0; i < 2; i++) s.backspace();
    expect([s.pickedText, s.remainingInput]).toEqual(['我', 'a']);
    s.backspace();
    expect([s.pickedText, s.remainingInput, s.rawInput]).toEqual(['', "wo'", "wo'"]);
    expect(s.commit()).toBe('我');
  });
});
