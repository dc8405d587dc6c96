/**
 * Rebuilds dictionaries/lexicon.bin, models/ngram.bin and models/ngram-first.bin from the open data named in
 * ../shared/DATA.md, plus libime's language model. Needs: apt-get install -y sunpinyin-data
 * sunpinyin-utils libime-data libime-bin libime-data-language-model (and `npm pack
 * nodejieba@3.5.8`, done here). Intermediate text dumps go to .cache/. About 3 minutes, 6 GB.
 *
 *   npm run build:data [-- --genres SPEC --w-libime W --max-bigrams N --max-trigrams N --first B/T --fold K/N]
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { pinyin } from 'pinyin-pro';
import * as OpenCC from 'opencc-js/t2cn';
import { SYLLABLES, syllableId } from '../src/pinyin/syllables.ts';
import { writeNGram } from '../src/lm/ngram-writer.ts';
import { writeLexicon, type LexiconEntryInput } from '../src/lexicon/lexicon-writer.ts';
import { pruneNGrams, type RawNGrams } from './lib/prune-ngrams.ts';
import { countCorpus, type CorpusFile, type LineFilter } from './lib/corpus-ngrams.ts';
import { adaptNGrams } from './lib/adapt-ngrams.ts';
import { renormalizeBackoffs } from './lib/renormalize.ts';
import { readKenlmTrie, type KenlmTables } from './lib/kenlm-trie.ts';
import { mixBackoffModels } from './lib/mix-models.ts';
import { renumberByCost } from './lib/renumber-vocabulary.ts';
import type { BackoffTables } from './lib/backoff-lookups.ts';

const SUNPINYIN_DIR = '/usr/lib/x86_64-linux-gnu/sunpinyin/data';
/** libime's word trigram (Debian libime-data-language-model), a KenLM binary. */
const LIBIME_LM = '/usr/lib/x86_64-linux-gnu/libime/zh_CN.lm';
const CACHE = '.cache';
const CORPUS_DIR = '../shared/corpus';
const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const MAX_BIGRAMS = arg('--max-bigrams', 2_100_000);
const MAX_TRIGRAMS = arg('--max-trigrams', 600_000);
const MIN_COUNT = arg('--min-count', 2);
/** Absolute discount of the corpus models' counts. */
const DISCOUNT = arg('--discount', 0.7);
/** libime's model's share when mixed with open-gram (0 = open-gram alone). */
const W_LIBIME = arg('--w-libime', 0.5);
/**
 * The corpus text (files in ../shared/corpus, sources in ../shared/DATA.md), as groups mixed
 * into the open-gram + libime model: `--genres 'a*2+b=0.3,c=0.1'` gives each group of files
 * one absolute-discounting model and its weight (the base model keeps 1 − their sum); within
 * a group a file's counts may be multiplied. The default, tuned on the dev sets (news, hotel
 * reviews, dialogue): all the text pooled at 0.5, the news counted 1.7 times. Pooled counts
 * beat one model per genre (news 66.0 → 66.7, dialogue 63.7 → 65.0 top-1; models/README.md).
 */
const GENRES = parseGenres(
  args.includes('--genres')
    ? args[args.indexOf('--genres') + 1]!
    : 'news-msra*1.7+reviews-shopping+reviews-books+chat-sms+chat-weibo+chat-chitchat+chat-dialogue+web-clue=0.5',
);

/**
 * `a*2+b=0.3,c=0.1`: groups of corpus files (names without .txt), each group one model mixed
 * in with its weight; within a group a file's counts may be multiplied (`*2`).
 */
function parseGenres(spec: string): { name: string; weight: number; files: CorpusFile[] }[] {
  return spec.split(',').map((group) => {
    const [names = '', weight = ''] = group.split('=');
    const w = Number(weight);
    if (!names || !(w >= 0)) throw new Error(`--genres: bad group "${group}" (want name*scale+name=weight)`);
    const files = names.split('+').map((n) => {
      const [file = '', scale = '1'] = n.split('*');
      if (!(Number(scale) > 0)) throw new Error(`--genres: bad scale in "${n}"`);
      return { path: `${CORPUS_DIR}/${file}.txt`, scale: Number(scale) };
    });
    return { name: names, weight: w, files };
  });
}

/**
 * `--fold K/N`: leave every corpus line whose index modulo N is K out of the counts (a
 * jackknife model, for decoding that fold's text with a model that has not seen it).
 */
const FOLD = ((): LineFilter | undefined => {
  const i = args.indexOf('--fold');
  if (i < 0) return undefined;
  const [heldOut, folds] = (args[i + 1] ?? '').split('/').map(Number);
  if (!Number.isInteger(heldOut) || !Number.isInteger(folds) || folds! < 2 || heldOut! < 0 || heldOut! >= folds!) {
    throw new Error(`--fold wants K/N with 0 <= K < N, N >= 2; got ${args[i + 1]}`);
  }
  return { heldOut: heldOut!, folds: folds! };
})();
const OUT_MODEL = process.env.OUT_MODEL ?? 'models/ngram.bin';
const OUT_LEXICON = process.env.OUT_LEXICON ?? 'dictionaries/lexicon.bin';
const OUT_FIRST_MODEL = process.env.OUT_FIRST_MODEL ?? 'models/ngram-first.bin';
/**
 * `--first B/T[,B/T…]`: the small model a page loads first (`ngram-first.bin`: B bigrams, T
 * trigrams, pruned from the same counts, with the same word ids and unigram costs as
 * ngram.bin), so the first candidates wait only for it and the lexicon; the full model
 * replaces it once downloaded. Several sizes (for measuring) go to `ngram-first-B-T.bin`
 * beside it. `--first 0` writes none.
 */
const FIRST_SIZES = (args.includes('--first') ? args[args.indexOf('--first') + 1]! : '300000/30000')
  .split(',')
  .filter((s) => s !== '0')
  .map((s) => {
    const [b, t] = s.split('/').map(Number);
    if (!Number.isInteger(b) || !Number.isInteger(t) || b! < 0 || t! < 0) throw new Error(`--first wants B/T[,B/T…]; got ${s}`);
    return { bigrams: b!, trigrams: t! };
  });
/** Longest word kept, in syllables. */
const MAX_WORD_SYLLABLES = 12;
const LN10 = Math.LN10;
const HAN = /^\p{Script=Han}+$/u;
/** Traditional → mainland simplified, phrase-aware (opencc-js, MIT/Apache-2.0 data). */
const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

function log(msg: string): void {
  process.stderr.write(`[build-data] ${msg}\n`);
}

function cached(file: string, make: () => void): string {
  const path = `${CACHE}/${file}`;
  if (!existsSync(path)) {
    mkdirSync(CACHE, { recursive: true });
    make();
  }
  return path;
}

/** Word strings of sunpinyin's dictionary, indexed by the model's word id. */
function readSunpinyinWords(): string[] {
  const b = readFileSync(`${SUNPINYIN_DIR}/pydict_sc.bin`);
  const count = b.readUInt32LE(0);
  let p = b.readUInt32LE(8);
  const words: string[] = [];
  for (let i = 0; i < count; i++) {
    const cps: number[] = [];
    for (;;) {
      const c = b.readUInt32LE(p);
      p += 4;
      if (c === 0) break;
      cps.push(c);
    }
    words.push(String.fromCodePoint(...cps));
  }
  return words;
}

async function readLmText(path: string): Promise<RawNGrams> {
  const uni = new Map<number, { cost: number; bow: number }>();
  const bi: number[][] = [];
  const tri: number[][] = [];
  let section = 0;
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.startsWith('\\')) {
      section = Number(line[1]);
      continue;
    }
    const f = line.trim().split(/\s+/);
    if (section === 1) uni.set(Number(f[0]), { cost: Number(f[1]), bow: Number(f[2]) });
    else if (section === 2) bi.push([Number(f[0]), Number(f[1]), Number(f[2]), Number(f[3])]);
    else if (section === 3) tri.push([Number(f[0]), Number(f[1]), Number(f[2]), Number(f[3])]);
  }
  return { uni, bi, tri };
}

function readLibimeReadings(path: string): Map<string, { syllables: number[]; penalty: number }[]> {
  const out = new Map<string, { syllables: number[]; penalty: number }[]>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [word, py, cost] = line.split(' ');
    if (!word || !py || !HAN.test(word)) continue;
    const syllables = py.split("'").map(syllableId);
    if (syllables.some((s) => s < 0) || syllables.length !== [...word].length) continue;
    const penalty = Math.max(0, -Number(cost) * LN10);
    const list = out.get(word) ?? [];
    list.push({ syllables, penalty });
    out.set(word, list);
  }
  return out;
}

function readJiebaCounts(path: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [word, count] = line.split(' ');
    if (word && count && HAN.test(word)) out.set(word, Number(count));
  }
  return out;
}

/** libime's model over the build's word ids; words it lacks get its unknown-word cost. */
function libimeTables(lm: KenlmTables, idOf: Map<string, number>, V: number): BackoffTables {
  const ids = lm.words.map((w) => idOf.get(w) ?? -1);
  const unigramCost = new Float32Array(V).fill(lm.uniCost[0]!);
  const unigramBackoff = new Float32Array(V);
  ids.forEach((id, i) => {
    if (id < 0) return;
    unigramCost[id] = lm.uniCost[i]!;
    unigramBackoff[id] = lm.uniBow[i]!;
  });
  const bi = lm.bi.filter((r) => ids[r[0]!]! >= 0 && ids[r[1]!]! >= 0).map(([v, w, c, b]) => [ids[v!]!, ids[w!]!, c!, b!]);
  const tri = lm.tri
    .filter((r) => ids[r[0]!]! >= 0 && ids[r[1]!]! >= 0 && ids[r[2]!]! >= 0)
    .map(([u, v, w, c]) => [ids[u!]!, ids[v!]!, ids[w!]!, c!]);
  return { raw: { uni: new Map(), bi, tri }, unigramCost, unigramBackoff };
}

function pinyinProReading(word: string): number[] | undefined {
  const syl = pinyin(word, { toneType: 'none', type: 'array', v: true }) as string[];
  const ids = syl.map((s) => syllableId(s.toLowerCase()));
  return ids.length === [...word].length && ids.every((i) => i >= 0) ? ids : undefined;
}

async function main(): Promise<void> {
  const lmText = cached('lm_sc.txt', () => {
    log('dumping lm_sc.t3g with tslminfo (about a minute)');
    execFileSync('sh', ['-c', `tslminfo -v ${SUNPINYIN_DIR}/lm_sc.t3g > ${CACHE}/lm_sc.txt`]);
  });
  const scText = cached('sc.txt', () => {
    execFileSync('libime_pinyindict', ['-d', '/usr/share/libime/sc.dict', `${CACHE}/sc.txt`]);
  });
  const jiebaPath = cached('jieba.dict.utf8', () => {
    execFileSync('sh', ['-c', `cd ${CACHE} && npm pack --silent nodejieba@3.5.8 >/dev/null && tar xzf nodejieba-3.5.8.tgz package/submodules/cppjieba/dict/jieba.dict.utf8 && mv package/submodules/cppjieba/dict/jieba.dict.utf8 . && rm -rf package nodejieba-3.5.8.tgz`]);
  });

  const libime = W_LIBIME > 0 ? readKenlmTrie(LIBIME_LM) : undefined;
  if (libime) log(`libime model: ${libime.words.length} words, ${libime.bi.length} bigrams, ${libime.tri.length} trigrams`);
  const spWords = readSunpinyinWords();
  log(`sunpinyin words: ${spWords.length}`);
  const raw = await readLmText(lmText);
  log(`n-grams: ${raw.uni.size} / ${raw.bi.length} / ${raw.tri.length}`);
  const readings = readLibimeReadings(scText);
  log(`libime words with readings: ${readings.size}`);
  const jieba = readJiebaCounts(jiebaPath);
  log(`jieba words: ${jieba.size}`);

  // Vocabulary: sunpinyin ids first (so n-gram ids need no remapping), then libime-only words.
  const vocabulary = [...spWords];
  vocabulary[0] = '';
  const idOf = new Map<string, number>();
  vocabulary.forEach((w, i) => {
    if (w && !idOf.has(w)) idOf.set(w, i);
  });
  for (const w of [...readings.keys(), ...(libime?.words ?? [])]) {
    if (!idOf.has(w) && HAN.test(w) && [...w].length <= MAX_WORD_SYLLABLES) {
      idOf.set(w, vocabulary.length);
      vocabulary.push(w);
    }
  }
  const V = vocabulary.length;

  // Unigram costs: the model's where it has one; else jieba counts calibrated onto the model's scale.
  const diffs: number[] = [];
  for (const [id, u] of raw.uni) {
    const c = jieba.get(vocabulary[id]!);
    if (c) diffs.push(u.cost + Math.log(c));
  }
  diffs.sort((a, b) => a - b);
  const offset = diffs[Math.floor(diffs.length / 2)]!;
  const maxModelCost = Math.max(...[...raw.uni.values()].map((u) => u.cost));
  const unigramCost = new Float32Array(V).fill(maxModelCost + 1);
  const unigramBackoff = new Float32Array(V);
  let fromJieba = 0;
  for (let id = 0; id < V; id++) {
    const u = raw.uni.get(id);
    if (u) {
      unigramCost[id] = u.cost;
      unigramBackoff[id] = u.bow;
      continue;
    }
    const c = jieba.get(vocabulary[id]!);
    if (c) {
      unigramCost[id] = Math.min(maxModelCost + 1, offset - Math.log(c));
      fromJieba++;
    }
  }
  log(`calibration offset ${offset.toFixed(2)}; ${fromJieba} unigram costs from jieba`);

  let tables: BackoffTables = { raw, unigramCost, unigramBackoff };
  if (libime) {
    tables = mixBackoffModels(tables, libimeTables(libime, idOf, V), 1 - W_LIBIME);
    log(`mixed with libime (weight ${W_LIBIME}): ${tables.raw.bi.length} bigrams, ${tables.raw.tri.length} trigrams`);
  }
  // Each genre's model in turn: mixing genre g into a mixture that already holds weight W
  // (base + earlier genres) with share W / (W + w_g) leaves every earlier part its weight.
  let held = 1 - GENRES.reduce((sum, g) => sum + g.weight, 0);
  if (held <= 0) throw new Error('the genre weights must sum to less than 1');
  for (const genre of GENRES) {
    if (genre.weight <= 0) continue;
    const counts = countCorpus(genre.files, idOf, tables.unigramCost, 0, FOLD);
    const lambda = held / (held + genre.weight);
    held += genre.weight;
    log(`corpus ${genre.name}: ${counts.tokens} tokens, weight ${genre.weight}${FOLD ? ` (fold ${FOLD.heldOut}/${FOLD.folds} left out)` : ''}`);
    tables = adaptNGrams(tables.raw, tables.unigramCost, tables.unigramBackoff, counts, {
      lambda: [lambda, lambda, lambda],
      discount: DISCOUNT,
      minCount: MIN_COUNT,
    });
    log(`mixed: ${tables.raw.bi.length} bigrams, ${tables.raw.tri.length} trigrams`);
  }
  const source = `open-gram trigram (sunpinyin lm_sc.t3g, CC BY-SA 3.0)${libime ? ' mixed with libime zh_CN.lm (LGPL-2.1+)' : ''}, adapted on ../shared/corpus, pruned; extra unigrams from jieba counts (MIT)`;
  /** Prunes to the given size, renormalises (a copy of) the back-offs and writes the model. */
  const prunedModel = (bigrams: number, trigrams: number) => {
    const unigramBackoff = tables.unigramBackoff.slice();
    const pruned = pruneNGrams(tables.raw, tables.unigramCost, unigramBackoff, bigrams, trigrams);
    log(`kept ${pruned.bigramW1.length} bigrams, ${pruned.trigramW1.length} trigrams`);
    if (!args.includes('--no-renormalize')) renormalizeBackoffs(tables.unigramCost, unigramBackoff, pruned);
    // The files use ids in unigram-cost order (the n-gram file's id runs compress best so).
    const renumbered = renumberByCost(vocabulary, tables.unigramCost, unigramBackoff, pruned);
    const bytes = writeNGram({ unigramCost: renumbered.unigramCost, unigramBackoff: renumbered.unigramBackoff, ...renumbered.ngrams, boundaryId: 0, source });
    return { renumbered, bytes };
  };
  const { renumbered: shipped, bytes: model } = prunedModel(MAX_BIGRAMS, MAX_TRIGRAMS);
  const firstModels = FIRST_SIZES.map(({ bigrams, trigrams }) => {
    const first = prunedModel(bigrams, trigrams);
    // Word ids follow the unigram costs alone, which pruning leaves as they are.
    if (first.renumbered.newId.some((id, i) => id !== shipped.newId[i])) throw new Error('the first model numbers words differently');
    const path = FIRST_SIZES.length === 1 ? OUT_FIRST_MODEL : OUT_FIRST_MODEL.replace(/\.bin$/, `-${bigrams}-${trigrams}.bin`);
    return { path, bytes: first.bytes };
  });

  // Every word's readings: libime's, else pinyin-pro's.
  const readingsOf = (w: string): { syllables: number[]; penalty: number }[] => {
    const rs = readings.get(w);
    if (rs) return rs;
    const r = pinyinProReading(w);
    return r && r.length <= MAX_WORD_SYLLABLES ? [{ syllables: r, penalty: 0 }] : [];
  };
  const entries: LexiconEntryInput[] = [];
  let fromPinyinPro = 0;
  let traditionalDropped = 0;
  for (let id = 1; id < V; id++) {
    const w = vocabulary[id]!;
    if (!HAN.test(w) || idOf.get(w) !== id) continue;
    if (!readings.has(w) && readingsOf(w).length > 0) fromPinyinPro++;
    // A traditional spelling (中國, 謝謝) of a word the lexicon has in simplified form with the
    // same reading is left out: the engine types simplified Chinese (traditional output is a
    // conversion of the result). A different reading keeps it (乾 qian beside 干 gan).
    const simplified = toSimplified(w);
    const simplifiedReadings = simplified !== w && idOf.has(simplified) ? readingsOf(simplified).map((r) => r.syllables.join()) : [];
    for (const r of readingsOf(w)) {
      if (simplifiedReadings.includes(r.syllables.join())) traditionalDropped++;
      else entries.push({ word: id, syllables: r.syllables, penalty: r.penalty });
    }
  }
  log(`traditional spellings left out: ${traditionalDropped}`);
  log(`lexicon entries: ${entries.length} (${fromPinyinPro} readings from pinyin-pro)`);
  const lexicon = writeLexicon(
    shipped.vocabulary,
    entries.map((e) => ({ ...e, word: shipped.newId[e.word]! })),
    (w) => shipped.unigramCost[w]!,
    'libime sc.dict readings (LGPL-2.1+), sunpinyin words (CC BY-SA 3.0), pinyin-pro readings (MIT)',
  );
  mkdirSync('models', { recursive: true });
  mkdirSync('dictionaries', { recursive: true });
  writeFileSync(OUT_MODEL, model);
  writeFileSync(OUT_LEXICON, lexicon);
  for (const f of firstModels) {
    writeFileSync(f.path, f.bytes);
    log(`${f.path} ${(f.bytes.length / 1e6).toFixed(2)} MB`);
  }
  log(`${OUT_MODEL} ${(model.length / 1e6).toFixed(2)} MB, ${OUT_LEXICON} ${(lexicon.length / 1e6).toFixed(2)} MB`);
  log(`syllable table: ${SYLLABLES.length}`);
}

await main();
