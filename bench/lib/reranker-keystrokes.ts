import type { Engine } from '../../src/engine/engine.ts';
import type { Reranker } from '../../src/model/reranker.ts';
import { summarize, type Summary } from './stats.ts';

/** What the reranking model adds to each key. */
export interface RerankerKeystrokes {
  /** Per key: the n-gram's candidates (type + candidates), ms. */
  readonly plain: Summary;
  /** Per key: what reranking adds on top (the K sentences + the model + the new order), ms. */
  readonly added: Summary;
  /** Keys whose candidates were reranked (whole-input sentences ≥ 2). */
  readonly keys: number;
}

/**
 * Types each clause key by key as the worker does with a model: the n-gram's candidates, then
 * Session.rankedCandidates with `reranker`, timing the two parts of every key apart.
 */
export async function rerankerKeystrokes(engine: Engine, reranker: Reranker, lines: readonly string[]): Promise<RerankerKeystrokes> {
  const session = engine.createSession();
  const plain: number[] = [];
  const added: number[] = [];
  const run = async (record: boolean) => {
    for (const line of lines) {
      session.reset();
      for (const ch of line) {
        const t0 = performance.now();
        session.type(ch);
        session.candidates();
        const t1 = performance.now();
        await session.rankedCandidates(reranker);
        const t2 = performance.now();
        if (record) {
          plain.push(t1 - t0);
          added.push(t2 - t1);
        }
      }
    }
    session.reset();
  };
  await run(false); // warm-up: the runtime's first runs, the JIT
  await run(true);
  return { plain: summarize(plain), added: summarize(added), keys: added.length };
}
