import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createEngineClient, type EngineClient } from '../src/worker/client.ts';
import { createEngineHost } from '../src/worker/engine-host.ts';
import type { CompositionState, EngineInit } from '../src/worker/protocol.ts';
import { ImeErrorCode, isImeError } from '../src/util/errors.ts';
import { readAssets, ROOT } from '../scripts/lib/node-engine.ts';
import { createEngine } from '../src/engine/engine.ts';
import { loadEngineData } from '../src/engine/load.ts';

/** Fresh copies of the shipped data, each in a buffer of its own (so they can be moved). */
function dataInit(): EngineInit {
  const a = readAssets();
  return { lexicon: new Uint8Array(a.lexicon), model: new Uint8Array(a.model) };
}

function nodeWorker() {
  const w = new Worker(new URL('./worker-thread-entry.mjs', import.meta.url));
  return Object.assign(nodeEndpoint(w), {
    terminate: () => void w.terminate(),
    onFailure: (listener: (message: string) => void) => void w.on('error', (e) => listener(String(e))),
  });
}

/** What the same input gives on this thread, for comparison. */
function localCandidates(keys: string): string[] {
  const session = createEngine(loadEngineData(readAssets())).createSession();
  session.type(keys);
  return session.candidates().map((c) => c.text);
}

describe('engine client in a worker thread', () => {
  let client: EngineClient;
  let init: EngineInit;
  beforeAll(async () => {
    init = dataInit();
    client = await createEngineClient({ init, worker: nodeWorker });
  });
  afterAll(() => client?.close());

  it('runs in the worker, and the data bytes were moved there, not copied', () => {
    expect(client.inWorker).toBe(true);
    expect(init.lexicon!.byteLength).toBe(0);
    expect(init.model!.byteLength).toBe(0);
  });

  it('answers like the engine on this thread', async () => {
    await client.reset();
    const state = await client.type('woaibeijing');
    expect(state.superseded).toBeUndefined();
    expect(state.rawInput).toBe('woaibeijing');
    expect(state.candidates.map((c) => c.text)).toEqual(localCandidates('woaibeijing'));
    expect(state.candidates[0]).toMatchObject({ text: '我爱北京', kind: 'sentence', length: 11 });
    const done = await client.commit();
    expect(done.committed).toBe('我爱北京');
    expect(done.rawInput).toBe('');
  });

  it('keys sent faster than answers: the newest answer is complete, none older overwrites it', async () => {
    await client.reset();
    const pending = [...'nihaoshijie'].map((k) => client.type(k));
    const states = await Promise.all(pending);
    const last = states[states.length - 1]!;
    expect(last.superseded).toBeUndefined();
    expect(last.rawInput).toBe('nihaoshijie');
    expect(last.candidates[0]?.text).toBe(localCandidates('nihaoshijie')[0]);
    const painted = states.filter((s) => !s.superseded).map((s) => s.seq);
    expect(painted).toEqual([...painted].sort((a, b) => a - b));
    for (const s of states.filter((s) => s.superseded)) expect(s.candidates).toEqual([]);
  });

  it('errors cross as typed ImeErrors', async () => {
    const bad = { lexicon: new Uint8Array([1, 2, 3, 4]), model: dataInit().model };
    const error = await createEngineClient({ init: bad, worker: nodeWorker }).catch((e: unknown) => e);
    expect(isImeError(error)).toBe(true);
    expect((error as { code: string }).code).toMatch(/^DATA_/);
    const refused = await createEngineClient({ init: { lexiconUrl: 'https://elsewhere.example/x', modelUrl: 'y' }, worker: nodeWorker }).catch((e: unknown) => e);
    expect(isImeError(refused, ImeErrorCode.AssetRefused)).toBe(true);
  });
});

describe('engine client without workers', () => {
  it('falls back to the main thread with the same interface', async () => {
    // Node has no global Worker: the default is the main thread.
    expect(typeof (globalThis as { Worker?: unknown }).Worker).toBe('undefined');
    const client = await createEngineClient({ init: dataInit() });
    expect(client.inWorker).toBe(false);
    const state = await client.type('nihao');
    expect(state.candidates.map((c) => c.text)).toEqual(localCandidates('nihao'));
    expect((await client.select(0)).committed).toBe(state.candidates[0]!.text);
  });

  it('after close() every request rejects with ENGINE_UNAVAILABLE, as documented', async () => {
    const client = await createEngineClient({ init: dataInit(), worker: null });
    await client.type('ni');
    await client.close();
    const requests: (() => Promise<unknown>)[] = [
      () => client.type('hao'),
      () => client.commit(),
      () => client.openSession().type('a'),
      () => client.setOptions({ typoTolerance: true }),
      () => client.setIncognito(true),
      () => client.historyStatus(),
      () => client.exportHistory(),
      () => client.flushHistory(),
    ];
    for (const request of requests) {
      const error = await request().then(
        () => 'answered',
        (e: unknown) => e,
      );
      expect(isImeError(error, ImeErrorCode.EngineUnavailable), String(request)).toBe(true);
    }
  });
});

describe('engine host', () => {
  it('requests before init fail with INVALID_ARGUMENT', async () => {
    const host = createEngineHost();
    await expect(host.type(1, 'a')).rejects.toMatchObject({ code: ImeErrorCode.InvalidArgument });
  });

  it('applies every key in order but decodes only the newest, keeping committed text', async () => {
    const host = createEngineHost();
    await host.init(dataInit());
    // Not awaited one by one: all arrive before the first answer is computed.
    const pending: Promise<CompositionState>[] = [
      host.type(1, 'ni'),
      host.type(2, 'hao'),
      host.commit(3),
      host.type(4, 'shi'),
      host.type(5, 'jie'),
    ];
    const states = await Promise.all(pending);
    expect(states.slice(0, 4).every((s) => s.superseded === true && s.candidates.length === 0)).toBe(true);
    expect(states[2]!.committed).toBe(localCandidates('nihao')[0]);
    expect(states[4]!.superseded).toBeUndefined();
    expect(states[4]!.rawInput).toBe('shijie');
    expect(states[4]!.candidates[0]!.text).toBe(localCandidates('shijie')[0]);
  });

  it('bad arguments give harmless answers', async () => {
    const host = createEngineHost();
    await host.init(dataInit());
    expect((await host.select(1, 99)).committed).toBeUndefined();
    expect((await host.select(2, Number.NaN)).rawInput).toBe('');
    expect((await host.type(3, undefined as unknown as string)).rawInput).toBe('');
    expect((await host.backspace(4)).candidates).toEqual([]);
  });
});

describe('engine host with a reranking model', () => {
  it('without a reranker loader (the default worker), a model in the init rejects with MODEL_FAILED', async () => {
    const host = createEngineHost();
    await expect(host.init({ ...dataInit(), reranker: Uint8Array.of(1, 2, 3) })).rejects.toMatchObject({
      code: ImeErrorCode.ModelFailed,
      message: expect.stringContaining('hanzi-ime/reranker/worker'),
    });
  });

  it('loads the model in the background and answers with its order once it is ready', async () => {
    const { loadOnnxReranker } = await import('../src/model/onnx.ts');
    const { readFileSync } = await import('node:fs');
    const host = createEngineHost({ loadReranker: loadOnnxReranker });
    await host.init({ ...dataInit(), reranker: readFileSync(`${ROOT}models/reranker.onnx`) });
    // The engine answers at once, in the n-gram's order; the model loads after that answer.
    expect(host.reranker).toBeUndefined();
    let settled = false;
    const status = host.modelStatus().then((s) => ((settled = true), s));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    const early = await host.type(1, 'wozaiganma');
    expect(early.candidates.length).toBeGreaterThan(0);
    expect(await status).toEqual({ state: 'ready' });
    expect(host.reranker?.candidates).toBeGreaterThanOrEqual(10);
    const state = await host.type(2, 'ne');
    expect(state.model).toEqual({ state: 'ready' });
    const plain = host.engine!.createSession();
    plain.type('wozaiganmane');
    const ranked = await plain.rankedCandidates(host.reranker);
    expect(state.candidates.map((c) => c.text)).toEqual(ranked.map((c) => c.text));
    // Told once.
    expect((await host.type(3, 'a')).model).toBeUndefined();
    await host.reranker!.dispose();
  });

  it('a model that fails to load leaves the engine working without it, and says so once', async () => {
    const { loadOnnxReranker } = await import('../src/model/onnx.ts');
    const host = createEngineHost({ loadReranker: loadOnnxReranker });
    await host.init({ ...dataInit(), reranker: Uint8Array.of(1, 2, 3, 4) });
    const first = await host.type(1, 'nihao');
    expect(first.candidates[0]!.text).toBe('你好');
    expect(await host.modelStatus()).toMatchObject({ state: 'failed' });
    expect(host.reranker).toBeUndefined();
    const next = await host.type(2, 'a');
    expect(next.candidates.length).toBeGreaterThan(0);
    expect(next.model).toMatchObject({ state: 'failed', message: expect.stringContaining('not an ONNX model') });
    expect((await host.type(3, 'a')).model).toBeUndefined();
  });
});
