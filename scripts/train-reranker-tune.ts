/**
 * Measures the reranking model on dev files and tunes the weight of its cost against the
 * decoder's: for each clause the session's best K sentences are taken (through
 * Session.rankedCandidates, the path the engine uses), the model costs them once, and every
 * weight of a sweep is scored offline. Also times the rerank (model + sort) per clause.
 *
 *   npx tsx scripts/train-reranker-tune.ts [--model models/reranker.onnx] [--candidates K]
 *     [FILE.tsv …]   (default ../shared/eval/dev-news.tsv ../shared/eval/dev-chat.tsv)
 *
 * Prints, per weight, sentence top-1 and character accuracy per file (weight 0 is the engine
 * without the model), the best weight (the largest worst-file top-1 gain) and latency.
 * Embed the weight with `npx tsx scripts/train-reranker.ts --export-only --weight W`.
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
if (files.length === 0) files.push(...['dev-news.tsv', 'dev-chat.tsv'].map((f) => `${ROOT}../shared/eval/${f}`));

const model = await loadOnnxReranker(readFileSync(modelPath), { name: modelPath, weight: 1, ...(candidates ? { candidates } : {}) });
const engine = loadNodeEngine();
const session = engine.createSession();
const capture = recordingReranker(model.candidates);

interface Clause {
  gold: string;
  texts: string[];
  decoder: number[];
  model: Float64Array;
}

const WEIGHTS = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8, 1, 1.2, 1.5];
const results = new Map<string, { top1: number; char: number }[]>();
const times: number[] = [];
/** CPU time of the same calls: wall time on a busy shared machine also counts waiting. */
const cpuTimes: number[] = [];
for (const file of files) {
  const clauses: Clause[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [pinyin = '', gold = ''] = line.split('\t');
    if (!gold) continue;
    session.reset();
    session.type(pinyin);
    capture.last = [];
    await session.rankedCandidates(capture);
    const captured = capture.last;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const costs = await model.modelCosts(captured, '');
    orderByCost(captured.map((it, i) => it.cost + costs[i]!));
    const cpu = process.cpuUsage(cpu0);
    times.push(performance.now() - t0);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
    clauses.push({ gold, texts: captured.map((s) => s.text), decoder: captured.map((s) => s.cost), model: costs });
  }
  const name = file.split('/').pop()!;
  results.set(
    name,
    WEIGHTS.map((w) => {
      let top1 = 0;
      let chars = 0;
      let right = 0;
      for (const c of clauses) {
        const order = orderByCost(c.decoder.map((d, i) => d + w * c.model[i]!));
        const s = scoreClause(order.map((i) => c.texts[i]!), c.gold);
        top1 += +s.top1;
        chars += s.chars;
        right += s.charsRight;
      }
      return { top1: (100 * top1) / clauses.length, char: (100 * right) / Math.max(1, chars) };
    }),
  );
}
const names = [...results.keys()];
console.log(['weight', ...names.flatMap((n) => [`${n} top1`, `${n} char`])].join('\t'));
let best = 0;
let bestGain = -Infinity;
WEIGHTS.forEach((w, k) => {
  const row = names.flatMap((n) => {
    const r = results.get(n)![k]!;
    return [r.top1.toFixed(2), r.char.toFixed(2)];
  });
  console.log([w, ...row].join('\t'));
  const gain = Math.min(...names.map((n) => results.get(n)![k]!.top1 - results.get(n)![0]!.top1));
  if (gain > bestGain) [best, bestGain] = [w, gain];
});
const quantiles = (xs: number[]) => {
  xs.sort((a, b) => a - b);
  const at = (q: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * q))]!.toFixed(2);
  return `p50 ${at(0.5)} p95 ${at(0.95)} max ${at(1)}`;
};
console.log(`best weight ${best} (worst-file top-1 gain ${bestGain.toFixed(2)}); K=${model.candidates}`);
console.log(`rerank ms per clause, wall: ${quantiles(times)}; CPU: ${quantiles(cpuTimes)}`);
await model.dispose();
