/**
 * A {@link Reranker} over the character window model: each sentence gets a cost, the sum over
 * its Han characters of -log p(character | neighbours, syllable), where p is normalised only
 * over the characters read like it. The new order is by decoder cost + weight × that cost.
 *
 * The network itself runs behind a {@link WindowScorer} (ONNX Runtime in src/model/onnx.ts,
 * or anything else computing the same function); this file prepares its inputs and reads its
 * outputs.
 */
import type { StoredCharModelMetadata } from './char-mlp-onnx.ts';
import { CharVocabulary, trailingClause, UNKNOWN_ID, writeWindow } from './char-vocabulary.ts';
import { orderByCost, type Reranker, type RerankItem } from './reranker.ts';

/**
 * Computes the model's scores: `windows` holds N windows of `width` ids; for each k,
 * `scores[k]` is the unnormalised score of `targets[k]` in window `rows[k]`.
 */
export type WindowScorer = (windows: Int32Array, width: number, targets: Int32Array, rows: Int32Array) => Promise<Float32Array>;

/** One scored character: the window it is read in and the ids it competes with. */
interface Position {
  readonly item: number;
  readonly target: number;
  /** Index of its group (window × competitor set) in the batch. */
  readonly group: number;
}

/** Reranks with the character window model. */
export class CharModelReranker implements Reranker {
  readonly candidates: number;
  readonly vocabulary: CharVocabulary;
  /** Weight of the model cost against the decoder cost. */
  weight: number;

  constructor(
    readonly metadata: StoredCharModelMetadata,
    private readonly scorer: WindowScorer,
    private readonly release: () => Promise<void> = async () => {},
  ) {
    this.vocabulary = new CharVocabulary(metadata.vocabulary);
    this.candidates = metadata.candidates;
    this.weight = metadata.weight;
  }

  async rerank(items: readonly RerankItem[], context: string): Promise<number[]> {
    if (items.length < 2 || this.weight === 0) return items.map((_, i) => i);
    const costs = await this.modelCosts(items, context);
    return orderByCost(items.map((it, i) => it.cost + this.weight * costs[i]!));
  }

  /** The model's cost (nats) of each item. */
  async modelCosts(items: readonly RerankItem[], context: string): Promise<Float64Array> {
    const { left, right } = this.metadata;
    const width = left + right;
    const before = trailingClause(context, left).map((ch) => this.vocabulary.id(ch));
    const windowRows = new Map<string, number>();
    const windows: number[] = [];
    const groups = new Map<string, number>();
    const groupSets: Int32Array[] = [];
    const groupRows: number[] = [];
    const positions: Position[] = [];
    const costs = new Float64Array(items.length);
    const scratch = new Int32Array(width);
    items.forEach((item, index) => {
      const { ids, readings } = this.vocabulary.encodeWords(item.words);
      for (let i = 0; i < ids.length; i++) {
        const reading = readings[i];
        if (reading === undefined) continue;
        const target = ids[i]!;
        if (target === UNKNOWN_ID) {
          costs[index]! += Math.log(this.vocabulary.competitors(reading).length + 1);
          continue;
        }
        const set = this.vocabulary.scoredSet(reading, target);
        if (!set) continue;
        writeWindow(ids, i, left, right, before, scratch, 0);
        const windowKey = scratch.join(',');
        let row = windowRows.get(windowKey);
        if (row === undefined) {
          row = windowRows.size;
          windowRows.set(windowKey, row);
          windows.push(...scratch);
        }
        // A set is fixed by its reading, its length and its first id (the target when added).
        const groupKey = `${row}:${reading}:${set.length}:${set[0]}`;
        let group = groups.get(groupKey);
        if (group === undefined) {
          group = groupSets.length;
          groups.set(groupKey, group);
          groupSets.push(set);
          groupRows.push(row);
        }
        positions.push({ item: index, target, group });
      }
    });
    if (positions.length === 0) return costs;
    const total = groupSets.reduce((n, s) => n + s.length, 0);
    const targets = new Int32Array(total);
    const rows = new Int32Array(total);
    const offsets = new Int32Array(groupSets.length + 1);
    groupSets.forEach((set, g) => {
      targets.set(set, offsets[g]!);
      rows.fill(groupRows[g]!, offsets[g]!, offsets[g]! + set.length);
      offsets[g + 1] = offsets[g]! + set.length;
    });
    const scores = await this.scorer(Int32Array.from(windows), width, targets, rows);
    const logZ = groupSets.map((_, g) => logSumExp(scores, offsets[g]!, offsets[g + 1]!));
    for (const p of positions) {
      const from = offsets[p.group]!;
      const at = targets.subarray(from, offsets[p.group + 1]!).indexOf(p.target);
      costs[p.item]! += logZ[p.group]! - scores[from + at]!;
    }
    return costs;
  }

  dispose(): Promise<void> {
    return this.release();
  }
}

function logSumExp(x: Float32Array, from: number, to: number): number {
  let max = -Infinity;
  for (let i = from; i < to; i++) if (x[i]! > max) max = x[i]!;
  let sum = 0;
  for (let i = from; i < to; i++) sum += Math.exp(x[i]! - max);
  return max + Math.log(sum);
}
