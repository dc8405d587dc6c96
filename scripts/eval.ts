/**
 * Accuracy over files in the ../shared/eval format (pinyin<TAB>gold<TAB>syllables):
 * sentence top-1, top-5, character accuracy of the top candidate, and time per clause.
 *
 *   npm run eval -- ../shared/eval/dev-news.tsv ../shared/eval/dev-chat.tsv [--errors N] [--model default|PATH]
 *
 * Without `--model` the n-gram's order; with it, the sentences as the reranker orders them.
 */
import { readFileSync } from 'node:fs';
import { loadNodeEngine, ROOT } from './lib/node-engine.ts';
import { loadOnnxReranker } from '../src/model/onnx.ts';
import { scoreClause, type ClauseScore } from './lib/accuracy.ts';

const argv = process.argv.slice(2);
const valueOf = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
const showErrors = Number(valueOf('--errors') ?? 0);
const modelPath = valueOf('--model');
const files = argv.filter((a, i) => !a.startsWith('--') && !['--errors', '--model'].includes(argv[i - 1] ?? ''));
if (files.length === 0) {
  process.stderr.write('usage: npm run eval -- FILE.tsv [FILE.tsv …] [--errors N] [--model default|PATH]\n');
  process.exit(2);
}
const reranker = modelPath
  ? await loadOnnxReranker(readFileSync(modelPath === 'default' ? `${ROOT}models/reranker.onnx` : modelPath), { name: modelPath })
  : undefined;
const engine = loadNodeEngine(reranker ? { reranker } : {});
const session = engine.createSession();
const pct = (a: number, b: number) => (b ? (100 * a) / b : 0).toFixed(1);
console.log('file\tclauses\ttop1\ttop5\tchar\tmean_ms\tp95_ms');
for (const file of files) {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('\t'));
  const scores: ClauseScore[] = [];
  const times: number[] = [];
  let shown = 0;
  for (const line of lines) {
    const [pinyin = '', gold = ''] = line.split('\t');
    const t0 = performance.now();
    session.reset();
    session.type(pinyin);
    if (reranker) await session.rankedCandidates();
    const sentences = session.sentenceCandidates().map((c) => c.text);
    times.push(performance.now() - t0);
    const s = scoreClause(sentences, gold);
    scores.push(s);
    if (!s.top1 && shown < showErrors) {
      shown++;
      process.stderr.write(`${pinyin}\t${gold}\t${sentences[0] ?? ''}\n`);
    }
  }
  session.reset();
  times.sort((a, b) => a - b);
  const sum = (f: (s: ClauseScore) => number) => scores.reduce((a, s) => a + f(s), 0);
  const mean = times.reduce((a, b) => a + b, 0) / Math.max(1, times.length);
  const p95 = times[Math.floor(times.length * 0.95)] ?? 0;
  console.log(
    [
      file.split('/').pop(),
      scores.length,
      pct(sum((s) => +s.top1), scores.length),
      pct(sum((s) => +s.top5), scores.length),
      pct(sum((s) => s.charsRight), sum((s) => s.chars)),
      mean.toFixed(2),
      p95.toFixed(2),
    ].join('\t'),
  );
}
