import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOnnxReranker } from '../src/model/onnx.ts';
import type { SentenceReranker } from '../src/model/sentence-reranker.ts';
import { loadNodeEngine, ROOT } from '../scripts/lib/node-engine.ts';

const PATH = `${ROOT}models/reranker.onnx`;
let model: SentenceReranker;
beforeAll(async () => {
  model = await loadOnnxReranker(readFileSync(PATH), { name: 'models/reranker.onnx' });
});
afterAll(() => model?.dispose());

describe('the shipped reranker model (models/reranker.onnx)', () => {
  it('fits the 4 MB budget and says how it is combined', () => {
    expect(statSync(PATH).size).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(model.candidates).toBeGreaterThanOrEqual(10);
    expect(model.scale).toBeGreaterThan(0);
    expect(model.metadata.chars.length).toBeGreaterThan(3000);
  });

  // The model earns its place where it is used: on conversational clauses (the first 300 of
  // dev-dialogue, typed as whole inputs) the engine with it gets more sentences right.
  it('raises sentence top-1 over the engine alone on dev-dialogue clauses', async () => {
    const engine = loadNodeEngine();
    const lines = readFileSync(`${ROOT}../shared/eval/dev-dialogue.tsv`, 'utf8').split('\n').filter((l) => l.includes('\t')).slice(0, 300);
    let plain = 0;
    let ranked = 0;
    const session = engine.createSession();
    for (const line of lines) {
      const [pinyin = '', gold = ''] = line.split('\t');
      session.reset();
      session.type(pinyin);
      if (session.sentenceCandidates()[0]?.text === gold) plain++;
      const list = await session.rankedCandidates(model);
      if (list[0]?.text === gold) ranked++;
    }
    expect(ranked).toBeGreaterThan(plain);
  });
});
