/**
 * One cold start, in a fresh process: read the data files, inflate, index, and decode the
 * first input. Prints JSON {coldMs, cpuMs, heapMB, arrayBuffersMB}; cpuMs is the process CPU
 * time (all threads, user + system) over the same span, less sensitive than wall time to other
 * load on the machine. Run by bench/run.ts several times.
 */
import { loadNodeEngine } from '../scripts/lib/node-engine.ts';

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const engine = loadNodeEngine();
const session = engine.createSession();
session.type('nihao');
session.candidates();
const coldMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
globalThis.gc?.();
const m = process.memoryUsage();
process.stdout.write(
  JSON.stringify({ coldMs, cpuMs, heapMB: m.heapUsed / 2 ** 20, arrayBuffersMB: m.arrayBuffers / 2 ** 20 }) + '\n',
);
