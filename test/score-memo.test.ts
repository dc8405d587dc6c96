import { describe, expect, it } from 'vitest';
import { ScoreMemo } from '../src/decoder/score-memo.ts';

describe('ScoreMemo', () => {
  it('holds a stored score until cleared', () => {
    const memo = new ScoreMemo(4);
    const slot = memo.slot(1234, 56);
    expect(memo.holds(slot, 1234, 56)).toBe(false);
    memo.store(slot, 1234, 56, 7.25, 999);
    expect(memo.holds(slot, 1234, 56)).toBe(true);
    expect(memo.cost(slot)).toBe(7.25);
    expect(memo.next(slot)).toBe(999);
    memo.clear();
    expect(memo.holds(slot, 1234, 56)).toBe(false);
  });

  it('never answers for another pair, whichever pair last took a shared slot', () => {
    const memo = new ScoreMemo(3);
    const pairs: [number, number][] = [];
    for (let state = -20; state < 20; state++) for (let word = 0; word < 20; word++) pairs.push([state, word]);
    for (const [state, word] of pairs) memo.store(memo.slot(state, word), state, word, state * 100 + word, word);
    let held = 0;
    for (const [state, word] of pairs) {
      const slot = memo.slot(state, word);
      if (!memo.holds(slot, state, word)) continue;
      held++;
      expect(memo.cost(slot)).toBe(state * 100 + word);
    }
    // Eight slots: at most eight pairs answer, and at least one does.
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(8);
  });
});
