/**
 * Rewrites a version-1 n-gram file (varint id streams) in the current format (fixed-width id
 * planes, FORMAT.md) without rebuilding it: the quantised costs and codebooks carry over bit
 * for bit, so the model scores exactly as before.
 *
 *   npx tsx scripts/upgrade-ngram-format.ts models/ngram.bin [OUT]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { encodeNGram } from '../src/lm/ngram-writer.ts';
import { readContainer } from '../src/util/container.ts';
import { decodeVarints } from '../src/util/varint.ts';
import { nodeCodec } from './lib/node-engine.ts';

const input = process.argv[2];
if (!input) throw new Error('usage: upgrade-ngram-format.ts IN [OUT]');
const output = process.argv[3] ?? input;
const c = readContainer(readFileSync(input), { magic: 'HZLM', version: 1, fileName: input, codec: nodeCodec });
if (c.version !== 1) throw new Error(`${input} is version ${c.version}, not 1`);
const meta = c.json<{ vocabularySize: number; bigrams: number; trigrams: number; historyBigrams: number; zeroBackoffLevel: number; boundaryId: number; source: string }>('meta');
const V = meta.vocabularySize;
const H = meta.historyBigrams;
const must = <T>(v: T | undefined, what: string): T => {
  if (v === undefined) throw new Error(`${input}: ${what} is damaged`);
  return v;
};

/** Absolute ids from varint deltas restarted at each run start. */
function runsOf(bytes: Uint8Array, starts: Uint32Array): Uint32Array {
  const total = starts[starts.length - 1]!;
  const deltas = must(decodeVarints(bytes, total), 'an id stream');
  const ids = new Uint32Array(total);
  for (let r = 0; r + 1 < starts.length; r++) {
    let acc = 0;
    for (let i = starts[r]!; i < starts[r + 1]!; i++) ids[i] = acc += deltas[i]!;
  }
  return ids;
}

const perWord = must(decodeVarints(c.u8('ubicnt'), V), 'ubicnt');
const bigramStarts = new Uint32Array(V + 1);
for (let w = 0; w < V; w++) bigramStarts[w + 1] = bigramStarts[w]! + perWord[w]!;
const pairs = must(decodeVarints(c.u8('bhist'), 2 * H), 'bhist');
const historyBigram = new Uint32Array(H);
const historyTrigrams = new Uint32Array(H);
const trigramStarts = new Uint32Array(H + 1);
for (let h = 0, b = 0; h < H; h++) {
  b += pairs[2 * h]!;
  historyBigram[h] = b;
  historyTrigrams[h] = pairs[2 * h + 1]!;
  trigramStarts[h + 1] = trigramStarts[h]! + historyTrigrams[h]!;
}
const copy = (a: Float32Array) => Float32Array.from(a);
const bytes = encodeNGram({
  unigramCost: copy(c.f32('ucost')),
  unigramBackoff: copy(c.f32('ubow')),
  bigramStarts,
  bigramWord: runsOf(c.u8('bw2'), bigramStarts),
  bigramCost: c.u8('bcostq').slice(),
  historyBigram,
  historyTrigrams,
  historyBackoff: c.u8('bbowq').slice(),
  trigramWord: runsOf(c.u8('tw3'), trigramStarts),
  trigramCost: c.u8('tcostq').slice(),
  bigramCostBook: copy(c.f32('qbcost')),
  backoffBook: copy(c.f32('qbbow')),
  trigramCostBook: copy(c.f32('qtcost')),
  zeroBackoffLevel: meta.zeroBackoffLevel,
  boundaryId: meta.boundaryId,
  source: meta.source,
});
writeFileSync(output, bytes);
process.stderr.write(`${input} (version 1, ${readFileSync(input).length} bytes) -> ${output} (${bytes.length} bytes)\n`);
