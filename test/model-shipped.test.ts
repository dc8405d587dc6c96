import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CharModelReranker } from '../src/model/char-reranker.ts';
import { loadOnnxReranker } from '../src/model/onnx.ts';
import type { RerankItem } from '../src/model/reranker.ts';
import { ROOT } from '../scripts/lib/node-engine.ts';

const PATH = `${ROOT}models/reranker.onnx`;
let model: CharModelReranker;
beforeAll(async () => {
  model = await loadOnnxReranker(readFileSync(PATH), { name: 'models/reranker.onnx' });
});
afterAll(() => model?.dispose());

const item = (text: string, reading: string): RerankItem => ({ text, cost: 0, words: [{ text, reading }] });

describe('the shipped reranker model (models/reranker.onnx)', () => {
  it('fits the budget and says how it is combined', () => {
    expect(statSync(PATH).size).toBeLessThanOrEqual(8 * 1024 * 1024);
    expect(model.candidates).toBeGreaterThanOrEqual(8);
    expect(model.weight).toBeGreaterThan(0);
    expect(model.vocabulary.size).toBeGreaterThan(3000);
  });

  // Sentences written for this test (not from the dev sets): the right text against a
  // homophone slip the model should find less likely.
  it.each([
    ['我们沿着河流走', '我们沿着河六走', "wo'men'yan'zhe'he'liu'zou"],
    ['这个经济区发展很快', '这个经济去发展很快', "zhe'ge'jing'ji'qu'fa'zhan'hen'kuai"],
    ['房间很干净', '房间很赶紧', "fang'jian'hen'gan'jing"],
    ['服务态度很好', '服务太度很好', "fu'wu'tai'du'hen'hao"],
    ['价格比较便宜', '价格比较变异', "jia'ge'bi'jiao'bian'yi"],
  ])('prefers %s to %s', async (right, wrong, reading) => {
    const [a, b] = await model.modelCosts([item(right, reading), item(wrong, reading)], '');
    expect(a).toBeLessThan(b!);
  });
});
