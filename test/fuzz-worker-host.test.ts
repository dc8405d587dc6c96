/**
 * The worker host (what the page talks to over comlink) under random requests (issue 7):
 * any values as arguments (a page bug or a hostile frame sends whatever structured clone
 * carries), bursts of requests that supersede each other. Every request must answer (never
 * reject), the newest of a burst with the candidates of the current input, older ones as
 * superseded with no candidates; the composition stays consistent throughout.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompositionState, EngineWorkerApi } from '../src/worker/protocol.ts';
import { createEngineHost, type EngineHost } from '../src/worker/engine-host.ts';
import { readAssets } from '../scripts/lib/node-engine.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 80);

let host: EngineHost;
beforeAll(async () => {
  host = createEngineHost();
  const assets = readAssets();
  await host.init({ lexicon: assets.lexicon, model: assets.model });
});

type Method = Exclude<keyof EngineWorkerApi, 'init'>;
interface Request {
  readonly method: Method;
  readonly arg: unknown;
}

const pinyinish = fc.oneof(
  fc.constantFrom('ni', 'hao', 'zhong', 'guo', "'", 'a', 'x', 'hm', 'NI', 'nǐ', '1', ' ', '\u0000'),
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), maxLength: 30 }),
);
const request: fc.Arbitrary<Request> = fc.oneof(
  { arbitrary: fc.oneof({ arbitrary: pinyinish, weight: 6 }, { arbitrary: fc.anything(), weight: 1 }).map((arg) => ({ method: 'type' as const, arg })), weight: 8 },
  { arbitrary: fc.constant({ method: 'backspace' as const, arg: undefined }), weight: 2 },
  { arbitrary: fc.oneof(fc.integer({ min: -1, max: 12 }), fc.anything()).map((arg) => ({ method: 'select' as const, arg })), weight: 2 },
  { arbitrary: fc.constant({ method: 'commit' as const, arg: undefined }), weight: 1 },
  { arbitrary: fc.constant({ method: 'commitRaw' as const, arg: undefined }), weight: 1 },
  { arbitrary: fc.constant({ method: 'reset' as const, arg: undefined }), weight: 1 },
);

function send(seq: number, r: Request): Promise<CompositionState> {
  const api = host as unknown as Record<Method, (seq: number, arg?: unknown) => Promise<CompositionState>>;
  return r.method === 'type' || r.method === 'select' ? api[r.method](seq, r.arg) : api[r.method](seq);
}

let seq = 0;
const stats = { cases: 0, requests: 0, superseded: 0 };

describe('worker host under random requests', () => {
  it('answers every request; the newest of a burst carries the candidates, the others are superseded', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(request, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 }), async (bursts) => {
        stats.cases++;
        await host.reset(++seq);
        for (const burst of bursts) {
          const first = seq + 1;
          const answers = await Promise.all(burst.map((r) => send(++seq, r)));
          stats.requests += answers.length;
          answers.forEach((a, i) => {
            expect(a.seq).toBe(first + i);
            expect(typeof a.rawInput).toBe('string');
            expect(a.rawInput).toMatch(/^[a-z']*$/);
            if (a.superseded) {
              stats.superseded++;
              expect(a.candidates).toEqual([]);
            }
          });
          const last = answers.at(-1)!;
          expect(last.superseded, 'the newest request is answered in full').toBeUndefined();
          if (last.rawInput.replace(/'/g, '') && !last.committed) {
            expect(last.candidates.length).toBeGreaterThan(0);
            expect(last.candidates[0]!.kind).toBe('sentence');
          }
          for (const c of last.candidates) {
            expect(c.text.length).toBeGreaterThan(0);
            expect(c.length).toBeGreaterThan(0);
            expect(c.length).toBeLessThanOrEqual(last.rawInput.length);
          }
        }
      }),
      { numRuns: RUNS },
    );
    console.log(`fuzz-worker-host: ${stats.cases} generated cases, ${stats.requests} requests (${stats.superseded} superseded)`);
  }, 300_000);

  it('a non-number sequence number is answered, not thrown', async () => {
    for (const bad of [Number.NaN, undefined, 'x', null, {}, Number.POSITIVE_INFINITY]) {
      const api = host as unknown as { type(seq: unknown, keys: string): Promise<CompositionState> };
      const answer = await api.type(bad, 'ni');
      expect(answer.rawInput.endsWith('ni')).toBe(true);
      await host.reset(++seq);
    }
  });
});
