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
import { loadEngine } from '../src/node/index.ts';
import { LEXICON_PATH, MODEL_PATH } from './lib/node-engine.ts';
import { parseBatchArgs, setupBatchEngine } from './lib/batch-options.ts';
import { convertLine } from './lib/batch-line.ts';

const args = parseBatchArgs(process.argv.slice(2));
// The package's Node entry (what `import { loadEngine } from 'hanzi-ime'` gives), on the
// packaged data unless LEXICON / MODEL name other files.
const engine = await loadEngine({ lexiconPath: LEXICON_PATH, modelPath: MODEL_PATH });
const session = await setupBatchEngine(engine, args);
warmUp();
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
const out: string[] = [];
for await (const line of rl) {
  out.push(await convertLine(session, line, args.incremental));
  if (out.length >= 256) process.stdout.write(out.splice(0).join('\n') + '\n');
}
if (out.length) process.stdout.write(out.join('\n') + '\n');

/**
 * Types a few phrases key by key in a throw-away session (nothing committed, nothing learned),
 * so the first input lines are not timed while the JavaScript engine is still compiling the
 * decoder, as a keyboard is warm by the time a person types.
 */
function warmUp(): void {
  const warm = engine.createSession();
  const phrases = ['woaibeijingtiananmen', 'jintiantianqizhenhaowomenquguangjie', 'zhongguorenmin', 'bjdx', "xi'an"];
  for (let round = 0; round < 8; round++) {
    for (const phrase of phrases) {
      for (const ch of phrase) {
        warm.type(ch);
        warm.candidates();
      }
      warm.reset();
      warm.type(phrase);
      warm.candidates();
      warm.reset();
    }
  }
}
