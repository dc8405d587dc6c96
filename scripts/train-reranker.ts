/**
 * Trains the reranking model (a character window MLP, src/model/char-mlp.ts) on plain
 * UTF-8 text and exports it to ONNX.
 *
 *   npx tsx scripts/train-reranker.ts [--corpus FILE]… [--epochs 1] [--left 4] [--right 0]
 *     [--dim 32] [--hidden 96] [--rate 0.015] [--limit CLAUSES] [--out models/reranker.onnx]
 *     [--weight 0.05] [--candidates 8]
 *   npx tsx scripts/train-reranker.ts --export-only [--from weights] --weight W
 *     (re-export saved weights with another combination weight)
 *   npx tsx scripts/train-reranker.ts --finetune CLAUSES [--passes 2] [--finetune-rate 0.01]
 *     [--from weights]   (discriminative fine-tuning on the engine's n-best lists; saved as
 *     .cache/reranker/finetuned; it did not help on the dev sets, see models/RERANKER.md)
 *
 * The text is cut into clauses (runs of Han characters); pinyin-pro gives each character its
 * toneless syllable, as it gave the dev sets theirs. At every character the model learns to
 * pick it among the characters read the same way (pinyin-constrained softmax), from the
 * characters around it. Plain SGD, one example at a time, on one core. Clauses equal to a
 * line of the dev sets (`--exclude`, default ../shared/eval/dev-{news,chat}.tsv) are dropped.
 * The weights are kept in .cache/reranker/ so `--export-only` can embed a tuned weight.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pinyin } from 'pinyin-pro';
import {
  BOUNDARY_ID,
  CharVocabulary,
  FIRST_CHAR_ID,
  isHan,
  writeWindow,
  type CharVocabularyData,
} from '../src/model/char-vocabulary.ts';
import { hiddenOf, initWeights, windowSize, type CharMlpShape, type CharMlpWeights } from '../src/model/char-mlp.ts';
import { encodeCharMlpModel, type CharModelMetadata } from '../src/model/char-mlp-onnx.ts';
import { recordingReranker } from '../src/model/reranker.ts';
import { loadNodeEngine, ROOT } from './lib/node-engine.ts';
import { mulberry32 } from './lib/random.ts';

interface Args {
  corpus: string[];
  exclude: string[];
  epochs: number;
  left: number;
  right: number;
  dim: number;
  hidden: number;
  limit: number;
  minCount: number;
  rate: number;
  out: string;
  weight: number;
  candidates: number;
  exportOnly: boolean;
  seed: number;
  /** Clauses decoded for the discriminative fine-tuning (0: none). */
  finetune: number;
  passes: number;
  finetuneRate: number;
  /** Name of the saved weights to start from (fine-tuning, export). */
  from: string;
}

const CACHE = `${ROOT}.cache/reranker/`;

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    corpus: [],
    exclude: [],
    epochs: 1,
    left: 4,
    right: 0,
    dim: 32,
    hidden: 96,
    limit: Infinity,
    minCount: 2,
    rate: 0.015,
    out: `${ROOT}models/reranker.onnx`,
    weight: 0.05,
    candidates: 8,
    exportOnly: false,
    seed: 1,
    finetune: 0,
    passes: 2,
    finetuneRate: 0.01,
    from: 'weights',
  };
  const num = (i: number) => {
    const v = Number(argv[i]);
    if (!Number.isFinite(v)) throw new Error(`${argv[i - 1]} needs a number`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--corpus') args.corpus.push(argv[++i]!);
    else if (a === '--exclude') args.exclude.push(argv[++i]!);
    else if (a === '--epochs') args.epochs = num(++i);
    else if (a === '--left') args.left = num(++i);
    else if (a === '--right') args.right = num(++i);
    else if (a === '--dim') args.dim = num(++i);
    else if (a === '--hidden') args.hidden = num(++i);
    else if (a === '--limit') args.limit = num(++i);
    else if (a === '--min-count') args.minCount = num(++i);
    else if (a === '--rate') args.rate = num(++i);
    else if (a === '--out') args.out = argv[++i]!;
    else if (a === '--weight') args.weight = num(++i);
    else if (a === '--candidates') args.candidates = num(++i);
    else if (a === '--export-only') args.exportOnly = true;
    else if (a === '--seed') args.seed = num(++i);
    else if (a === '--finetune') args.finetune = num(++i);
    else if (a === '--passes') args.passes = num(++i);
    else if (a === '--finetune-rate') args.finetuneRate = num(++i);
    else if (a === '--from') args.from = argv[++i]!;
    else throw new Error(`unknown option ${a}`);
  }
  if (args.corpus.length === 0) {
    args.corpus = ['news-msra.txt', 'reviews-shopping.txt'].map((f) => `${ROOT}../shared/corpus/${f}`);
  }
  if (args.exclude.length === 0) {
    args.exclude = ['dev-news.tsv', 'dev-chat.tsv'].map((f) => `${ROOT}../shared/eval/${f}`).filter((f) => existsSync(f));
  }
  return args;
}


/** A clause: its characters and their syllables. */
interface Clause {
  readonly chars: string[];
  readonly syllables: string[];
}

function readClauses(args: Args): Clause[] {
  const excluded = new Set<string>();
  for (const f of args.exclude) for (const line of readFileSync(f, 'utf8').split('\n')) excluded.add(line.split('\t')[1] ?? '');
  const clauses: Clause[] = [];
  let dropped = 0;
  for (const file of args.corpus) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (clauses.length >= args.limit) break;
      const chars = [...line.trim()];
      if (chars.length === 0) continue;
      const readings = pinyin(chars.join(''), { toneType: 'none', type: 'array', v: true });
      let cur: Clause = { chars: [], syllables: [] };
      const flush = () => {
        if (cur.chars.length === 0) return;
        if (excluded.has(cur.chars.join(''))) dropped++;
        else clauses.push(cur);
        cur = { chars: [], syllables: [] };
      };
      for (let i = 0; i < chars.length; i++) {
        const ch = chars[i]!;
        const syl = readings.length === chars.length ? readings[i]! : '';
        if (isHan(ch) && /^[a-z]+$/.test(syl)) {
          cur.chars.push(ch);
          cur.syllables.push(syl);
        } else flush();
      }
      flush();
    }
  }
  process.stderr.write(`${clauses.length} clauses (${dropped} equal to a dev line dropped)\n`);
  return clauses;
}

function buildVocabulary(clauses: readonly Clause[], minCount: number): CharVocabularyData {
  const counts = new Map<string, number>();
  const pairs = new Map<string, Map<string, number>>();
  for (const c of clauses) {
    for (let i = 0; i < c.chars.length; i++) {
      const ch = c.chars[i]!;
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
      let m = pairs.get(c.syllables[i]!);
      if (!m) pairs.set(c.syllables[i]!, (m = new Map()));
      m.set(ch, (m.get(ch) ?? 0) + 1);
    }
  }
  const chars = [...counts].filter(([, n]) => n >= minCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const known = new Set(chars.map(([ch]) => ch));
  const homophones: Record<string, string> = {};
  for (const [syl, m] of [...pairs].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const list = [...m].filter(([ch]) => known.has(ch)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    if (list.length > 0) homophones[syl] = list.map(([ch]) => ch).join('');
  }
  return { chars: chars.map(([ch]) => ch).join(''), homophones };
}

/** Clauses as id arrays with, per position, the id set it is scored over (or none). */
interface Encoded {
  readonly ids: Int32Array[];
  readonly sets: (Int32Array | undefined)[][];
}

function encode(clauses: readonly Clause[], vocab: CharVocabulary): Encoded {
  const ids: Int32Array[] = [];
  const sets: (Int32Array | undefined)[][] = [];
  for (const c of clauses) {
    const clauseIds = Int32Array.from(c.chars, (ch) => vocab.id(ch));
    ids.push(clauseIds);
    sets.push(c.syllables.map((s, i) => vocab.scoredSet(s, clauseIds[i]!)));
  }
  return { ids, sets };
}

/** Scratch buffers for one example. */
class Scratch {
  readonly window: Int32Array;
  readonly x: Float32Array;
  readonly h: Float32Array;
  readonly dh: Float32Array;
  readonly dx: Float32Array;
  z = new Float64Array(64);
  constructor(shape: CharMlpShape) {
    this.window = new Int32Array(windowSize(shape));
    this.x = new Float32Array(windowSize(shape) * shape.dim);
    this.h = new Float32Array(shape.hidden);
    this.dh = new Float32Array(shape.hidden);
    this.dx = new Float32Array(windowSize(shape) * shape.dim);
  }
}

const NO_CONTEXT = new Int32Array(0);

/**
 * Forward (and, with rate > 0, one SGD step) for the character at `i` of `ids` over `set`.
 * Returns [-log p(target), 1 if the target scored highest else 0].
 */
function step(w: CharMlpWeights, s: Scratch, ids: Int32Array, i: number, set: Int32Array, rate: number): [number, number] {
  const { left, right, dim, hidden } = w.shape;
  writeWindow(ids, i, left, right, NO_CONTEXT, s.window, 0);
  hiddenOf(w, s.window, 0, s.x, s.h);
  const target = ids[i]!;
  if (s.z.length < set.length) s.z = new Float64Array(set.length * 2);
  const z = s.z;
  const h = s.h;
  const out = w.output;
  let max = -Infinity;
  let targetZ = 0;
  let best = true;
  for (let k = 0; k < set.length; k++) {
    const id = set[k]!;
    const row = id * hidden;
    let v = w.outputBias[id]!;
    for (let j = 0; j < hidden; j++) v += h[j]! * out[row + j]!;
    z[k] = v;
    if (v > max) max = v;
    if (id === target) targetZ = v;
  }
  let sum = 0;
  for (let k = 0; k < set.length; k++) {
    if (z[k]! > targetZ) best = false;
    sum += Math.exp(z[k]! - max);
  }
  const loss = Math.log(sum) + max - targetZ;
  if (rate <= 0) return [loss, best ? 1 : 0];
  // Backward: g_k = p_k - [k is target].
  const dh = s.dh;
  dh.fill(0);
  for (let k = 0; k < set.length; k++) {
    const id = set[k]!;
    let g = Math.exp(z[k]! - max) / sum;
    if (id === target) g -= 1;
    if (Math.abs(g) < 1e-5) continue;
    const row = id * hidden;
    const step = rate * g;
    for (let j = 0; j < hidden; j++) {
      dh[j]! += g * out[row + j]!;
      out[row + j]! -= step * h[j]!;
    }
    w.outputBias[id]! -= step;
  }
  for (let j = 0; j < hidden; j++) dh[j]! *= 1 - h[j]! * h[j]!;
  const inputs = s.x.length;
  const w1 = w.w1;
  const x = s.x;
  const dx = s.dx;
  for (let a = 0; a < inputs; a++) {
    const row = a * hidden;
    const xa = x[a]!;
    let g = 0;
    for (let j = 0; j < hidden; j++) {
      g += w1[row + j]! * dh[j]!;
      w1[row + j]! -= rate * xa * dh[j]!;
    }
    dx[a] = g;
  }
  for (let j = 0; j < hidden; j++) w.b1[j]! -= rate * dh[j]!;
  const emb = w.embedding;
  for (let k = 0; k < s.window.length; k++) {
    const id = s.window[k]!;
    if (id < BOUNDARY_ID) continue;
    const row = id * dim;
    for (let d = 0; d < dim; d++) emb[row + d]! -= rate * dx[k * dim + d]!;
  }
  return [loss, best ? 1 : 0];
}

function evaluate(w: CharMlpWeights, data: Encoded): { nll: number; accuracy: number; n: number } {
  const s = new Scratch(w.shape);
  let nll = 0;
  let right = 0;
  let n = 0;
  for (let c = 0; c < data.ids.length; c++) {
    const ids = data.ids[c]!;
    for (let i = 0; i < ids.length; i++) {
      const set = data.sets[c]![i];
      if (!set) continue;
      const [loss, best] = step(w, s, ids, i, set, 0);
      nll += loss;
      right += best;
      n++;
    }
  }
  return { nll: nll / Math.max(1, n), accuracy: right / Math.max(1, n), n };
}

function saveWeights(w: CharMlpWeights, vocabulary: CharVocabularyData, name: string): void {
  mkdirSync(CACHE, { recursive: true });
  const arrays = [w.embedding, w.w1, w.b1, w.output, w.outputBias];
  writeFileSync(`${CACHE}${name}.json`, JSON.stringify({ shape: w.shape, vocabulary }));
  const bytes = new Uint8Array(arrays.reduce((n, a) => n + a.byteLength, 0));
  let o = 0;
  for (const a of arrays) {
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), o);
    o += a.byteLength;
  }
  writeFileSync(`${CACHE}${name}.bin`, bytes);
}

function loadWeights(name: string): { weights: CharMlpWeights; vocabulary: CharVocabularyData } {
  const meta = JSON.parse(readFileSync(`${CACHE}${name}.json`, 'utf8')) as { shape: CharMlpShape; vocabulary: CharVocabularyData };
  const bin = readFileSync(`${CACHE}${name}.bin`);
  const floats = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  const { vocab, dim, hidden } = meta.shape;
  const sizes = [vocab * dim, windowSize(meta.shape) * dim * hidden, hidden, vocab * hidden, vocab];
  const parts: Float32Array[] = [];
  let o = 0;
  for (const n of sizes) {
    parts.push(floats.slice(o, o + n));
    o += n;
  }
  const [embedding, w1, b1, output, outputBias] = parts as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  return { weights: { shape: meta.shape, embedding, w1, b1, output, outputBias }, vocabulary: meta.vocabulary };
}

function exportModel(args: Args, weights: CharMlpWeights, vocabulary: CharVocabularyData): void {
  const metadata: CharModelMetadata = { vocabulary, weight: args.weight, candidates: args.candidates };
  const bytes = encodeCharMlpModel(weights, metadata);
  writeFileSync(args.out, bytes);
  process.stderr.write(`wrote ${args.out} (${(bytes.length / 1e6).toFixed(2)} MB, weight ${args.weight})\n`);
}

/** The clauses, shuffled by the seed, split into training and held-out (the first 1%). */
function splitClauses(args: Args): { clauses: Clause[]; heldOut: Clause[]; random: () => number } {
  const random = mulberry32(args.seed);
  const clauses = readClauses(args);
  for (let i = clauses.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [clauses[i], clauses[j]] = [clauses[j]!, clauses[i]!];
  }
  const heldOut = clauses.splice(0, Math.max(1, Math.floor(clauses.length / 100)));
  return { clauses, heldOut, random };
}

function train(args: Args): void {
  const t0 = performance.now();
  const { clauses, heldOut, random } = splitClauses(args);
  const vocabulary = buildVocabulary(clauses, args.minCount);
  const vocab = new CharVocabulary(vocabulary);
  const trainData = encode(clauses, vocab);
  const testData = encode(heldOut, vocab);
  let examples = 0;
  let setSum = 0;
  for (const sets of trainData.sets) for (const set of sets) if (set) (examples++, (setSum += set.length));
  process.stderr.write(
    `${vocab.size - FIRST_CHAR_ID} characters, ${Object.keys(vocabulary.homophones).length} syllables, ` +
      `${examples} examples/epoch, mean set ${(setSum / examples).toFixed(1)}; prepared in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
  );
  const shape: CharMlpShape = { left: args.left, right: args.right, dim: args.dim, hidden: args.hidden, vocab: vocab.size };
  const w = initWeights(shape, random);
  // Start every character's bias at its log frequency: the unigram choice among homophones.
  const counts = new Float64Array(vocab.size);
  for (const ids of trainData.ids) for (const id of ids) counts[id]!++;
  for (let id = FIRST_CHAR_ID; id < vocab.size; id++) w.outputBias[id] = Math.log(counts[id]! + 1);
  const before = evaluate(w, testData);
  process.stderr.write(`held out (unigram): nll ${before.nll.toFixed(3)} acc ${(100 * before.accuracy).toFixed(2)}% over ${before.n}\n`);
  const s = new Scratch(shape);
  const total = examples * args.epochs;
  let done = 0;
  let lossSum = 0;
  let lossN = 0;
  const order = Int32Array.from(trainData.ids.keys());
  for (let epoch = 0; epoch < args.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const c of order) {
      const ids = trainData.ids[c]!;
      const sets = trainData.sets[c]!;
      for (let i = 0; i < ids.length; i++) {
        const set = sets[i];
        if (!set) continue;
        const rate = args.rate * Math.max(0.02, 1 - done / total);
        lossSum += step(w, s, ids, i, set, rate)[0];
        lossN++;
        if (++done % 250_000 === 0) {
          const secs = (performance.now() - t0) / 1000;
          process.stderr.write(`${done}/${total} loss ${(lossSum / lossN).toFixed(3)} ${secs.toFixed(0)} s\n`);
          lossSum = 0;
          lossN = 0;
        }
      }
    }
    const after = evaluate(w, testData);
    process.stderr.write(`epoch ${epoch + 1}: held out nll ${after.nll.toFixed(3)} acc ${(100 * after.accuracy).toFixed(2)}%\n`);
  }
  saveWeights(w, vocabulary, 'weights');
  exportModel(args, w, vocabulary);
  process.stderr.write(`done in ${((performance.now() - t0) / 60000).toFixed(1)} min\n`);
}

/** One clause's n-best list from the engine, ready for the sentence-level loss. */
interface NBest {
  /** Decoder costs. */
  readonly costs: Float64Array;
  readonly gold: number;
  /** Per candidate: its ids, and per position the set scored over (or none). */
  readonly ids: Int32Array[];
  readonly sets: (Int32Array | undefined)[][];
}

/** Decodes clauses with the engine and keeps those whose n-best holds the gold text. */
async function decodeNBest(clauses: readonly Clause[], vocab: CharVocabulary, k: number): Promise<{ lists: NBest[]; top1: number; n: number }> {
  const session = loadNodeEngine().createSession();
  const capture = recordingReranker(k);
  const lists: NBest[] = [];
  let top1 = 0;
  let n = 0;
  for (const c of clauses) {
    if (c.chars.length < 2) continue;
    session.reset();
    session.type(c.syllables.join(''));
    capture.last = [];
    await session.rankedCandidates(capture);
    const items = capture.last;
    n++;
    const gold = items.findIndex((it) => it.text === c.chars.join(''));
    if (gold === 0) top1++;
    if (gold < 0 || items.length < 2) continue;
    const ids: Int32Array[] = [];
    const sets: (Int32Array | undefined)[][] = [];
    for (const it of items) {
      const encoded = vocab.encodeWords(it.words);
      ids.push(encoded.ids);
      sets.push(encoded.readings.map((r, i) => (r === undefined ? undefined : vocab.scoredSet(r, encoded.ids[i]!))));
    }
    lists.push({ costs: Float64Array.from(items, (it) => it.cost), gold, ids, sets });
  }
  return { lists, top1, n };
}

/** Model cost of every candidate, and the distinct positions (window, target, set) with their owners. */
function forwardNBest(w: CharMlpWeights, s: Scratch, list: NBest): { model: Float64Array; positions: Map<string, { k: number; i: number; owners: number[] }> } {
  const model = new Float64Array(list.ids.length);
  const positions = new Map<string, { k: number; i: number; owners: number[] }>();
  const losses = new Map<string, number>();
  const window = new Int32Array(windowSize(w.shape));
  list.ids.forEach((ids, k) => {
    for (let i = 0; i < ids.length; i++) {
      const set = list.sets[k]![i];
      if (!set) continue;
      writeWindow(ids, i, w.shape.left, w.shape.right, NO_CONTEXT, window, 0);
      const key = `${window.join(',')}|${ids[i]}|${set[0]}|${set.length}`;
      let loss = losses.get(key);
      if (loss === undefined) {
        loss = step(w, s, ids, i, set, 0)[0];
        losses.set(key, loss);
        positions.set(key, { k, i, owners: [] });
      }
      positions.get(key)!.owners.push(k);
      model[k]! += loss;
    }
  });
  return { model, positions };
}

/** Sentence top-1 over n-best lists, ranking by decoder cost + weight × model cost. */
function rerankAccuracy(w: CharMlpWeights, lists: readonly NBest[], weight: number): number {
  const s = new Scratch(w.shape);
  let right = 0;
  for (const list of lists) {
    const { model } = forwardNBest(w, s, list);
    let best = 0;
    for (let k = 1; k < model.length; k++) if (list.costs[k]! + weight * model[k]! < list.costs[best]! + weight * model[best]!) best = k;
    if (best === list.gold) right++;
  }
  return right;
}

/**
 * Discriminative fine-tuning: the engine decodes training clauses into K-best lists; the
 * loss is -log softmax(-(decoder cost + weight × model cost)) of the gold sentence, so the
 * model learns where the n-gram's choice among its own candidates goes wrong. Positions
 * shared by all candidates cancel out; each distinct position's log-softmax gradient is
 * scaled by dL/dm summed over the candidates holding it, dL/dm_k = -weight × (p_k - [gold]).
 * Gold positions also keep a small language-model step so the model stays a model of text.
 */
async function finetune(args: Args): Promise<void> {
  const t0 = performance.now();
  const { weights: w, vocabulary } = loadWeights(args.from);
  const vocab = new CharVocabulary(vocabulary);
  const { clauses, heldOut, random } = splitClauses(args);
  const train = await decodeNBest(clauses.slice(0, args.finetune), vocab, args.candidates);
  const test = await decodeNBest(heldOut, vocab, args.candidates);
  const secs = () => ((performance.now() - t0) / 1000).toFixed(0);
  process.stderr.write(
    `decoded ${train.n} training clauses (top-1 ${((100 * train.top1) / train.n).toFixed(1)}%, ${train.lists.length} lists with the gold) ` +
      `and ${test.n} held out (top-1 ${((100 * test.top1) / test.n).toFixed(1)}%) in ${secs()} s\n`,
  );
  let weight = args.weight;
  const report = (label: string) => {
    const right = rerankAccuracy(w, test.lists, weight);
    const base = test.lists.filter((l) => l.gold === 0).length;
    process.stderr.write(`${label}: held-out top-1 ${((100 * right) / test.n).toFixed(2)}% (decoder alone ${((100 * base) / test.n).toFixed(2)}%), weight ${weight.toFixed(3)}, ${secs()} s\n`);
  };
  report('before');
  const s = new Scratch(w.shape);
  const order = Int32Array.from(train.lists.keys());
  const total = order.length * args.passes;
  let done = 0;
  let lossSum = 0;
  for (let pass = 0; pass < args.passes; pass++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const index of order) {
      const list = train.lists[index]!;
      const rate = args.finetuneRate * Math.max(0.05, 1 - done / total);
      const { model, positions } = forwardNBest(w, s, list);
      const z = Array.from(model, (m, k) => -(list.costs[k]! + weight * m));
      const max = Math.max(...z);
      const e = z.map((v) => Math.exp(v - max));
      const sum = e.reduce((a, b) => a + b, 0);
      const p = e.map((v) => v / sum);
      lossSum += -Math.log(Math.max(p[list.gold]!, 1e-12));
      // dL/dm_k = -weight × (p_k - [gold]); dL/dweight = -Σ_k (p_k - [gold]) m_k.
      let dWeight = 0;
      p.forEach((pk, k) => (dWeight += (pk - (k === list.gold ? 1 : 0)) * model[k]!));
      for (const { k, i, owners } of positions.values()) {
        let g = 0;
        for (const o of owners) g += weight * (p[o]! - (o === list.gold ? 1 : 0));
        // step() descends the position's own loss (a term of m_k) at the rate it is given: dL/dm = -g.
        if (Math.abs(g) > 1e-4) step(w, s, list.ids[k]!, i, list.sets[k]![i]!, -rate * g);
      }
      const gold = list.ids[list.gold]!;
      for (let i = 0; i < gold.length; i++) {
        const set = list.sets[list.gold]![i];
        if (set) step(w, s, gold, i, set, rate * 0.1);
      }
      weight = Math.max(0, weight + rate * 0.02 * dWeight);
      if (++done % 10_000 === 0) {
        process.stderr.write(`${done}/${total} loss ${(lossSum / 10_000).toFixed(4)} weight ${weight.toFixed(3)} ${secs()} s\n`);
        lossSum = 0;
      }
    }
    report(`pass ${pass + 1}`);
  }
  saveWeights(w, vocabulary, 'finetuned');
  exportModel({ ...args, weight }, w, vocabulary);
}

const args = parseArgs(process.argv.slice(2));
if (args.exportOnly) {
  const { weights, vocabulary } = loadWeights(args.from);
  exportModel(args, weights, vocabulary);
} else if (args.finetune > 0) await finetune(args);
else train(args);
