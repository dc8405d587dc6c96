import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../src/engine/engine.ts';
import type { CommitRecord } from '../src/engine/candidate.ts';
import type { PredictionSource } from '../src/engine/prediction.ts';
import type { NGramModel } from '../src/lm/ngram-model.ts';
import { loadNodeEngine } from '../scripts/lib/node-engine.ts';

let engine: Engine;
let model: NGramModel;
beforeAll(() => {
  engine = loadNodeEngine();
  model = engine.baseModel as NGramModel;
});

/** Model state after the words of the best conversion of `pinyin`. */
function stateAfter(pinyin: string): number {
  const s = engine.createSession();
  s.type(pinyin);
  const out = { state: 0, cost: 0 };
  let state = model.beginState;
  for (const w of s.candidates()[0]!.words) {
    model.score(state, w.word, out);
    state = out.state;
  }
  return state;
}

describe('n-gram successors', () => {
  it.each(['women', 'zhongguo', 'jintiande'])('lists the best continuations after %s, exactly scored', (pinyin) => {
    const state = stateAfter(pinyin);
    const got = model.successors(state, 10);
    expect(got.length).toBe(10);
    // Brute force: every word with an n-gram after this history, scored with score().
    const out = { state: 0, cost: 0 };
    const all: number[] = [];
    for (let w = 0; w < model.vocabularySize; w++) {
      if (w === model.beginState) continue;
      model.score(state, w, out);
      if (out.state >= model.vocabularySize) all.push(out.cost);
    }
    all.sort((a, b) => a - b);
    expect(got.map((g) => g.cost)).toEqual(all.slice(0, 10));
    for (const g of got) {
      model.score(state, g.word, out);
      expect(out.cost).toBeCloseTo(g.cost, 6);
    }
  });

  it('gives nothing for a bad state or limit', () => {
    expect(model.successors(-1, 5)).toEqual([]);
    expect(model.successors(1e12, 5)).toEqual([]);
    expect(model.successors(model.beginState, 0)).toEqual([]);
  });
});

describe('next-word prediction in a session', () => {
  it('offers words after a commit and none while typing', () => {
    const s = engine.createSession();
    expect(s.predictions()).toEqual([]);
    s.type('women');
    expect(s.predictions()).toEqual([]);
    expect(s.commit()).toBe('我们');
    const p = s.predictions(8);
    expect(p.length).toBe(8);
    for (const x of p) expect(x.text).toMatch(/\p{Script=Han}/u);
    expect(p.map((x) => x.cost)).toEqual([...p.map((x) => x.cost)].sort((a, b) => a - b));
    s.type('d');
    expect(s.predictions()).toEqual([]);
  });

  it('commits a picked prediction, tells listeners, and predicts on from it', () => {
    const seen: CommitRecord[] = [];
    const off = engine.onCommit((r) => seen.push(r));
    const s = engine.createSession();
    s.type('jintian');
    s.commit();
    const first = s.predictions();
    const picked = s.selectPrediction(0);
    off();
    expect(picked).toBe(first[0]!.text);
    expect(seen.map((r) => r.text)).toEqual(['今天', picked]);
    expect(s.predictions()).not.toEqual(first);
    expect(s.selectPrediction(99)).toBeUndefined();
  });

  it('forgets the context on a raw commit or when told', () => {
    const s = engine.createSession();
    s.type('women');
    s.commit();
    expect(s.predictions().length).toBeGreaterThan(0);
    s.clearContext();
    expect(s.predictions()).toEqual([]);
    s.type('women');
    s.commit();
    s.type('abc');
    s.commitRaw();
    expect(s.predictions()).toEqual([]);
  });

  it('merges extra sources by cost and survives a failing one', () => {
    const user: PredictionSource = {
      name: 'user',
      predict: (context) => (context.text.endsWith('我们') ? [{ text: '周末见', cost: 0.1 }] : []),
    };
    const broken: PredictionSource = {
      name: 'broken',
      predict: () => {
        throw new Error('storage gone');
      },
    };
    const e = createEngine({ lexicon: engine.lexicon, model: engine.baseModel }, { predictionSources: () => [broken, user] });
    const s = e.createSession();
    s.type('women');
    s.commit();
    const p = s.predictions(5);
    expect(p[0]).toMatchObject({ text: '周末见', source: 'user', word: -1 });
    expect(p.slice(1).every((x) => x.source === 'ngram')).toBe(true);
  });
});
