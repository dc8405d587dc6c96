/**
 * The n-gram file format (src/lm/FORMAT.md) end to end on small generated models: what the
 * writer lays out, the reader must score exactly as a plain back-off trigram over the same
 * quantised tables, over small and large vocabularies and every cost width; plus the gap-coded
 * id runs and the bit-packed levels it is built from.
 */
import { describe, expect, it } from 'vitest';
import { BitRank, popcount32 } from '../src/lm/bit-rank.ts';
import { NGramModel } from '../src/lm/ngram-model.ts';
import { encodeNGram, quantizeNGram, writeNGram, type NGramTables, type QuantizedNGram } from '../src/lm/ngram-writer.ts';
import { BitPacked, packBits } from '../src/lm/bit-packed.ts';
import { encodeGapRuns, GapRuns, RUN_SAMPLE } from '../src/lm/gap-runs.ts';
import { NGRAM_MAGIC, NGRAM_VERSION } from '../src/lm/ngram-format.ts';
import { readContainer, writeContainer } from '../src/util/container.ts';
import { ImeErrorCode, isImeError } from '../src/util/errors.ts';
import { codeOf } from './lib/error-code.ts';

/** A deterministic random source (mulberry32). */
function random(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** A random quantised model over `V` words whose bigrams use ids across the whole range. */
function randomModel(V: number, seed: number, bits = 8): QuantizedNGram {
  const rnd = random(seed);
  const histories = Math.min(V, 300);
  const bigramStarts = new Uint32Array(V + 1);
  const bigramWord: number[] = [];
  for (let w = 0; w < V; w++) {
    bigramStarts[w] = bigramWord.length;
    if (w >= histories) continue;
    const set = new Set<number>();
    const n = rnd(12);
    while (set.size < n) set.add(rnd(2) === 0 ? rnd(histories) : rnd(V));
    bigramWord.push(...[...set].sort((a, b) => a - b));
  }
  bigramStarts[V] = bigramWord.length;
  const B = bigramWord.length;
  const historyBigram: number[] = [];
  const historyTrigrams: number[] = [];
  const trigramWord: number[] = [];
  for (let b = 0; b < B; b++) {
    if (rnd(3) !== 0) continue;
    const set = new Set<number>();
    const n = 1 + rnd(6);
    while (set.size < n) set.add(rnd(V));
    historyBigram.push(b);
    historyTrigrams.push(n);
    trigramWord.push(...[...set].sort((a, b) => a - b));
  }
  const H = historyBigram.length;
  const levels = (n: number) => Uint8Array.from({ length: n }, () => rnd(2 ** bits));
  const book = (scale: number) => Float32Array.from({ length: 2 ** bits }, (_, i) => i * scale).sort();
  return {
    unigramCost: Float32Array.from({ length: V }, () => 5 + rnd(1000) / 64), // exact in the file's fixed point
    unigramBackoff: Float32Array.from({ length: V }, () => rnd(300) / 64),
    bigramStarts,
    bigramWord: Uint32Array.from(bigramWord),
    bigramCost: levels(B),
    historyBigram: Uint32Array.from(historyBigram),
    historyTrigrams: Uint32Array.from(historyTrigrams),
    historyBackoff: levels(H),
    trigramWord: Uint32Array.from(trigramWord),
    trigramCost: levels(trigramWord.length),
    bigramCostBook: book(0.05),
    backoffBook: book(0.01),
    trigramCostBook: book(0.03),
    zeroBackoffLevel: 0,
    boundaryId: 0,
    source: 'test',
  };
}

/** The back-off trigram computed by linear scans of the quantised tables (state numbering as the model's). */
function referenceScore(q: QuantizedNGram, state: number, word: number): { cost: number; state: number; trigram?: boolean } {
  const V = q.unigramCost.length;
  const bigram = (prev: number) => {
    for (let b = q.bigramStarts[prev]!; b < q.bigramStarts[prev + 1]!; b++) {
      if (q.bigramWord[b] === word) return { cost: q.bigramCostBook[q.bigramCost[b]!]!, state: V + b };
    }
    return { cost: q.unigramBackoff[prev]! + q.unigramCost[word]!, state: word };
  };
  if (state < V) return bigram(state);
  const b = state - V;
  let prev = 0;
  while (q.bigramStarts[prev + 1]! <= b) prev++;
  const last = q.bigramWord[b]!;
  const h = Array.from(q.historyBigram).indexOf(b);
  if (h < 0) return bigram(last);
  let t = 0;
  for (let k = 0; k < h; k++) t += q.historyTrigrams[k]!;
  for (let end = t + q.historyTrigrams[h]!; t < end; t++) {
    if (q.trigramWord[t] === word) return { cost: q.trigramCostBook[q.trigramCost[t]!]!, state: bigram(last).state, trigram: true };
  }
  const r = bigram(last);
  return { cost: q.backoffBook[q.historyBackoff[h]!]! + r.cost, state: r.state };
}

describe('n-gram file: writer and reader agree with a plain back-off trigram', () => {
  it.each([
    ['4,000 words, 8-bit costs', 4_000, 8],
    ['200,000 words, 6-bit costs', 200_000, 6],
    ['700,000 words, 5-bit costs', 700_000, 5],
    ['3,000 words, 1-bit costs', 3_000, 1],
  ])('%s', (_what, V, bits) => {
    const q = randomModel(V, V, bits);
    const model = NGramModel.fromBytes(encodeNGram(q), 'test.bin');
    expect(model.vocabularySize).toBe(V);
    const rnd = random(7);
    const trigramRun = new Map<number, Uint32Array>();
    for (let h = 0, t = 0; h < q.historyBigram.length; t += q.historyTrigrams[h++]!) {
      trigramRun.set(V + q.historyBigram[h]!, q.trigramWord.subarray(t, t + q.historyTrigrams[h]!));
    }
    const out = { state: 0, cost: 0 };
    const states = [model.beginState];
    let trigramHits = 0;
    let bigramHits = 0;
    for (let i = 0; i < 20_000; i++) {
      const state = rnd(3) === 0 ? rnd(300) : states[rnd(states.length)]!;
      // Mostly words that follow the state's last word (bigram and trigram runs), so both hit.
      const last = model.lastWord(state);
      const run = q.bigramWord.subarray(q.bigramStarts[last]!, q.bigramStarts[last + 1]!);
      const tri = trigramRun.get(state);
      const word = rnd(3) === 0 || run.length === 0 ? rnd(V) : tri && rnd(2) === 0 ? tri[rnd(tri.length)]! : run[rnd(run.length)]!;
      const want = referenceScore(q, state, word);
      model.score(state, word, out);
      const cost = out.cost;
      expect([cost, out.state], `score(${state}, ${word})`).toEqual([want.cost, want.state]);
      if (out.state >= V) {
        bigramHits++;
        if (states.length < 2_000) states.push(out.state);
        expect(model.lastWord(out.state)).toBe(word);
      }
      if (want.trigram) trigramHits++;
    }
    expect(bigramHits).toBeGreaterThan(1_000);
    expect(trigramHits).toBeGreaterThan(20);
  });

  it('quantizeNGram then encodeNGram is writeNGram, and refuses unsorted tables', () => {
    const t: NGramTables = {
      unigramCost: Float32Array.of(1, 2, 3, 4),
      unigramBackoff: Float32Array.of(0.5, 0.5, 0.5, 0.5),
      bigramW1: Uint32Array.of(1, 1, 2),
      bigramW2: Uint32Array.of(2, 3, 1),
      bigramCost: Float32Array.of(0.7, 1.5, 0.9),
      bigramBackoff: Float32Array.of(0.2, 0, 0),
      trigramW1: Uint32Array.of(1),
      trigramW2: Uint32Array.of(2),
      trigramW3: Uint32Array.of(3),
      trigramCost: Float32Array.of(0.1),
      boundaryId: 0,
      source: 'tiny',
    };
    expect(writeNGram(t)).toEqual(encodeNGram(quantizeNGram(t)));
    const model = NGramModel.fromBytes(writeNGram(t), 'tiny.bin');
    const out = { state: 0, cost: 0 };
    model.score(1, 2, out); // history (1, 2)
    model.score(out.state, 3, out);
    expect(out.cost).toBeCloseTo(0.1, 5);
    expect(model.lastWord(out.state)).toBe(3);
    expect(() => writeNGram({ ...t, bigramW2: Uint32Array.of(3, 2, 1) })).toThrow(/not sorted/);
    expect(() => writeNGram({ ...t, trigramW2: Uint32Array.of(0) })).toThrow(/no matching bigram/);
  });

  it('tables that disagree with each other or with meta are refused at load', () => {
    const file = encodeNGram(randomModel(100_000, 3));
    const names = ['meta', 'ucost', 'ubow', 'bcount', 'bw2', 'bw2at', 'bcostq', 'hbits', 'htcount', 'bbowq', 'tw3', 'tw3at', 'tcostq', 'qbcost', 'qbbow', 'qtcost'];
    const c = readContainer(file, { magic: NGRAM_MAGIC, version: NGRAM_VERSION, fileName: 'x' });
    expect(names.every((n) => c.has(n))).toBe(true);
    /** The file with section `name` changed by `edit` (a copy), or left out. */
    const withSection = (name: string, edit?: (bytes: Uint8Array) => void) =>
      writeContainer(
        NGRAM_MAGIC,
        NGRAM_VERSION,
        names.flatMap((n) => {
          if (n !== name) return [{ name: n, bytes: c.bytes(n) }];
          if (!edit) return [];
          const bytes = c.bytes(n).slice();
          edit(bytes);
          return [{ name: n, bytes }];
        }),
      );
    const u32 = (b: Uint8Array) => new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4);
    const u16 = (b: Uint8Array) => new Uint16Array(b.buffer, b.byteOffset, b.byteLength / 2);
    const damaged: [string, Uint8Array, RegExp][] = [
      ['an extra history bit', withSection('hbits', (b) => (u32(b)[0]! ^= ~u32(b)[0]! & -~u32(b)[0]!)), /history bigram set/],
      ['a trigram count one too many', withSection('htcount', (b) => u16(b)[0]!++), /counts do not add up/],
      ['a bigram run one longer', withSection('bcount', (b) => (b[b.indexOf(3)] = 4)), /run lengths do not add up/],
      ['no run index for the trigram ids', withSection('tw3at'), /missing section 'tw3at'/],
      ['a codebook cut short', withSection('qtcost', (b) => b.fill(0)), /./],
    ];
    for (const [what, bytes, message] of damaged.slice(0, 4)) {
      try {
        NGramModel.fromBytes(bytes, 'bad.bin');
        expect.unreachable(what);
      } catch (e) {
        expect(isImeError(e) && e.code, what).toBe(ImeErrorCode.Corrupt);
        expect((e as Error).message, what).toMatch(message);
      }
    }
    // Values the reader cannot check without a pass (costs) load and score.
    const model = NGramModel.fromBytes(damaged[4]![1], 'zero-costs.bin');
    const out = { state: 0, cost: NaN };
    model.score(model.beginState, 5, out);
    expect(Number.isFinite(out.cost)).toBe(true);
  });

  it.each([1, 2, 3])('a version-%i file is refused with a clear message', (version) => {
    const file = encodeNGram(randomModel(500, 1));
    const c = readContainer(file, { magic: NGRAM_MAGIC, version: NGRAM_VERSION, fileName: 'x' });
    const names = ['meta', 'ucost', 'ubow', 'bcount', 'bw2', 'bw2at', 'bcostq', 'hbits', 'htcount', 'bbowq', 'tw3', 'tw3at', 'tcostq', 'qbcost', 'qbbow', 'qtcost'];
    const old = writeContainer(NGRAM_MAGIC, version, names.map((name) => ({ name, bytes: c.bytes(name) })));
    try {
      NGramModel.fromBytes(old, 'old.bin');
      expect.unreachable();
    } catch (e) {
      expect(isImeError(e) && e.code).toBe(ImeErrorCode.UnsupportedVersion);
      expect((e as Error).message).toMatch(new RegExp(`old\\.bin: format version ${version} is no longer supported`));
    }
  });
});

describe('GapRuns', () => {
  it('decodes any run, first use in any order, as the ids plus 1, and nothing outside it', () => {
    const rnd = random(5);
    // Runs of 0 to 40 ids, some with ids up to 2^24 (multi-byte gaps), across several samples.
    const starts = [0];
    const ids: number[] = [];
    for (let r = 0; r < 5 * RUN_SAMPLE + 7; r++) {
      const set = new Set<number>();
      const n = rnd(4) === 0 ? 0 : rnd(41);
      while (set.size < n) set.add(rnd(3) === 0 ? rnd(2 ** 24) : rnd(300));
      ids.push(...[...set].sort((a, b) => a - b));
      starts.push(ids.length);
    }
    const { bytes, samples } = encodeGapRuns(ids, starts);
    const runs = starts.length - 1;
    expect(GapRuns.samplesValid(samples, runs, bytes.length)).toBe(true);
    const reader = new GapRuns(bytes, samples, Uint32Array.from(starts));
    const target = new Uint32Array(ids.length);
    const order = Array.from({ length: runs }, (_, r) => r).sort(() => rnd(3) - 1);
    for (const r of order) {
      const want = target.slice();
      for (let i = starts[r]!; i < starts[r + 1]!; i++) want[i] = ids[i]! + 1;
      reader.decodeInto(r, target);
      expect(target, `run ${r}`).toEqual(want);
    }
    expect(Array.from(target, (x) => x - 1)).toEqual(ids);
  });

  it('refuses ids out of order and sample tables that do not fit the stream', () => {
    expect(() => encodeGapRuns([1, 5, 5], [0, 3])).toThrow(/not ascending/);
    const { bytes, samples } = encodeGapRuns([1, 2, 3], [0, 1, 2, 3]);
    expect(GapRuns.samplesValid(samples, 3, bytes.length)).toBe(true);
    expect(GapRuns.samplesValid(samples, RUN_SAMPLE + 1, bytes.length)).toBe(false);
    expect(GapRuns.samplesValid(Uint32Array.of(1), 3, bytes.length)).toBe(false);
  });
});

describe('BitPacked', () => {
  it.each([1, 3, 5, 6, 7, 8, 13, 16])('round-trips %i-bit values, across word boundaries', (bits) => {
    const rnd = random(bits);
    const values = Array.from({ length: 1_001 }, () => rnd(2 ** bits));
    const packed = new BitPacked(packBits(values, bits), bits, values.length);
    expect(Array.from({ length: values.length }, (_, i) => packed.get(i))).toEqual(values);
  });

  it('refuses values too wide (writer) and arrays of the wrong length (a damaged file)', () => {
    expect(codeOf(() => packBits([8], 3))).toBe(ImeErrorCode.InvalidArgument);
    expect(codeOf(() => new BitPacked(new Uint32Array(1), 6, 10))).toBe(ImeErrorCode.Corrupt);
    expect(codeOf(() => new BitPacked(new Uint32Array(2), 0, 0))).toBe(ImeErrorCode.Corrupt);
  });
});
