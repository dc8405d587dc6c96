/**
 * Makes a noisy copy of a dev set for measuring typo tolerance: in the first column (the keys
 * typed), about RATE letters in a hundred are changed to a neighbouring QWERTY key (or, with
 * --swaps, two neighbouring letters are swapped). Deterministic: the same seed gives the same
 * file. Other columns are copied unchanged.
 *
 *   npx tsx scripts/add-typos.ts [--rate 3] [--seed 1] [--swaps] < dev-chat.tsv > noisy.tsv
 */
import { createInterface } from 'node:readline';
import { QWERTY_NEIGHBOURS } from '../src/pinyin/typo.ts';
import { mulberry32 } from './lib/random.ts';

const argv = process.argv.slice(2);
const valueOf = (flag: string, fallback: number): number => {
  const at = argv.indexOf(flag);
  if (at < 0) return fallback;
  const v = Number(argv[at + 1]);
  if (!Number.isFinite(v) || v < 0) {
    process.stderr.write(`add-typos: ${flag} needs a non-negative number\n`);
    process.exit(2);
  }
  return v;
};
const rate = valueOf('--rate', 3) / 100;
const seed = valueOf('--seed', 1);
const swaps = argv.includes('--swaps');

const random = mulberry32;

const next = random(seed);
let letters = 0;
let changed = 0;

function addTypos(keys: string): string {
  const out = [...keys];
  for (let i = 0; i < out.length; i++) {
    const c = out[i]!;
    if (c < 'a' || c > 'z') continue;
    letters++;
    if (next() >= rate) continue;
    if (swaps) {
      const d = out[i + 1];
      if (d === undefined || d < 'a' || d > 'z' || d === c) continue;
      out[i] = d;
      out[i + 1] = c;
      i++;
      letters++;
    } else {
      const near = QWERTY_NEIGHBOURS.get(c) ?? '';
      out[i] = near[Math.floor(next() * near.length)] ?? c;
    }
    changed++;
  }
  return out.join('');
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
const lines: string[] = [];
for await (const line of rl) {
  const tab = line.indexOf('\t');
  lines.push(tab < 0 ? addTypos(line) : addTypos(line.slice(0, tab)) + line.slice(tab));
}
process.stdout.write(lines.join('\n') + (lines.length ? '\n' : ''));
process.stderr.write(`add-typos: ${changed} ${swaps ? 'swaps' : 'letters changed'} in ${letters} letters (${((100 * changed) / Math.max(1, letters)).toFixed(2)} per hundred)\n`);
