/**
 * Batch conversion, the interface other engines are compared through.
 *
 *   npm run --silent batch [-- --incremental]  < lines-of-pinyin
 *
 * Per input line exactly one output line: TOP1\tC2\tC3\tC4\tC5\tMICROS (the whole-input
 * candidates, empty fields when fewer, and the microseconds from reset to candidates).
 * With --incremental the line is typed one key at a time, reading candidates after each key,
 * and the line ends \tMEAN_US\tMAX_US (per-keystroke mean and max) instead.
 */
import { createInterface } from 'node:readline';
import { loadNodeEngine } from './lib/node-engine.ts';
import { parseBatchArgs, setupBatchEngine } from './lib/batch-options.ts';
import { convertLine } from './lib/batch-line.ts';

const args = parseBatchArgs(process.argv.slice(2));
const engine = loadNodeEngine();
const session = await setupBatchEngine(engine, args);
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
const out: string[] = [];
for await (const line of rl) {
  out.push(await convertLine(session, line, args.incremental));
  if (out.length >= 256) process.stdout.write(out.splice(0).join('\n') + '\n');
}
if (out.length) process.stdout.write(out.join('\n') + '\n');
