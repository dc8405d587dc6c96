/**
 * One cold start, in a fresh process: read the data files, inflate, index, and decode the
 * first input. Prints JSON {coldMs, heapMB, arrayBuffersMB}. Run by bench/run.ts several times.
 */
import { loadNodeEngine } from '../scripts/lib/node-engine.ts';

const t0 = performance.now();
const engine = loadNodeEngine();
const session = engine.createSession();
session.type('nihao');
session.candidates();
const coldMs = performance.now() - t0;
globalThis.gc?.();
const m = process.memoryUsage();
process.stdout.write(
  JSON.stringify({ coldMs, heapMB: m.heapUsed / 2 ** 20, arrayBuffersMB: m.arrayBuffers / 2 ** 20 }) + '\n',
);
