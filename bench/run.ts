/**
 * The benchmark suite: per-keystroke latency over every dev clause typed letter by letter,
 * whole-clause decode time by length, cold start (fresh processes), memory after load, shipped
 * data sizes, and benchmark.js micro-benchmarks. Writes bench/results/latest.json,
 * bench/results/latest.md and bench/results/latency.svg.
 *
 *   npm run bench [-- --runs 3 --quick]
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Benchmark from 'benchmark';
import { LEXICON_PATH, loadNodeEngine, MODEL_PATH, ROOT } from '../scripts/lib/node-engine.ts';
import { describeContainer } from '../src/util/container.ts';
import { lineChart } from './lib/chart.ts';
import { decodeClause, typeClause } from './lib/keystrokes.ts';
import { rerankerKeystrokes } from './lib/reranker-keystrokes.ts';
import { loadOnnxReranker } from '../src/model/onnx.ts';
import { median, summarize, type Summary } from './lib/stats.ts';

const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf('--runs') + 1]) || 3;
const quick = argv.includes('--quick');
const EVAL = `${ROOT}../shared/eval`;
const OUT = `${ROOT}bench/results`;
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

function clauses(): string[] {
  const files = ['dev-news.tsv', 'dev-chat.tsv'];
  const all = files.flatMap((f) =>
    readFileSync(`${EVAL}/${f}`, 'utf8')
      .split('\n')
      .filter((l) => l.includes('\t'))
      .map((l) => l.split('\t')[0]!),
  );
  return quick ? all.filter((_, i) => i % 10 === 0) : all;
}

/** A container's size with every section inflated (header and table included). */
function rawContainerBytes(file: Uint8Array): number {
  const spec = { magic: String.fromCharCode(...file.subarray(0, 4)), version: 0xffff, fileName: 'data file' };
  const table = describeContainer(file, spec);
  return table[0]!.offset + table.reduce((sum, e) => sum + e.rawLength, 0);
}

function dataSizes() {
  const out: Record<string, { compressedBytes: number; rawBytes: number }> = {};
  for (const dir of ['dictionaries', 'models']) {
    for (const name of readdirSync(`${ROOT}${dir}`)) {
      const path = `${ROOT}${dir}/${name}`;
      if (!name.endsWith('.bin') && !name.endsWith('.onnx')) continue;
      const bytes = readFileSync(path);
      const raw = name.endsWith('.bin') ? rawContainerBytes(bytes) : bytes.length;
      out[`${dir}/${name}`] = { compressedBytes: statSync(path).size, rawBytes: raw };
    }
  }
  return out;
}

/**
 * Cold starts in fresh processes, of the engine bundled as an application ships it (esbuild,
 * as the worker bench does): run through the TypeScript loader instead, the loader's own
 * garbage (~8 MB of heap before the clock starts) sets off a full GC during the load.
 */
function coldStarts(n: number) {
  const bundle = `${mkdtempSync(`${tmpdir()}/ime-cold-`)}/cold-start.mjs`;
  // esbuild's command line in a child process: its JavaScript API would leave a worker thread
  // (and its service process) alive in this process while the keystrokes are timed.
  execFileSync(`${ROOT}node_modules/esbuild/bin/esbuild`, [
    `${ROOT}bench/cold-start.ts`, '--bundle', '--platform=node', '--format=esm', `--outfile=${bundle}`, '--log-level=error',
  ]);
  const results: { coldMs: number; cpuMs: number; heapMB: number; arrayBuffersMB: number }[] = [];
  for (let i = 0; i < n; i++) {
    const out = execFileSync(process.execPath, ['--expose-gc', bundle], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, MODEL: MODEL_PATH, LEXICON: LEXICON_PATH },
    });
    results.push(JSON.parse(out.trim().split('\n').pop()!));
  }
  return {
    runs: n,
    coldMsMedian: median(results.map((r) => r.coldMs)),
    cpuMsMedian: median(results.map((r) => r.cpuMs)),
    heapMBMedian: median(results.map((r) => r.heapMB)),
    arrayBuffersMBMedian: median(results.map((r) => r.arrayBuffersMB)),
    all: results,
  };
}

function keystrokeRun(lines: string[]) {
  const engine = loadNodeEngine();
  const session = engine.createSession();
  for (const l of lines.slice(0, 50)) typeClause(session, l); // warm-up
  const perKey: number[] = [];
  const worstPerClause: number[] = [];
  const byLength = new Map<number, number[]>();
  const cpu0 = process.cpuUsage();
  for (const l of lines) {
    const times = typeClause(session, l);
    perKey.push(...times);
    worstPerClause.push(Math.max(...times));
    times.forEach((t, i) => {
      const list = byLength.get(i + 1) ?? [];
      list.push(t);
      byLength.set(i + 1, list);
    });
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuPerKeyMs = (cpu.user + cpu.system) / 1000 / Math.max(1, perKey.length);
  const clauseByLength = new Map<number, number[]>();
  for (const l of lines) {
    const bucket = Math.ceil(l.length / 10) * 10;
    const list = clauseByLength.get(bucket) ?? [];
    list.push(decodeClause(session, l));
    clauseByLength.set(bucket, list);
  }
  return { perKey: summarize(perKey), worstPerClause: summarize(worstPerClause), byLength, clauseByLength, cpuPerKeyMs };
}

function micro(): Record<string, { hz: number; meanMs: number; rme: number }> {
  const engine = loadNodeEngine();
  const session = engine.createSession();
  const suite = new Benchmark.Suite();
  session.type('jiudianfujinmeiyoudadonghainameduodexiaoc');
  session.candidates();
  const out: Record<string, { hz: number; meanMs: number; rme: number }> = {};
  suite
    .add('decode woaibeijingtiananmen from reset', () => decodeClause(engine.createSession(), 'woaibeijingtiananmen'))
    .add('one key typed and backspaced at the end of a 41-letter input', () => {
      session.type('h');
      session.candidates();
      session.backspace();
      session.candidates();
    })
    .on('cycle', (e: Benchmark.Event) => {
      const b = e.target as Benchmark.Target & { name: string };
      out[b.name] = { hz: b.hz ?? 0, meanMs: (b.stats?.mean ?? 0) * 1000, rme: b.stats?.rme ?? 0 };
      log(String(e.target));
    })
    .run({ async: false });
  return out;
}

const fmt = (s: Summary) => ({
  meanMs: +s.mean.toFixed(4),
  p50Ms: +s.p50.toFixed(4),
  p95Ms: +s.p95.toFixed(4),
  p99Ms: +s.p99.toFixed(4),
  maxMs: +s.max.toFixed(3),
  count: s.count,
});

const lines = clauses();
log(`${lines.length} clauses, ${runs} runs`);
const sizes = dataSizes();
log('cold start');
const cold = coldStarts(quick ? 3 : 7);
log('worker cold start');
const workerCold = (() => {
  const results: { workerColdMs: number; firstKeyMs: number }[] = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', `${ROOT}bench/worker-cold-start.ts`], { cwd: ROOT, encoding: 'utf8' });
    results.push(JSON.parse(out.trim().split('\n').pop()!));
  }
  return { runs: results.length, workerColdMsMedian: median(results.map((r) => r.workerColdMs)), all: results };
})();
const keyRuns: ReturnType<typeof keystrokeRun>[] = [];
for (let r = 0; r < runs; r++) {
  log(`keystroke run ${r + 1}`);
  keyRuns.push(keystrokeRun(lines));
}
const med = (f: (k: (typeof keyRuns)[number]) => number) => +median(keyRuns.map(f)).toFixed(4);
const last = keyRuns[keyRuns.length - 1]!;
const latencyByLength = [...last.byLength.entries()]
  .sort((a, b) => a[0] - b[0])
  .filter(([, v]) => v.length >= 20)
  .map(([len, v]) => ({ length: len, ...fmt(summarize(v)) }));
const clauseDecode = [...last.clauseByLength.entries()]
  .sort((a, b) => a[0] - b[0])
  .map(([len, v]) => ({ lengthUpTo: len, ...fmt(summarize(v)) }));
const microResults = quick ? {} : micro();

/** The optional reranker on every key: dev-dialogue clauses (a tenth with --quick). */
async function rerankerRun() {
  const dialogue = readFileSync(`${EVAL}/dev-dialogue.tsv`, 'utf8')
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => l.split('\t')[0]!)
    .filter((_, i) => !quick || i % 10 === 0);
  const model = await loadOnnxReranker(readFileSync(`${ROOT}models/reranker.onnx`), { name: 'models/reranker.onnx' });
  const r = await rerankerKeystrokes(loadNodeEngine(), model, dialogue);
  await model.dispose();
  return { clauses: dialogue.length, keys: r.keys, plain: fmt(r.plain), added: fmt(r.added) };
}
log('reranker keystrokes (dev-dialogue)');
const reranker = await rerankerRun();

const result = {
  date: new Date().toISOString(),
  node: process.version,
  clauses: lines.length,
  runs,
  perKeystroke: {
    meanMs: med((k) => k.perKey.mean),
    p50Ms: med((k) => k.perKey.p50),
    p95Ms: med((k) => k.perKey.p95),
    p99Ms: med((k) => k.perKey.p99),
    maxMs: med((k) => k.perKey.max),
    worstKeyPerClauseP95Ms: med((k) => k.worstPerClause.p95),
    cpuMsPerKey: med((k) => k.cpuPerKeyMs),
    keys: last.perKey.count,
  },
  coldStart: cold,
  workerColdStart: workerCold,
  dataFiles: sizes,
  latencyByLength,
  clauseDecode,
  micro: microResults,
  reranker,
};
mkdirSync(OUT, { recursive: true });
writeFileSync(`${OUT}/latest.json`, JSON.stringify(result, null, 2) + '\n');
writeFileSync(
  `${OUT}/latency.svg`,
  lineChart('Per-keystroke latency by input length (dev-news + dev-chat)', 'letters typed', 'ms', [
    { name: 'mean', color: '#1f77b4', points: latencyByLength.map((r) => [r.length, r.meanMs]) },
    { name: 'p95', color: '#d62728', points: latencyByLength.map((r) => [r.length, r.p95Ms]) },
  ]),
);
const k = result.perKeystroke;
const mb = (b: number) => (b / 1e6).toFixed(2);
const md = [
  '# Benchmark summary',
  '',
  `${result.date}, Node ${result.node}, ${result.clauses} clauses typed letter by letter, median of ${runs} runs, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the end.`,
  '',
  '| measure | value | target |',
  '|---|---|---|',
  `| per key mean | ${k.meanMs.toFixed(3)} ms | ≤ 0.3 ms |`,
  `| CPU time per key (process CPU, not affected by other load) | ${k.cpuMsPerKey.toFixed(3)} ms | |`,
  `| per key p50 / p95 / p99 | ${k.p50Ms.toFixed(3)} / ${k.p95Ms.toFixed(3)} / ${k.p99Ms.toFixed(3)} ms | |`,
  `| p95 of each clause's worst key | ${k.worstKeyPerClauseP95Ms.toFixed(3)} ms | ≤ 1.3 ms |`,
  `| max key | ${k.maxMs.toFixed(2)} ms | ≤ 10 ms |`,
  `| cold start, bundled (read + inflate + index + first candidates), median of ${cold.runs} | ${cold.coldMsMedian.toFixed(1)} ms (process CPU ${cold.cpuMsMedian.toFixed(1)} ms) | ≤ 150 ms |`,
  `| cold start inside a worker (bundled worker, data moved in, portable or native inflate), median of ${workerCold.runs} | ${workerCold.workerColdMsMedian.toFixed(1)} ms | |`,
  `| JS heap after load | ${cold.heapMBMedian.toFixed(1)} MB (+ ${cold.arrayBuffersMBMedian.toFixed(1)} MB array buffers) | ≤ 80 MB |`,
  `| reranker (models/reranker.onnx) added per key, ${reranker.keys} keys of dev-dialogue: p50 / p95 / max | ${reranker.added.p50Ms.toFixed(3)} / ${reranker.added.p95Ms.toFixed(3)} / ${reranker.added.maxMs.toFixed(2)} ms (n-gram alone: p95 ${reranker.plain.p95Ms.toFixed(3)} ms) | p95 ≤ 2 ms |`,
  '',
  '| data file | shipped (compressed) | raw |',
  '|---|---|---|',
  ...Object.entries(sizes).map(([n, s]) => `| ${n} | ${mb(s.compressedBytes)} MB | ${mb(s.rawBytes)} MB |`),
  '',
  '| clause length (letters, up to) | clauses | decode mean | p95 |',
  '|---|---|---|---|',
  ...clauseDecode.map((c) => `| ${c.lengthUpTo} | ${c.count} | ${c.meanMs.toFixed(3)} ms | ${c.p95Ms.toFixed(3)} ms |`),
  '',
  ...Object.entries(microResults).map(([n, r]) => `- benchmark.js: ${n}: ${r.meanMs.toFixed(3)} ms (±${r.rme.toFixed(1)}%)`),
  '',
  '![latency by input length](latency.svg)',
  '',
];
writeFileSync(`${OUT}/latest.md`, md.join('\n'));
process.stdout.write(md.join('\n'));
