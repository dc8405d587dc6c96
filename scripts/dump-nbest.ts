/**
 * Writes the engine's own n-best lists over corpus text, the training data of the reranker
 * (scripts/train_reranker.py). Jackknife: run it with MODEL / LEXICON pointing at data built
 * with `npm run build:data -- --fold K/N`, and `--fold K/N` here, so each clause is decoded by
 * a language model that never counted the line it comes from.
 *
 *   MODEL=… LEXICON=… npx tsx scripts/dump-nbest.ts --fold K/N --out FILE.jsonl
 *     [--k 12] [--per-file 20000] [--seed 1]
 *
 * Every clause (run of 2–24 Han characters) of the fold's lines, in a seeded random sample of
 * at most `--per-file` per corpus file, is typed as pinyin-pro reads it (toneless, ü as v,
 * as the dev sets were made); clauses equal to a dev-set clause are skipped. One JSON line per
 * clause: `{"g": gold, "s": source file, "c": [[text, decoder cost], …]}` (best first).
 */
import { closeSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { pinyin } from 'pinyin-pro';
import { recordingReranker } from '../src/model/reranker.ts';
import { lineCounted } from './lib/corpus-ngrams.ts';
import { mulberry32 } from './lib/random.ts';
import { loadNodeEngine, ROOT } from './lib/node-engine.ts';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1]! : fallback;
};
const [heldOut, folds] = opt('--fold', '0/2').split('/').map(Number) as [number, number];
const K = Number(opt('--k', '12'));
const PER_FILE = Number(opt('--per-file', '20000'));
const OUT = opt('--out', '');
if (!OUT) throw new Error('--out FILE is required');
const CORPUS = `${ROOT}../shared/corpus`;
const EVAL = `${ROOT}../shared/eval`;
const HAN_RUN = /\p{Script=Han}+/gu;

const devClauses = new Set<string>();
for (const f of readdirSync(EVAL)) {
  for (const line of readFileSync(`${EVAL}/${f}`, 'utf8').split('\n')) devClauses.add(line.split('\t')[1] ?? '');
}

const engine = loadNodeEngine();
const session = engine.createSession();
const capture = recordingReranker(K);
// Written synchronously: the decoding loop never yields to the event loop, so a stream would
// hold every line in memory until the end.
const out = openSync(OUT, 'w');
const rand = mulberry32(Number(opt('--seed', '1')) * 1000 + heldOut);
let total = 0;
let goldIn = 0;
let goldFirst = 0;
for (const file of readdirSync(CORPUS).filter((f) => f.endsWith('.txt')).sort()) {
  const clauses: string[] = [];
  readFileSync(`${CORPUS}/${file}`, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (lineCounted(i, { folds, heldOut })) return;
      for (const m of line.matchAll(HAN_RUN)) {
        const len = [...m[0]].length;
        if (len >= 2 && len <= 24 && !devClauses.has(m[0])) clauses.push(m[0]);
      }
    });
  for (let i = clauses.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [clauses[i], clauses[j]] = [clauses[j]!, clauses[i]!];
  }
  let n = 0;
  for (const gold of clauses.slice(0, PER_FILE)) {
    const syllables = pinyin(gold, { toneType: 'none', type: 'array', v: true }) as string[];
    const typed = syllables.join('').toLowerCase();
    if (!/^[a-z]+$/.test(typed)) continue;
    session.reset();
    session.type(typed);
    capture.last = [];
    await session.rankedCandidates(capture);
    const list = capture.last.map((s) => [s.text, Math.round(s.cost * 1000) / 1000] as const);
    if (list.length === 0) continue;
    const at = list.findIndex(([t]) => t === gold);
    if (at >= 0) goldIn++;
    if (at === 0) goldFirst++;
    total++;
    n++;
    writeSync(out, JSON.stringify({ g: gold, s: file.replace(/\.txt$/, ''), c: list }) + '\n');
  }
  process.stderr.write(`[dump-nbest] ${file}: ${n} clauses; so far gold first ${((100 * goldFirst) / total).toFixed(1)}%, in top ${K} ${((100 * goldIn) / total).toFixed(1)}%\n`);
}
closeSync(out);
