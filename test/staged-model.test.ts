/**
 * Staged loading of the language model: the small first model (models/ngram-first.bin)
 * answers until the full one (models/ngram.bin) has arrived and replaced it. Checked on the
 * shipped files, through NGramModel.replaceWith and through the engine host as a worker runs it.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAssets, ROOT } from '../scripts/lib/node-engine.ts';
import { NGramModel } from '../src/lm/ngram-model.ts';
import { writeNGram } from '../src/lm/ngram-writer.ts';
import { createEngineHost } from '../src/worker/engine-host.ts';
import type { FetchFunction } from '../src/engine/assets.ts';
import { ImeErrorCode } from '../src/util/errors.ts';

const FIRST_PATH = `${ROOT}models/ngram-first.bin`;
let assets: ReturnType<typeof readAssets>;
let firstBytes: Uint8Array;
beforeAll(() => {
  assets = readAssets();
  firstBytes = readFileSync(FIRST_PATH);
});

/** Dev-style clauses whose best conversion differs between the two models somewhere. */
const CLAUSES = ['wozaiganma', 'jintiantianqizhenbucuo', 'womenyiqiquchifanba', 'zhegejiudiandefuwutaichale', 'nimenzhoumoyoukongma'];

describe('NGramModel.replaceWith', () => {
  it('scores as the first model, then exactly as the full model once replaced, and bumps its revision', () => {
    const staged = NGramModel.fromBytes(firstBytes);
    const first = NGramModel.fromBytes(firstBytes);
    const full = NGramModel.fromBytes(assets.model);
    expect(first.meta.bigrams).toBeLessThan(full.meta.bigrams);
    const out = { state: 0, cost: 0 };
    const want = { state: 0, cost: 0 };
    /** Scores a few hundred words after the sentence start and after two-word histories of `m`. */
    const differences = (m: NGramModel) => {
      let differ = 0;
      for (let w = 1; w < 3000; w += 7) {
        staged.score(staged.beginState, w, out);
        m.score(m.beginState, w, want);
        if (out.cost !== want.cost || out.state !== want.state) differ++;
        staged.score(out.state, 1 + (w % 50), out);
        m.score(want.state, 1 + (w % 50), want);
        if (out.cost !== want.cost || out.state !== want.state) differ++;
      }
      return differ;
    };
    expect(staged.revision).toBe(0);
    expect(differences(first)).toBe(0);
    expect(differences(full)).toBeGreaterThan(0);
    staged.replaceWith(full);
    expect(staged.revision).toBe(1);
    expect(staged.meta.bigrams).toBe(full.meta.bigrams);
    expect(differences(full)).toBe(0);
    expect(staged.successors(staged.beginState, 20)).toEqual(full.successors(full.beginState, 20));
  });

  it('refuses a model over other words and keeps its own tables', () => {
    const staged = NGramModel.fromBytes(firstBytes);
    const bigrams = staged.meta.bigrams;
    const other = NGramModel.fromBytes(
      writeNGram({
        unigramCost: Float32Array.of(3, 2, 2, 2),
        unigramBackoff: new Float32Array(4),
        bigramW1: new Uint32Array(0),
        bigramW2: new Uint32Array(0),
        bigramCost: new Float32Array(0),
        bigramBackoff: new Float32Array(0),
        trigramW1: new Uint32Array(0),
        trigramW2: new Uint32Array(0),
        trigramW3: new Uint32Array(0),
        trigramCost: new Float32Array(0),
        boundaryId: 0,
        source: 'test',
      }),
    );
    expect(() => staged.replaceWith(other)).toThrow(expect.objectContaining({ code: ImeErrorCode.InvalidArgument }));
    expect(staged.meta.bigrams).toBe(bigrams);
    expect(staged.revision).toBe(0);
  });
});

/** A fetch serving the full model only once `release` is called (the download "takes time"). */
function gatedFetch(body: Uint8Array | undefined) {
  const urls: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const fetch: FetchFunction = async (url) => {
    urls.push(url);
    await gate;
    return body ? new Response(body.slice()) : new Response('gone', { status: 404 });
  };
  return { fetch, urls, release };
}

describe('engine host with a staged language model', () => {
  /** A staged init; the user history (in memory) is on, so the decoder scores through the user model. */
  const init = () => ({
    lexicon: assets.lexicon.slice(),
    firstModel: firstBytes.slice(),
    modelUrl: 'https://ime.example/data/ngram.bin',
    history: { persist: false },
  });

  it('answers on the first model, fetches the full one only after the first answer, then decodes exactly as the full model', async () => {
    const net = gatedFetch(assets.model);
    const host = createEngineHost({ base: 'https://ime.example/', fetch: net.fetch, yieldBeforeDecoding: false, backgroundAfterAnswerMs: 60 });
    await host.init(init());
    expect(net.urls).toEqual([]);
    let settled = false;
    const status = host.fullModelStatus().then((s) => ((settled = true), s));
    const early = await host.type(1, 'nihao');
    expect(early.candidates[0]!.text).toBe('你好');
    // Not at once: the page paints the first answer before the download starts.
    expect(net.urls).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(net.urls).toEqual(['https://ime.example/data/ngram.bin']);
    expect(settled).toBe(false);

    // Half of each clause typed on the first model (one box each), the rest after the full one
    // took over: the candidates must be those of an engine that had the full model all along
    // (the decoder drops the lattice the first model scored).
    const plain = createEngineHost({ yieldBeforeDecoding: false });
    await plain.init({ lexicon: assets.lexicon.slice(), model: assets.model.slice(), history: { persist: false } });
    let seq = 1;
    const half = (c: string) => Math.ceil(c.length / 2);
    for (const [i, clause] of CLAUSES.entries()) await host.type({ seq: ++seq, session: i + 1 }, clause.slice(0, half(clause)));
    net.release();
    expect(await status).toEqual({ state: 'ready' });
    for (const [i, clause] of CLAUSES.entries()) {
      const after = await host.type({ seq: ++seq, session: i + 1 }, clause.slice(half(clause)));
      expect(after.fullModel).toEqual(i === 0 ? { state: 'ready' } : undefined);
      const want = await plain.type({ seq: ++seq, session: i + 1 }, clause);
      expect(after.candidates.map((c) => c.text)).toEqual(want.candidates.map((c) => c.text));
    }
    for (const clause of CLAUSES) {
      await host.reset(++seq);
      await plain.reset(++seq);
      const got = await host.type(++seq, clause);
      expect(got.fullModel).toBeUndefined();
      expect(got.candidates.map((c) => c.text)).toEqual((await plain.type(++seq, clause)).candidates.map((c) => c.text));
    }
  });

  it('the full model changes what the first one would have said on some clause', async () => {
    const first = createEngineHost({ yieldBeforeDecoding: false });
    await first.init({ lexicon: assets.lexicon.slice(), model: firstBytes.slice(), history: { enabled: false } });
    const full = createEngineHost({ yieldBeforeDecoding: false });
    await full.init({ lexicon: assets.lexicon.slice(), model: assets.model.slice(), history: { enabled: false } });
    let differ = 0;
    let seq = 0;
    for (const clause of CLAUSES) {
      await first.reset(++seq);
      await full.reset(++seq);
      const a = (await first.type(++seq, clause)).candidates.map((c) => c.text).join();
      const b = (await full.type(++seq, clause)).candidates.map((c) => c.text).join();
      if (a !== b) differ++;
    }
    expect(differ).toBeGreaterThan(0);
  });

  it('left alone after init (nothing typed), the host loads the full model anyway after a while', async () => {
    const net = gatedFetch(assets.model);
    net.release();
    const host = createEngineHost({ base: 'https://ime.example/', fetch: net.fetch, yieldBeforeDecoding: false, backgroundIdleMs: 30 });
    await host.init(init());
    expect(net.urls).toEqual([]);
    expect(await host.fullModelStatus()).toEqual({ state: 'ready' });
    expect(net.urls).toEqual(['https://ime.example/data/ngram.bin']);
    const state = await host.type(1, 'nihao');
    expect(state.fullModel).toEqual({ state: 'ready' });
    expect(state.candidates[0]!.text).toBe('你好');
  });

  it('a full model that cannot be fetched leaves the first one answering, and says so once', async () => {
    const net = gatedFetch(undefined);
    const host = createEngineHost({ base: 'https://ime.example/', fetch: net.fetch, yieldBeforeDecoding: false });
    await host.init(init());
    expect((await host.type(1, 'nihao')).candidates[0]!.text).toBe('你好');
    await new Promise((resolve) => setTimeout(resolve, 10));
    net.release();
    expect(await host.fullModelStatus()).toMatchObject({ state: 'failed', message: expect.stringContaining('HTTP 404') });
    const next = await host.type(2, 'a');
    expect(next.fullModel).toMatchObject({ state: 'failed' });
    expect(next.candidates.length).toBeGreaterThan(0);
    expect((await host.type(3, 'a')).fullModel).toBeUndefined();
  });

  it('a damaged full model is refused the same way, and learned history keeps working', async () => {
    const damaged = assets.model.slice();
    damaged[damaged.length - 100]! ^= 0xff;
    const net = gatedFetch(damaged);
    const host = createEngineHost({ base: 'https://ime.example/', fetch: net.fetch, yieldBeforeDecoding: false });
    await host.init(init());
    await host.type(1, 'nihao');
    net.release();
    expect(await host.fullModelStatus()).toMatchObject({ state: 'failed', message: expect.stringMatching(/ngram\.bin/) });
    expect((await host.commit(2)).committed).toBe('你好');
    expect((await host.type(3, 'nihao')).candidates[0]!.text).toBe('你好');
  });

  it('a first model without a full one is refused at init', async () => {
    const host = createEngineHost();
    await expect(host.init({ lexicon: assets.lexicon.slice(), firstModel: firstBytes.slice() })).rejects.toMatchObject({
      code: ImeErrorCode.InvalidArgument,
    });
  });
});
