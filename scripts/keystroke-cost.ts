/**
 * Keystroke cost of the candidate list over files in the ../shared/eval format
 * (pinyin<TAB>gold<TAB>syllables): the fewest keys that enter each clause — its letters, one
 * key per pick (a digit, or space for the first) and one per page turned to reach a candidate
 * (`=`), choosing the cheapest sequence of picks (Dijkstra over how much input is picked).
 * A clause whose gold text no sequence of picks builds is counted apart (unreachable).
 * `--margin NATS` sets EngineOptions.secondSentenceMargin. `--out FILE` writes each clause's pick keys (-1: unreachable), to compare two lists clause by clause.
 *
 *   npx tsx scripts/keystroke-cost.ts ../shared/eval/dev-chat.tsv [--page-size 5] [--limit N] [--scheme xiaohe] [--out FILE] [--margin NATS]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Session } from '../src/engine/session.ts';
import { isInputScheme, type InputScheme } from '../src/pinyin/input-options.ts';
import { loadNodeEngine } from './lib/node-engine.ts';

const argv = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1]! : fallback;
};
const pageSize = Number(flag('--page-size', '5'));
const limit = Number(flag('--limit', 'Infinity'));
const schemeName = flag('--scheme', 'quanpin');
const scheme: InputScheme = isInputScheme(schemeName) ? schemeName : 'quanpin';
const perClause = flag('--out', '');
const files = argv.filter((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
const rows: string[] = [];
if (files.length === 0) {
  process.stderr.write('usage: npx tsx scripts/keystroke-cost.ts FILE.tsv [FILE.tsv …] [--page-size N] [--limit N]\n');
  process.exit(2);
}

/** Candidates looked at per list (deeper ones would cost more keys than most clauses have). */
const DEPTH = 60;

/** Fewest pick and page keys that build `gold` from `pinyin`, or undefined when none do. */
export function pickCost(session: Session, pinyin: string, gold: string): number | undefined {
  interface Node {
    readonly path: readonly number[];
    readonly done: string;
    readonly cost: number;
  }
  const best = new Map<string, number>();
  const open: Node[] = [{ path: [], done: '', cost: 0 }];
  while (open.length > 0) {
    open.sort((a, b) => a.cost - b.cost);
    const node = open.shift()!;
    session.reset();
    session.type(pinyin);
    for (const i of node.path) session.select(i);
    const key = `${session.remainingInput.length}|${node.done}`;
    if ((best.get(key) ?? Infinity) < node.cost) continue;
    const rest = gold.slice(node.done.length);
    const remaining = session.remainingInput.length;
    const list = session.candidates();
    for (let i = 0; i < Math.min(DEPTH, list.length); i++) {
      const c = list[i]!;
      if (c.kind === 'raw' || !c.text || !rest.startsWith(c.text)) continue;
      const finishes = c.length >= remaining;
      if (finishes && c.text !== rest) continue;
      const cost = node.cost + 1 + Math.floor(i / pageSize);
      if (finishes) {
        // Dijkstra: the cheapest finished path is found when it is taken off the queue, so
        // keep it as a node of its own.
        open.push({ path: [...node.path, i], done: gold, cost });
        continue;
      }
      const next = `${remaining - c.length}|${node.done + c.text}`;
      if ((best.get(next) ?? Infinity) <= cost) continue;
      best.set(next, cost);
      open.push({ path: [...node.path, i], done: node.done + c.text, cost });
    }
    // A finished node comes off the queue with the lowest cost: that is the answer.
    if (node.done === gold && node.path.length > 0) return node.cost;
  }
  return undefined;
}

const margin = flag('--margin', '');
const engine = loadNodeEngine(margin ? { secondSentenceMargin: Number(margin) } : {});
const session = engine.createSession({ scheme });
console.log('file\tclauses\tunreachable\tletters\tpick_keys\tkeys_per_clause\tfirst_pick_share');
for (const file of files) {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('\t')).slice(0, limit);
  let letters = 0;
  let picks = 0;
  let unreachable = 0;
  let reached = 0;
  let oneKey = 0;
  for (const line of lines) {
    const [pinyin = '', gold = ''] = line.split('\t');
    const cost = pickCost(session, pinyin, gold);
    rows.push(`${file.split('/').pop()}\t${pinyin}\t${cost ?? -1}`);
    if (cost === undefined) {
      unreachable++;
      continue;
    }
    reached++;
    letters += pinyin.length;
    picks += cost;
    if (cost === 1) oneKey++;
  }
  session.reset();
  console.log(
    [
      file.split('/').pop(),
      lines.length,
      unreachable,
      letters,
      picks,
      ((letters + picks) / Math.max(1, reached)).toFixed(3),
      (oneKey / Math.max(1, reached)).toFixed(3),
    ].join('\t'),
  );
}
if (perClause) writeFileSync(perClause, `${rows.join('\n')}\n`);
