import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DetourQueue } from '../src/decoder/detour-queue.ts';

interface State {
  readonly name: string;
}

describe('DetourQueue', () => {
  it('hands rows out cheapest first, equal costs in the order they were added', () => {
    const a = { name: 'a' };
    const b = { name: 'b' };
    const q = new DetourQueue<State>();
    q.add(3, a, null, null);
    q.add(1, b, a, b);
    q.add(3, b, null, null);
    q.add(2, a, b, a);
    const taken: string[] = [];
    for (let row = q.takeCheapest(); row >= 0; row = q.takeCheapest()) {
      taken.push(`${q.cost(row)}:${q.final(row).name}:${q.at(row)?.name ?? '-'}:${q.detour(row)?.name ?? '-'}`);
    }
    expect(taken).toEqual(['1:b:a:b', '2:a:b:a', '3:a:-:-', '3:b:-:-']);
    expect(q.takeCheapest()).toBe(-1);
  });

  it('takes rows in the order of a stable sort by cost, however many, and again after clear()', () => {
    const q = new DetourQueue<State>();
    const s = { name: 's' };
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), (costs) => {
        q.clear();
        costs.forEach((c) => q.add(c / 4, s, null, null));
        expect(q.length).toBe(costs.length);
        const expected = costs.map((c, i) => ({ c, i })).sort((x, y) => x.c - y.c).map((x) => x.i);
        const taken: number[] = [];
        for (let row = q.takeCheapest(); row >= 0; row = q.takeCheapest()) taken.push(row);
        expect(taken).toEqual(expected);
      }),
    );
  });
});
