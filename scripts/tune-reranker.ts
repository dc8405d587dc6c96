/**
 * Measures the reranking model on dev files and sweeps the weight of its score against the
 * decoder cost: for each clause the session's best K sentences are taken (through
 * Session.rankedCandidates, the path the engine uses), the model scores them once, and every
 * weight is scored offline. Also reports how often the gold sentence is among the K (the
 * most any reranker can fix) and the time of the model per clause.
 *
 *   npx tsx scripts/tune-reranker.ts [--model models/reranker.onnx] [--candidates K] [FILE.tsv …]
 *
 * Prints, per weight, sentence top-1 and character accuracy per file (weight 0 is the engine
 * without the model), and the weight stored in the model. Embed another weight with
 * `/usr/bin/python3 scripts/train_reranker.py … --scale W` (see models/RERANKER.md).
 */
import { readFileSync } from 'node:fs';
import { loadOnnxReranker } from '../src/model/onnx.ts';
import { orderByCost, recordingReranker } from '../src/model/reranker.ts';
import { scoreClause } from './lib/accuracy.ts';
import { loadNodeEngine, ROOT } from './lib/node-engine.ts';

const argv = process.argv.slice(2);
let modelPath = `${ROOT}models/reranker.onnx`;
let candidates: number | undefined;
const files: string[] = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--model') modelPath = argv[++i]!;
  else if (argv[i] === '--candidates') candidates = Number(argv[++i]);
  else files.push(argv[i]!);
}
if (files.length === 0) files.push(...['dev-news.tsv', 'dev-chat.tsv', 'dev-dialogue.tsv'].map((f) => `${ROOT}../shared/eval/${f}`));

const model = await loadOnnxReranker(readFileSync(modelPath), { name: modelPath, ...(candidates ? { candidates } : {}) });
const stored = model.scale;
const engine = loadNodeEngine();
const session = engine.createSession();
const capture = recordingReranker(model.candidates);
const WEIGHTS = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2].map((f) => f * stored);

const cpuTimes: number[] = [];
console.log(`model ${modelPath}: K ${model.candidates}, stored scale ${stored.toFixed(3)}`);
console.log(['file', 'goldInK', ...WEIGHTS.map((w) => `w=${w.toFixed(2)} top1/char`)].join('\t'));
for (const file of files) {
  const rows: { gold: string; texts: string[]; decoder: number[]; model: Float64Array }[] = [];
  let goldIn = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [pinyin = '', gold = ''] = line.split('\t');
    if (!gold) continue;
    session.reset();
    session.type(pinyin);
    capture.last = [];
    await session.rankedCandidates(capture);
    const items = capture.last;
    const c0 = process.cpuUsage();
    const scores = await model.scores(items.map((it) => it.text));
    const c = process.cpuUsage(c0);
    cpuTimes.push((c.user + c.system) / 1000);
    if (items.some((it) => it.text === gold)) goldIn++;
    rows.push({ gold, texts: items.map((it) => it.text), decoder: items.map((it) => it.cost), model: scores });
  }
  const cells = WEIGHTS.map((w) => {
    let top1 = 0;
    let right = 0;
    let chars = 0;
    for (const r of rows) {
      const order = orderByCost(r.decoder.map((d, i) => d - w * r.model[i]!));
      const s = scoreClause(order.slice(0, 5).map((i) => r.texts[i]!), r.gold);
      top1 += +s.top1;
      right += s.charsRight;
      chars += s.chars;
    }
    return `${((100 * top1) / rows.length).toFixed(2)}/${((100 * right) / chars).toFixed(2)}`;
  });
  console.log([file.split('/').pop(), ((100 * goldIn) / rows.length).toFixed(1), ...cells].join('\t'));
}
cpuTimes.sort((a, b) => a - b);
const q = (p: number) => cpuTimes[Math.min(cpuTimes.length - 1, Math.floor(cpuTimes.length * p))]!.toFixed(2);
console.log(`model CPU time per clause (K sentences, no cache across clauses): p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms`);
await model.dispose();
