import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine/engine.ts';
import type { Session } from '../src/engine/session.ts';
import { loadNodeEngine } from '../scripts/lib/node-engine.ts';

let engine: Engine;
beforeAll(() => {
  engine = loadNodeEngine();
});

/** Candidates of a fresh session given `input` at once. */
function fresh(input: string, options = {}) {
  const s = engine.createSession(options);
  s.type(input);
  return s.candidates();
}

// What a person types: syllables, initials, an apostrophe now and then, a slip, a backspace (-).
const key = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('zhong', 'guo', 'ren', 'min', 'xi', 'an', 'jin', 'tian', 'hao', 'de', 'shi', 'bei', 'jing', 'chuang') },
  { weight: 2, arbitrary: fc.constantFrom('b', 'j', 'd', 'x', 'zh', 'q', "'", 'v', 'i') },
  { weight: 2, arbitrary: fc.constant('-') },
);

/** Types `steps` one key at a time (a syllable is its letters typed one by one) and checks every list against a fresh session's. */
function typeAndCompare(session: Session, steps: readonly string[], options = {}): void {
  session.reset();
  let input = '';
  for (const step of steps) {
    const letters = step === '-' ? [''] : [...step];
    for (const letter of letters) {
      if (letter === '') {
        session.backspace();
        input = input.slice(0, -1);
      } else if (session.type(letter) > 0) input += letter;
      expect(session.rawInput).toBe(input);
      if (input) expect(session.candidates()).toEqual(fresh(input, options));
    }
  }
}

describe('incremental decoding gives what decoding from scratch gives', () => {
  it('after every key and backspace (full pinyin)', () => {
    const session = engine.createSession();
    fc.assert(
      fc.property(fc.array(key, { minLength: 1, maxLength: 14 }), (steps) => typeAndCompare(session, steps)),
      { numRuns: 25 },
    );
  });

  it('after every key and backspace (fuzzy pinyin)', () => {
    const options = { fuzzy: ['z-zh', 'in-ing', 'an-ang'] as const };
    const session = engine.createSession({ fuzzy: [...options.fuzzy] });
    fc.assert(
      fc.property(fc.array(key, { minLength: 1, maxLength: 10 }), (steps) => typeAndCompare(session, steps, { fuzzy: [...options.fuzzy] })),
      { numRuns: 10 },
    );
  });

  it('after a word was picked and typing went on', () => {
    const session = engine.createSession();
    session.type('zhongguorenmin');
    const word = session.candidates().findIndex((c) => c.kind === 'word' && c.length < 14);
    expect(word).toBeGreaterThanOrEqual(0);
    session.select(word);
    let typed = '';
    for (const letter of 'gjiefang') {
      session.type(letter);
      typed += letter;
      const expected = engine.createSession();
      expected.type('zhongguorenmin');
      expected.select(word);
      expected.type(typed);
      expect(session.remainingInput).toBe(expected.remainingInput);
      expect(session.candidates()).toEqual(expected.candidates());
    }
  });
});

describe('prefix arcs across keys', () => {
  it('hands back the same arc objects for words ending before the letters that changed', () => {
    const session = engine.createSession();
    session.type('zhongguoren');
    const before = session.candidates().filter((c) => c.kind === 'word');
    session.type('m');
    const after = session.candidates().filter((c) => c.kind === 'word');
    // 中国 (zhong'guo) ends at 8, before the change: the very same candidate object is shown.
    const zhongguo = before.find((c) => c.text === '中国' && c.length === 8)!;
    expect(zhongguo).toBeDefined();
    expect(after).toContain(zhongguo);
    // Words over the changed letters are new (ren -> ren'm...).
    expect(after.some((c) => !before.includes(c))).toBe(true);
  });
});
