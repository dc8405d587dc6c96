/**
 * User history benchmark: time to learn one commit, store writes while typing, decode cost of
 * the user model, and the accuracy effect of learning dev-chat (retyped dev-chat, and dev-news
 * for harm). Writes bench/results/user-history.json.
 *
 *   npx tsx bench/user-history.ts
 */
import 'fake-indexeddb/auto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createEngine } from '../src/engine/engine.ts';
import type { CommitRecord } from '../src/engine/candidate.ts';
import type { Session } from '../src/engine/session.ts';
import { loadEngineData } from '../src/engine/load.ts';
import { readAssets, ROOT } from '../scripts/lib/node-engine.ts';
import { learnFromFile } from '../scripts/lib/learn-from.ts';
import { attachHistory } from '../src/user/attach-history.ts';
import { HistoryStore } from '../src/user/store.ts';
import { UserLearning } from '../src/user/user-learning.ts';
import { summarize } from './lib/stats.ts';

const EVAL = `${ROOT}../shared/eval`;
const log = (m: string) => process.stderr.write(`[bench:user] ${m}\n`);
const data = loadEngineData(readAssets());

function lines(file: string): string[][] {
  return readFileSync(`${EVAL}/${file}`, 'utf8')
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => l.split('\t'));
}

function top1(session: Session, file: string): number {
  let ok = 0;
  const all = lines(file);
  for (const [pinyin, gold] of all) {
    session.reset();
    session.type(pinyin!);
    if (session.candidates()[0]?.text === gold) ok++;
  }
  session.reset();
  return Math.round((1000 * ok) / all.length) / 10;
}

function decodeMs(session: Session, file: string): number {
  const all = lines(file);
  const t0 = performance.now();
  for (const [pinyin] of all) {
    session.reset();
    session.type(pinyin!);
    session.candidates();
  }
  session.reset();
  return (performance.now() - t0) / all.length;
}

// 1. Accuracy: learn dev-chat through the keyboard path, retype dev-chat and dev-news.
log('learning dev-chat through sessions');
const plain = createEngine(data).createSession();
const learning = new UserLearning(data.lexicon);
const engine = createEngine(data, { ...learning.engineOptions });
attachHistory(engine, learning);
const records: CommitRecord[] = [];
engine.onCommit((r) => records.push(r));
const learnedHow = learnFromFile(engine.createSession(), learning.learner, `${EVAL}/dev-chat.tsv`);
const session = engine.createSession();
const accuracy = {
  learned: learnedHow,
  baseline: { devChat: top1(plain, 'dev-chat.tsv'), devNews: top1(plain, 'dev-news.tsv') },
  afterLearningDevChat: { devChat: top1(session, 'dev-chat.tsv'), devNews: top1(session, 'dev-news.tsv') },
};
log(JSON.stringify(accuracy));

// 2. Decode cost of the user model (median of 3 passes over dev-news).
const passes = (s: Session) => [0, 1, 2].map(() => decodeMs(s, 'dev-news.tsv')).sort((a, b) => a - b)[1]!;
const decode = { plainMsPerClause: passes(plain), withHistoryMsPerClause: passes(session) };
log(JSON.stringify(decode));

// 3. Time to learn one commit (the commits of dev-chat replayed into fresh histories).
function learnTimes(maxUnits?: number, maxPairs?: number): number[] {
  const l = new UserLearning(data.lexicon, { history: { maxUnits, maxPairs } });
  createEngine(data, { ...l.engineOptions });
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const r of records) {
      const t0 = performance.now();
      l.learner.learn(r);
      times.push(performance.now() - t0);
    }
  }
  return times;
}
learnTimes(); // warm up
const learn = {
  commits: records.length * 3,
  ms: summarize(learnTimes()),
  // Small limits force the amortised pruning to run every few hundred commits.
  msWithPruning: summarize(learnTimes(1000, 2000)),
};
log(JSON.stringify(learn));

// 4. Store writes while typing: a commit every 50 ms for 5 s.
const store = await HistoryStore.open(learning.history, { name: 'bench-user-history' });
const before = store.writeCount;
const t0 = Date.now();
let commits = 0;
const typing = lines('dev-chat.tsv');
while (Date.now() - t0 < 5000) {
  const [, gold, syl] = typing[commits % typing.length]!;
  learning.learner.learnText(gold!, syl!.split("'"));
  commits++;
  await new Promise((r) => setTimeout(r, 50));
}
const seconds = (Date.now() - t0) / 1000;
const flushStart = performance.now();
await store.flush();
const writes = { seconds, commits, writes: store.writeCount - before, lastFlushMs: performance.now() - flushStart };
await store.close();
log(JSON.stringify(writes));

const result = { date: new Date().toISOString(), accuracy, decode, learn, writes };
mkdirSync(`${ROOT}bench/results`, { recursive: true });
writeFileSync(`${ROOT}bench/results/user-history.json`, JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
