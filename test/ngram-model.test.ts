/**
 * The n-gram file format (src/lm/FORMAT.md) end to end on small generated models: what the
 * writer lays out, the reader must score exactly as a plain back-off trigram over the same
 * quantised tables, with and without the high id plane; plus the two fixed-width helpers.
 */
import { describe, expect, it } from 'vitest';
import { BitRank, popcount32 } from '../src/lm/bit-rank.ts';
import { NGramModel } from '../src/lm/ngram-model.ts';
import { encodeNGram, quantizeNGram, writeNGram, type NGramTables, type QuantizedNGram } from '../src/lm/ngram-writer.ts';
import { packedIdHighBits, PackedIds, packIds } from '../src/lm/packed-ids.ts';
import { NGRAM_MAGIC, NGRAM_VERSION } from '../src/lm/ngram-format.ts';
import { readContainer, writeContainer } from '../src/util/container.ts';
import { ImeErrorCode, isImeError } from '../src/util/errors.ts';

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
function randomModel(V: number, seed: number): QuantizedNGram {
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
  const levels = (n: number) => Uint8Array.from({ length: n }, () => rnd(256));
  const book = (scale: number) => Float32Array.from({ length: 256 }, (_, i) => i * scale).sort();
  return {
    unigramCost: Float32Array.from({ length: V }, () => 5 + rnd(1000) / 100),
    unigramBackoff: Float32Array.from({ length: V }, () => rnd(300) / 100),
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
    ['ids in 16 bits (no high plane)', 4_000],
    ['ids in 18 bits (2-bit high plane)', 200_000],
    ['ids in 20 bits (4-bit high plane)', 700_000],
  ])('%s', (_what, V) => {
    const q = randomModel(V, V);
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
    const names = ['meta', 'ucost', 'ubow', 'bstart', 'bw2lo', 'bw2hi', 'bcostq', 'hbits', 'htcount', 'bbowq', 'tw3lo', 'tw3hi', 'tcostq', 'qbcost', 'qbbow', 'qtcost'];
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
      ['bigram starts falling', withSection('bstart', (b) => (u32(b)[10] = 0xffff)), /bigram starts/],
      ['no high plane for 17-bit ids', withSection('bw2hi'), /missing section 'bw2hi'/],
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

  it.each([1, 2])('a version-%i file is refused with a clear message', (version) => {
    const file = encodeNGram(randomModel(500, 1));
    const c = readContainer(file, { magic: NGRAM_MAGIC, version: NGRAM_VERSION, fileName: 'x' });
    const names = ['meta', 'ucost', 'ubow', 'bstart', 'bw2lo', 'bcostq', 'hbits', 'htcount', 'bbowq', 'tw3lo', 'tcostq', 'qbcost', 'qbbow', 'qtcost'];
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

describe('PackedIds', () => {
  it.each([0, 1, 2, 4, 8])('round-trips ids with %i high bits and finds them by binary search', (bits) => {
    const limit = 2 ** (16 + bits);
    const rnd = random(bits + 1);
    const ids = Uint32Array.from(new Set(Array.from({ length: 3_000 }, () => rnd(limit)))).sort();
    const { low, high } = packIds(ids, bits);
    const packed = new PackedIds(low, high, bits);
    expect(Array.from({ length: ids.length }, (_, i) => packed.at(i))).toEqual(Array.from(ids));
    for (let i = 0; i < ids.length; i += 37) expect(packed.search(0, ids.length, ids[i]!)).toBe(i);
    expect(packed.search(0, ids.length, limit)).toBe(-1);
  });

  it.each([0, 1, 2, 4, 8])('copies any range of ids with %i high bits into a u32 array, as at() reads them', (bits) => {
    const limit = 2 ** (16 + bits);
    const rnd = random(bits + 11);
    // Mostly small ids (as in a frequency-ordered vocabulary), some large.
    const ids = Uint32Array.from({ length: 2_000 }, (_, i) => (i % 5 === 0 ? rnd(limit) : rnd(65_536)));
    const { low, high } = packIds(ids, bits);
    const packed = new PackedIds(low, high, bits);
    for (const [start, end] of [[0, ids.length], [0, 1], [7, 8], [15, 17], [31, 97], [100, 100], [1_000, 1_999], [1_990, 2_000]] as const) {
      const target = new Uint32Array(ids.length).fill(0xdeadbeef);
      packed.copyInto(target, start, end);
      expect(Array.from(target.subarray(start, end)), `[${start}, ${end})`).toEqual(Array.from(ids.subarray(start, end)));
      expect(target[start - 1] ?? 0xdeadbeef, 'nothing before the range').toBe(0xdeadbeef);
      expect(target[end] ?? 0xdeadbeef, 'nothing after the range').toBe(0xdeadbeef);
    }
  });

  it('picks the smallest high plane that fits the vocabulary', () => {
    expect([65_536, 65_537, 202_269, 262_144, 262_145, 2 ** 24].map(packedIdHighBits)).toEqual([0, 1, 2, 2, 4, 8]);
    const codeOf = (run: () => unknown) => {
      try {
        run();
      } catch (e) {
        return isImeError(e) ? e.code : e;
      }
      return 'no error';
    };
    expect(codeOf(() => packedIdHighBits(2 ** 24 + 1))).toBe(ImeErrorCode.InvalidArgument);
    expect(codeOf(() => packIds(Uint32Array.of(70_000), 0))).toBe(ImeErrorCode.InvalidArgument);
    // Bad planes come from a damaged file.
    expect(codeOf(() => new PackedIds(new Uint16Array(4), new Uint32Array(0), 3))).toBe(ImeErrorCode.Corrupt);
    expect(codeOf(() => new PackedIds(new Uint16Array(64), new Uint32Array(1), 2))).toBe(ImeErrorCode.Corrupt);
  });
});

describe('BitRank', () => {
  it('ranks marked bits in order and reports unmarked ones as -1', () => {
    const rnd = random(11);
    const n = 5_000;
    const marked = Array.from({ length: n }, () => rnd(3) === 0);
    const bits = new Uint32Array(Math.ceil(n / 32));
    marked.forEach((m, i) => m && (bits[i >>> 5]! |= 1 << (i & 31)));
    const rank = new BitRank(bits);
    let next = 0;
    for (let i = 0; i < n; i++) expect(rank.rankOf(i), `bit ${i}`).toBe(marked[i] ? next++ : -1);
    expect(rank.count).toBe(next);
    expect(rank.rankOf(n + 64)).toBe(-1);
  });

  it('popcount32 counts the set bits of any 32-bit word', () => {
    for (const [x, n] of [[0, 0], [1, 1], [0xffffffff, 32], [0x80000000, 1], [0x55555555, 16], [0x12345678, 13]] as const) {
      expect(popcount32(x | 0)).toBe(n);
    }
  });
});
