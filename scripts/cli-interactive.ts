/**
 * Interactive terminal session: type pinyin, watch candidates update, pick with digits or
 * space, Backspace edits, Enter commits the letters, Esc clears, Ctrl-C quits.
 *
 *   npm start
 */
import { emitKeypressEvents } from 'node:readline';
import { loadEngine } from '../src/node/index.ts';
import { LEXICON_PATH, MODEL_PATH } from './lib/node-engine.ts';

const PAGE = 9;
// The package's Node entry (what `import { loadEngine } from 'hanzi-ime'` gives).
const engine = await loadEngine({ lexiconPath: LEXICON_PATH, modelPath: MODEL_PATH });
const session = engine.createSession();
let committed = '';
let page = 0;

function render(): void {
  const cands = session.candidates();
  const start = page * PAGE;
  const shown = cands
    .slice(start, start + PAGE)
    .map((c, i) => `${i + 1}.${c.text}`)
    .join('  ');
  process.stdout.write('\x1b[2K\r');
  process.stdout.write(`\x1b[1m${committed}\x1b[0m\x1b[4m${session.preedit()}\x1b[0m\n\x1b[2K\r${shown}\x1b[1A\r`);
}

if (!process.stdin.isTTY) {
  process.stderr.write('npm start needs a terminal; for piped input use: npm run --silent batch\n');
  process.exit(2);
}
process.stdout.write('Type pinyin. Digits or space pick, - and = page, Enter keeps the letters, Esc clears, Ctrl-C quits.\n\n');
emitKeypressEvents(process.stdin);
process.stdin.setRawMode(true);
process.stdin.on('keypress', (str: string | undefined, key: { name?: string; ctrl?: boolean }) => {
  if (key.ctrl && key.name === 'c') {
    process.stdout.write('\n\n');
    process.exit(0);
  }
  if (key.name === 'backspace') {
    if (!session.backspace()) committed = committed.slice(0, -1);
    page = 0;
  } else if (key.name === 'escape') session.reset();
  else if (key.name === 'return') committed += session.composing ? session.commitRaw() : '\n';
  else if (str === '-' && session.composing) page = Math.max(0, page - 1);
  else if (str === '=' && session.composing) page++;
  else if (str && /^[1-9]$/.test(str) && session.composing) {
    committed += session.select(page * PAGE + Number(str) - 1) ?? '';
    page = 0;
  } else if (str === ' ' && session.composing) {
    committed += session.select(page * PAGE) ?? '';
    page = 0;
  } else if (str && /^[a-zA-Z']$/.test(str)) {
    session.type(str);
    page = 0;
  } else if (str) committed += str;
  render();
});
render();
