import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine, type EngineData } from '../src/engine/engine.ts';
import type { Session } from '../src/engine/session.ts';
import { loadEngineData } from '../src/engine/load.ts';
import { readAssets, ROOT } from '../scripts/lib/node-engine.ts';
import { learnClause } from '../scripts/lib/learn-from.ts';
import { attachHistory } from '../src/user/attach-history.ts';
import type { UserControls } from '../src/user/controls.ts';
import { HistoryStore } from '../src/user/store.ts';
import { UserLearning } from '../src/user/user-learning.ts';
import { ImeErrorCode, isImeError } from '../src/util/errors.ts';
import { codeOf } from './lib/error-code.ts';
import type { NGramModel } from '../src/lm/ngram-model.ts';
import type { ScoreOut } from '../src/lm/language-model.ts';

let data: EngineData;
beforeAll(() => {
  data = loadEngineData(readAssets());
});

interface Setup {
  engine: Engine;
  learning: UserLearning;
  controls: UserControls;
  session: Session;
}

function setup(store?: (learning: UserLearning) => HistoryStore): Setup {
  const learning = new UserLearning(data.lexicon);
  const engine = createEngine(data, { ...learning.engineOptions });
  const controls = attachHistory(engine, learning, store?.(learning));
  return { engine, learning, controls, session: engine.createSession() };
}

function top(session: Session, pinyin: string): string | undefined {
  session.reset();
  session.type(pinyin);
  const text = session.candidates()[0]?.text;
  session.reset();
  return text;
}

/** Types `pinyin` and picks, one after the other, the candidates with these texts. */
function pick(session: Session, pinyin: string, ...texts: string[]): string | undefined {
  session.reset();
  session.type(pinyin);
  let committed: string | undefined;
  for (const t of texts) {
    const i = session.candidates().findIndex((c) => c.text === t);
    expect(i, `candidate ${t}`).toBeGreaterThanOrEqual(0);
    committed = session.select(i);
  }
  return committed;
}

describe('learning from commits (real lexicon and model)', () => {
  it('misuse throws ImeError INVALID_ARGUMENT, the one error type of the engine', () => {
    const learning = new UserLearning(data.lexicon);
    // attachHistory before the engine was built with learning.engineOptions.
    expect(codeOf(() => attachHistory(createEngine(data), learning))).toBe(ImeErrorCode.InvalidArgument);
    learning.wrap(data.model);
    const other = { ...data.model, score: data.model.score.bind(data.model), endCost: data.model.endCost.bind(data.model) };
    expect(codeOf(() => learning.wrap(other))).toBe(ImeErrorCode.InvalidArgument);
    expect(codeOf(() => new UserLearning(data.lexicon, { history: { halfLife: 0 } }))).toBe(ImeErrorCode.InvalidArgument);
    expect(codeOf(() => new UserLearning(data.lexicon, { model: { pairWeight: -1 } }).wrap(data.model))).toBe(ImeErrorCode.InvalidArgument);
  });

  it('over a base model without unigram costs, the context-free cost falls back to the sentence-start cost', () => {
    const learning = new UserLearning(data.lexicon);
    const base = data.model as NGramModel;
    const withoutUnigrams = {
      beginState: base.beginState,
      vocabularySize: base.vocabularySize,
      score: (state: number, word: number, out: ScoreOut) => base.score(state, word, out),
      endCost: (state: number) => base.endCost(state),
      lastWord: (state: number) => base.lastWord(state),
    };
    const m = learning.wrap(withoutUnigrams);
    const out = { state: 0, cost: 0 };
    for (const w of [100, 5_000, 20_000]) {
      m.score(m.beginState, w, out);
      expect(m.unigramCost(w)).toBe(out.cost);
      expect(new UserLearning(data.lexicon).wrap(base).unigramCost(w)).toBe(base.unigramCost(w));
    }
  });

  it('a character picked for one syllable typed alone comes first for that syllable next time', () => {
    const { session } = setup();
    expect(top(session, 'hao')).toBe('好');
    pick(session, 'hao', '号');
    pick(session, 'hao', '号');
    expect(top(session, 'hao')).toBe('号');
  });

  it('a character taken from a word (以词定字) is learned as that character', () => {
    const { session } = setup();
    expect(top(session, 'hao')).toBe('好');
    for (let i = 0; i < 2; i++) {
      session.type('haoma');
      const word = session.candidates().findIndex((c) => c.text === '号码');
      expect(word).toBeGreaterThanOrEqual(0);
      expect(session.selectCharacter(word, 'first')).toBe('号');
    }
    expect(top(session, 'hao')).toBe('号');
  });

  /** Teaches `n` commits of an unrelated word (the clock of the decay moves on). */
  function otherCommits(learning: UserLearning, n: number): void {
    for (let i = 0; i < n; i++) learning.history.add({ runs: [[{ text: '的', reading: 'de' }]] });
  }

  it('an accidental pick (我门 for women) is learned as one phrase and passes 我们 only while fresh', () => {
    const { session, learning, controls } = setup();
    expect(top(session, 'women')).toBe('我们');
    expect(pick(session, 'women', '我', '门')).toBe('我门');
    // Stored as the phrase, not as 我 and 门 and a pair between them.
    expect(controls.entries().map((e) => e.text)).toEqual(['我门']);
    expect([...learning.history.pairs()].map((p) => `${p.prev}>${p.next}`)).toEqual(['>我门']);
    expect(top(session, 'women')).toBe('我门');
    otherCommits(learning, 3000);
    expect(top(session, 'women')).toBe('我们');
  });

  it('a phrase picked again and again is promoted: it stays first when no longer fresh', () => {
    const { session, learning } = setup();
    pick(session, 'women', '我', '门');
    otherCommits(learning, 300);
    expect(top(session, 'women')).toBe('我们');
    for (let i = 0; i < 5; i++) pick(session, 'women', '我', '门');
    otherCommits(learning, 300);
    expect(top(session, 'women')).toBe('我门');
  });

  it('forgetting a phrase removes everything its pick taught', () => {
    const { session, learning, controls } = setup();
    pick(session, 'women', '我', '门');
    expect(controls.forget('我门')).toBe(true);
    expect(learning.history.unitCount).toBe(0);
    expect(learning.history.pairCount).toBe(0);
    expect(top(session, 'women')).toBe('我们');
  });

  it('a phrase built from single characters becomes a word of its own and ranks first', () => {
    const { session, learning } = setup();
    expect(top(session, 'liyanling')).not.toBe('李延龄');
    expect(pick(session, 'liyanling', '李', '延', '龄')).toBe('李延龄');
    expect(learning.words.size).toBe(1);
    expect(top(session, 'liyanling')).toBe('李延龄');
    // The phrase is a word: it is offered as a word candidate inside longer input too.
    session.type('liyanlingshuo');
    expect(session.candidates().some((c) => c.kind === 'word' && c.text === '李延龄')).toBe(true);
    expect(session.candidates()[0]!.text.startsWith('李延龄')).toBe(true);
  });

  it('a sentence built from picks (the best one was wrong) ranks first next time', () => {
    const { session } = setup();
    const first = top(session, 'tamenqulechaoshi');
    expect(first).not.toBe('她们去了超市');
    expect(pick(session, 'tamenqulechaoshi', '她们', '去了超市')).toBe('她们去了超市');
    expect(top(session, 'tamenqulechaoshi')).toBe('她们去了超市');
  });

  it('still ranks first after hundreds of other commits', () => {
    const { session, learning } = setup();
    pick(session, 'liyanling', '李', '延', '龄');
    const lines = readFileSync(`${ROOT}../shared/eval/dev-chat.tsv`, 'utf8').split('\n').slice(0, 300);
    for (const line of lines) {
      const [pinyin, gold, syl] = line.split('\t');
      if (pinyin && gold && syl) learnClause(session, learning.learner, pinyin, gold, syl.split("'"));
    }
    expect(learning.history.tick).toBeGreaterThan(290);
    expect(top(session, 'liyanling')).toBe('李延龄');
  });

  it('learning a dev-chat clause through the keyboard path makes it the top conversion', () => {
    const { session, learning } = setup();
    const lines = readFileSync(`${ROOT}../shared/eval/dev-chat.tsv`, 'utf8').split('\n');
    let tried = 0;
    for (const line of lines) {
      const [pinyin, gold, syl] = line.split('\t');
      if (!pinyin || !gold || !syl || top(session, pinyin) === gold) continue;
      expect(learnClause(session, learning.learner, pinyin, gold, syl.split("'"))).not.toBe('skipped');
      expect(top(session, pinyin)).toBe(gold);
      if (++tried === 5) break;
    }
    expect(tried).toBe(5);
  });

  it('predicts the word the user typed next last time', () => {
    const { session, engine } = setup();
    const words: string[] = [];
    const off = engine.onCommit((r) => words.push(...r.pieces.flatMap((p) => p.words.map((w) => w.text))));
    pick(session, 'tamenqulechaoshi', '她们', '去了超市');
    off();
    expect(words[0]).toBe('她们');
    pick(session, 'tamen', '她们');
    expect(session.predictions(5)[0]).toMatchObject({ text: words[1], source: 'user' });
    const fresh = setup().session;
    pick(fresh, 'tamen', '她们');
    expect(fresh.predictions(5).some((p) => p.source === 'user')).toBe(false);
  });

  it('a learned pair lowers the cost of its second word after its first', () => {
    const { engine, session, learning } = setup();
    expect(engine.baseModel.lastWord).toBeTypeOf('function');
    pick(session, 'tamenqulechaoshi', '她们', '去了超市');
    const [first, second] = [...learning.history.pairs()].filter((p) => p.prev !== '').map((p) => [p.prev, p.next])[0]!;
    const id = (t: string) => learning.model!.idOf(t)!;
    const m = engine.model;
    const out = { state: 0, cost: 0 };
    m.score(m.beginState, id(first!), out);
    m.score(out.state, id(second!), out);
    const afterFirst = out.cost;
    const base = engine.baseModel;
    base.score(base.beginState, id(first!), out);
    base.score(out.state, id(second!), out);
    expect(afterFirst).toBeLessThan(out.cost - 1);
  });

  it('words never committed keep exactly the base cost', () => {
    const { engine, learning, session } = setup();
    pick(session, 'liyanling', '李', '延', '龄');
    pick(session, 'tamenqulechaoshi', '她们', '去了超市');
    const base = engine.baseModel;
    const model = engine.model;
    const out = { state: 0, cost: 0 };
    const baseOut = { state: 0, cost: 0 };
    let compared = 0;
    for (let w = 1000; w < 200000; w += 997) {
      if (learning.history.unit(data.lexicon.text(w))) continue;
      model.score(model.beginState, w, out);
      base.score(base.beginState, w, baseOut);
      expect(out.cost).toBe(baseOut.cost);
      compared++;
    }
    expect(compared).toBeGreaterThan(150);
  });

  it('forget removes a wrongly learned phrase', () => {
    const { session, controls, learning } = setup();
    const before = top(session, 'liyanling');
    pick(session, 'liyanling', '李', '延', '龄');
    expect(top(session, 'liyanling')).toBe('李延龄');
    expect(controls.entries().find((e) => e.text === '李延龄')).toMatchObject({ phrase: true, reading: "li'yan'ling" });
    expect(controls.forget('李延龄')).toBe(true);
    expect(learning.words.size).toBe(0);
    expect(top(session, 'liyanling')).toBe(before);
    session.type('liyanling');
    expect(session.candidates().some((c) => c.text === '李延龄' && c.kind === 'word')).toBe(false);
  });

  it('incognito learns nothing', () => {
    const { session, controls, learning } = setup();
    controls.incognito = true;
    pick(session, 'liyanling', '李', '延', '龄');
    pick(session, 'tamenqulechaoshi', '她们', '去了超市');
    expect(learning.history.unitCount + learning.history.pairCount).toBe(0);
    expect(top(session, 'liyanling')).not.toBe('李延龄');
    controls.incognito = false;
    pick(session, 'liyanling', '李', '延', '龄');
    expect(top(session, 'liyanling')).toBe('李延龄');
  });

  it('incognito writes nothing to storage either', async () => {
    const { engine, learning, session, controls: memoryOnly } = setup();
    memoryOnly.detach();
    const store = await HistoryStore.open(learning.history, { name: `test-incognito-${process.pid}` });
    try {
      const controls = attachHistory(engine, learning, store);
      controls.incognito = true;
      pick(session, 'liyanling', '李', '延', '龄');
      expect(store.pending).toBe(false);
      await controls.flush();
      expect(store.writeCount).toBe(0);
      controls.incognito = false;
      pick(session, 'liyanling', '李', '延', '龄');
      expect(store.pending).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('export and import carry the learning to a fresh engine; bad files are refused', async () => {
    const a = setup();
    pick(a.session, 'liyanling', '李', '延', '龄');
    pick(a.session, 'tamenqulechaoshi', '她们', '去了超市');
    const json = a.controls.exportJson();
    const b = setup();
    expect(top(b.session, 'liyanling')).not.toBe('李延龄');
    const result = await b.controls.importJson(json);
    expect(result.skipped).toBe(0);
    expect(result.units).toBe(a.learning.history.unitCount);
    expect(top(b.session, 'liyanling')).toBe('李延龄');
    expect(top(b.session, 'tamenqulechaoshi')).toBe('她们去了超市');
    // Importing twice changes nothing.
    const once = b.controls.exportJson();
    await b.controls.importJson(json);
    expect(b.controls.exportJson()).toBe(once);
    for (const bad of ['not json', '[]', '{"format":"other"}', JSON.stringify({ ...JSON.parse(json), version: 99 })]) {
      let error: unknown;
      try {
        await b.controls.importJson(bad);
      } catch (e) {
        error = e;
      }
      expect(isImeError(error, 'INVALID_ARGUMENT')).toBe(true);
    }
    expect(b.controls.exportJson()).toBe(once);
  });

  it('clear forgets everything', async () => {
    const { session, controls, learning } = setup();
    const before = top(session, 'liyanling');
    pick(session, 'liyanling', '李', '延', '龄');
    await controls.clear();
    expect(learning.history.unitCount).toBe(0);
    expect(learning.words.size).toBe(0);
    expect(top(session, 'liyanling')).toBe(before);
  });

  it('survives a reload: commit, close, reopen in a new engine, learned phrase first', async () => {
    const name = `test-learning-${process.pid}`;
    const first = setup();
    const store = await HistoryStore.open(first.learning.history, { name });
    const controls = attachHistory(first.engine, first.learning, store);
    first.controls.detach();
    pick(first.session, 'liyanling', '李', '延', '龄');
    await controls.flush();
    await store.close();

    const learning = new UserLearning(data.lexicon);
    const engine = createEngine(data, { ...learning.engineOptions });
    const reopened = await HistoryStore.open(learning.history, { name });
    attachHistory(engine, learning, reopened);
    try {
      expect(reopened.persistent).toBe(true);
      expect(top(engine.createSession(), 'liyanling')).toBe('李延龄');
    } finally {
      await reopened.close();
    }
  });
});
