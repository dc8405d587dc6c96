/**
 * The engine client against a worker thread that stalls or dies (issue 16, defects 1 and 2):
 * a key the page gave up on is never applied twice (request ids, epochs and deadlines, the
 * worker drops what the page gave up on), and a dead worker is found and replaced.
 */
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { Endpoint } from 'comlink';
import { readAssets } from '../scripts/lib/node-engine.ts';
import { createEngineClient, type EngineClient, type EngineStatus, type WorkerEndpoint } from '../src/worker/client.ts';
import { createEngineHost } from '../src/worker/engine-host.ts';
import type { EngineInit } from '../src/worker/protocol.ts';
import { ImeErrorCode, isImeError } from '../src/util/errors.ts';

function dataInit(): EngineInit {
  const a = readAssets();
  return { lexicon: new Uint8Array(a.lexicon), model: new Uint8Array(a.model), history: { persist: false } };
}

/** A worker thread whose messages can be held up in either direction (a worker busy for a while). */
function stallableWorker() {
  const w = new Worker(new URL('./worker-thread-entry.mjs', import.meta.url));
  const ep = nodeEndpoint(w) as Endpoint;
  let toWorker: [unknown, Transferable[] | undefined][] | undefined;
  let fromWorker: Event[] | undefined;
  const listeners = new Map<EventListenerOrEventListenerObject, EventListenerOrEventListenerObject>();
  const endpoint: WorkerEndpoint = {
    postMessage: (message: unknown, transfer?: Transferable[]) => {
      if (toWorker) toWorker.push([message, transfer]);
      else ep.postMessage(message, transfer);
    },
    addEventListener: (type: string, listener: EventListenerOrEventListenerObject) => {
      const call = (e: Event) => (typeof listener === 'function' ? listener(e) : listener.handleEvent(e));
      const wrapped = (e: Event) => (fromWorker ? fromWorker.push(e) : call(e));
      listeners.set(listener, wrapped);
      ep.addEventListener(type, wrapped);
    },
    removeEventListener: (type: string, listener: EventListenerOrEventListenerObject) => {
      ep.removeEventListener(type, listeners.get(listener) ?? listener);
    },
    terminate: () => void w.terminate(),
  };
  const deliver = (held: Event[]) => {
    for (const e of held) for (const l of listeners.values()) (l as (e: Event) => void)(e);
  };
  return {
    endpoint,
    thread: w,
    /** Requests wait, as if the worker were busy before reading them. */
    holdRequests: () => (toWorker = []),
    /** Answers wait, as if the worker were busy after applying a request. */
    holdAnswers: () => (fromWorker = []),
    release: () => {
      const requests = toWorker ?? [];
      const answers = fromWorker ?? [];
      toWorker = fromWorker = undefined;
      for (const [m, t] of requests) ep.postMessage(m, t);
      deliver(answers);
    },
  };
}

const clients: EngineClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

describe('never apply a key twice', () => {
  it('the worker drops a request whose deadline passed, and a newer epoch undoes what the page gave up on', async () => {
    const host = createEngineHost({ yieldBeforeDecoding: false });
    await host.init(dataInit());
    const late = await host.type({ seq: 1, session: 3, epoch: 0, deadline: Date.now() - 1 }, 'wo');
    expect(late).toMatchObject({ dropped: true, superseded: true, rawInput: '' });
    // Applied, but the page gave up on it (its answer came too late) and moved to epoch 1.
    expect((await host.type({ seq: 2, session: 3, epoch: 0 }, 'wo')).rawInput).toBe('wo');
    expect((await host.type({ seq: 3, session: 3, epoch: 1 }, 'nihao')).rawInput).toBe('nihao');
    expect((await host.type({ seq: 4, session: 3, epoch: 0 }, 'wo')).dropped).toBe(true);
    expect((await host.commit({ seq: 5, session: 3, epoch: 1 })).committed).toBe('你好');
  });

  for (const held of ['requests', 'answers'] as const) {
    it(`a worker busy past the timeout (${held} held): the given-up key is not in the next composition (no wo我你好)`, async () => {
      const worker = stallableWorker();
      const client = await createEngineClient({ init: dataInit(), worker: () => worker.endpoint, requestTimeoutMs: 400, stallMs: 60_000 });
      clients.push(client);
      const box = client.openSession();
      if (held === 'requests') worker.holdRequests();
      else worker.holdAnswers();
      const gaveUp = await box.type('wo').catch((e: unknown) => e);
      expect(isImeError(gaveUp, ImeErrorCode.EngineUnavailable)).toBe(true);
      worker.release();
      const state = await box.type('nihao');
      expect(state.rawInput).toBe('nihao');
      expect((await box.commit()).committed).toBe('你好');
    });
  }
});

describe('committed text is never lost', () => {
  it('a commit whose answer came after the timeout: its text comes with the session’s next answer', async () => {
    const worker = stallableWorker();
    const client = await createEngineClient({ init: dataInit(), worker: () => worker.endpoint, requestTimeoutMs: 400, stallMs: 60_000 });
    clients.push(client);
    const box = client.openSession();
    expect((await box.type('nihao')).rawInput).toBe('nihao');
    worker.holdAnswers();
    const gaveUp = await box.commit().catch((e: unknown) => e);
    expect(isImeError(gaveUp, ImeErrorCode.EngineUnavailable)).toBe(true);
    worker.release();
    // The late answer is in; nothing else was asked yet.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = await box.type('ma');
    expect(next.committed).toBe('你好');
    expect(next.rawInput).toBe('ma');
    // Handed over once.
    expect((await box.type('ma')).committed).toBeUndefined();
  });
});

describe('a dead worker is found and replaced', () => {
  it('a worker terminated mid-composition: the request fails within the stall time, a new worker answers the next one', async () => {
    const workers: ReturnType<typeof stallableWorker>[] = [];
    const statuses: EngineStatus[] = [];
    const client = await createEngineClient({
      init: dataInit(),
      restartInit: dataInit,
      worker: () => {
        const w = stallableWorker();
        workers.push(w);
        return w.endpoint;
      },
      stallMs: 300,
    });
    clients.push(client);
    client.onStatus((s) => statuses.push(s));
    const box = client.openSession();
    expect((await box.type('ni')).rawInput).toBe('ni');
    await workers[0]!.thread.terminate();
    const t0 = performance.now();
    const error = await box.type('hao').catch((e: unknown) => e);
    expect(isImeError(error, ImeErrorCode.EngineUnavailable)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(1500);
    // The next request waits for the new worker and starts a fresh composition there.
    const state = await box.type('nihao');
    expect(state.rawInput).toBe('nihao');
    expect(state.candidates[0]?.text).toBe('你好');
    expect(workers).toHaveLength(2);
    expect(client.restarts).toBe(1);
    expect(statuses.map((s) => s.type)).toEqual(['restarting', 'restarted']);
  });
});

describe('one session and one incognito flag per box, on one client (worker thread)', () => {
  it('mima in session A, then xiao + space in session B commits 小; A keeps mima; incognito stays with its session', async () => {
    const worker = stallableWorker();
    const client = await createEngineClient({ init: dataInit(), worker: () => worker.endpoint });
    clients.push(client);
    const a = client.openSession({ incognito: true });
    const b = client.openSession();
    await a.type('mima');
    await b.type('xiao');
    expect((await b.commit()).committed).toBe('小');
    expect((await a.commit()).committed).toBe('密码');
    // A's commit was private; B's was learned. Turning B's incognito on and off leaves A private.
    const learned = (await client.historyEntries()).map((e) => e.text);
    expect(learned).toContain('小');
    expect(learned).not.toContain('密码');
    await b.setIncognito(true);
    await b.setIncognito(false);
    await a.type('mima');
    await a.commit();
    expect((await client.historyEntries()).map((e) => e.text)).not.toContain('密码');
  });
});
