/**
 * The page side of the engine: the session API (type, backspace, select, commit, …), async,
 * with the engine in a Web Worker (worker.ts through comlink) or, where Workers are
 * unavailable, on the main thread behind the same interface.
 *
 * Requests are numbered. The worker answers a request that a newer one overtook with
 * `superseded: true` (see {@link CompositionState.superseded}); the client also marks as
 * superseded any answer older than one it already delivered, so callers can paint every
 * answer that is not superseded and insert every `committed` text.
 *
 * Each attached box gets a session of its own ({@link EngineClient.openSession}): its own
 * letters and incognito flag on the one engine. A request carries its session, an epoch and a
 * deadline ({@link RequestId}); one unanswered by its deadline fails (ENGINE_UNAVAILABLE), the
 * worker drops it if it has not run it yet, and the session's next request resets the session
 * if it had, so a key the page gave up on is never applied twice; text such a request committed
 * comes with the session's next answer, never lost. A request unanswered for
 * `stallMs` makes the client ping the worker; a dead or stuck worker is terminated and a new
 * one started (its history reloads from IndexedDB), reported through {@link EngineClient.onStatus}.
 *
 * User history: the client passes the history controls through, hands storage events to
 * {@link EngineClient.onStorageEvent} listeners, and, with the engine in a worker (which gets no
 * page lifecycle events), asks it to write pending history on `visibilitychange` to hidden, on
 * `pagehide`, and in {@link EngineClient.close} before terminating it.
 */
import { releaseProxy, transfer, wrap, type Endpoint, type Remote } from 'comlink';
import type { EngineOptions } from '../engine/engine.ts';
import { createEngineHost } from './engine-host.ts';
import type {
  CompositionState,
  EngineInit,
  EngineWorkerApi,
  CompositionRequests,
  EditingRequests,
  ModelStatus,
  RuntimeOptions,
  HistoryControls,
  RequestId,
  WireStoreEvent,
} from './protocol.ts';
import { fromWireError } from './wire-error.ts';
import { withPackagedData } from './packaged-data.ts';
import { ImeError, ImeErrorCode } from '../util/errors.ts';

/** How to start the engine. */
export interface EngineClientOptions {
  /**
   * Data files (URLs or bytes; bytes are moved to the worker, not copied) and settings. A data
   * file given neither way is the one shipped in the package (see packaged-data.ts).
   */
  readonly init?: EngineInit;
  /**
   * Creates the worker's endpoint. Default: a module Worker running worker.ts when `Worker`
   * exists, else the main thread. `null` forces the main thread.
   */
  readonly worker?: (() => WorkerEndpoint) | null;
  /** Options for createEngine on the main thread (functions allowed there only). */
  readonly mainThreadOptions?: EngineOptions;
  /**
   * The data for a restarted worker (default: `init` again, right for URLs; bytes given in
   * `init` were moved to the first worker, so pass a function giving fresh ones).
   */
  readonly restartInit?: () => EngineInit;
  /** Longest wait for a composition answer before the client gives up on it (default 3000 ms). */
  readonly requestTimeoutMs?: number;
  /**
   * A request unanswered this long makes the client ping the worker; no answer to the ping
   * within as long again means the worker is dead or stuck, and it is restarted (default 1000 ms).
   */
  readonly stallMs?: number;
}

/** What happened to the engine (see {@link EngineClient.onStatus}). */
export type EngineStatus =
  /** The worker stopped answering (crashed, terminated or stuck): a new one is being started. */
  | { readonly type: 'restarting'; readonly message: string }
  /** A new worker is ready (its history reloaded from IndexedDB). */
  | { readonly type: 'restarted'; readonly restarts: number }
  /** A new worker could not be started; requests fail until a later try works. */
  | { readonly type: 'failed'; readonly message: string }
  /** The reranking model is loaded and reranks from now on. */
  | { readonly type: 'model-ready' }
  /** The reranking model could not be loaded: the engine goes on without it. */
  | { readonly type: 'model-failed'; readonly message: string }
  /** The full language model of a staged load has replaced the first one (EngineInit.firstModelUrl). */
  | { readonly type: 'full-model-ready' }
  /** The full language model could not be loaded: the engine goes on with the first one. */
  | { readonly type: 'full-model-failed'; readonly message: string };

/**
 * One composition of its own on the client's engine, for one attached box: its own letters,
 * its own incognito flag. The keyboard opens one per box ({@link EngineClient.openSession}).
 */
export interface EngineSession extends CompositionRequests, EditingRequests {
  readonly id: number;
  /** This box learns nothing while on (sent with each request; the engine-wide flag still applies). */
  setIncognito(incognito: boolean): Promise<void>;
  /**
   * The caller gave up on the requests still unanswered: they fail now, and the session
   * starts over on its next request (so a late one never shows up in a later answer).
   */
  abandon(): void;
  /** Lets the session go (the box was detached). */
  release(): void;
}

/** The session API, async. Its composition requests are those of one default session. */
export interface EngineClient extends CompositionRequests, EditingRequests, HistoryControls {
  /** The reranking model's fate once its loading settles (after the first answer); see EngineWorkerApi.modelStatus. */
  modelStatus(): Promise<ModelStatus | undefined>;
  /** The full language model's fate once a staged load settles; see EngineWorkerApi.fullModelStatus. */
  fullModelStatus(): Promise<ModelStatus | undefined>;
  /** True when the engine runs in a worker. */
  readonly inWorker: boolean;
  /** How many times a dead or stuck worker was replaced. */
  readonly restarts: number;
  /** A composition of its own (one per attached box) on this engine. */
  openSession(options?: { readonly incognito?: boolean }): EngineSession;
  /** {@link EngineSession.abandon} for the default session. */
  abandon(): void;
  /** Listens for worker restarts; returns an unsubscribe. */
  onStatus(listener: (status: EngineStatus) => void): () => void;
  /**
   * Changes the run-time settings (scheme, fuzzy pairs, typo tolerance, traditional output,
   * prediction) for every box; answers with all of them as they now are. Kept and applied
   * again to a restarted worker. Rejects with INVALID_ARGUMENT for an unknown value.
   */
  setOptions(options: RuntimeOptions): Promise<Required<RuntimeOptions>>;
  /** Listens for storage events (e.g. show "history is not being saved"); returns an unsubscribe. */
  onStorageEvent(listener: (event: WireStoreEvent) => void): () => void;
  /**
   * Writes pending history (waiting at most {@link CLOSE_FLUSH_TIMEOUT_MS}), then stops the
   * worker; later requests reject.
   */
  close(): Promise<void>;
}

/** How long {@link EngineClient.close} waits for the history to be written before terminating. */
export const CLOSE_FLUSH_TIMEOUT_MS = 2000;
/** Default {@link EngineClientOptions.requestTimeoutMs}. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 3000;
/** Default {@link EngineClientOptions.stallMs}. */
export const DEFAULT_STALL_MS = 1000;
/** After a failed restart, the least time before the next try (a request triggers it). */
export const RESTART_RETRY_MS = 2000;

function defaultWorker(): WorkerEndpoint | undefined {
  if (typeof Worker === 'undefined') return undefined;
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
}

/** A worker's endpoint as the client takes it. */
export type WorkerEndpoint = Endpoint & {
  /** Stops the worker (Worker.terminate). */
  terminate?(): unknown;
  /**
   * Registers a listener for the worker failing (script error, crash). A Web Worker needs
   * none (its `error` event is used); other endpoints, e.g. comlink's Node adapter, may pass it.
   */
  onFailure?(listener: (message: string) => void): void;
};

/** Rejects when the worker fails before it answered (e.g. its script did not load). */
function failureOf(endpoint: WorkerEndpoint): Promise<never> {
  return new Promise((_, reject) => {
    const fail = (why: string) => reject(new ImeError(ImeErrorCode.AssetUnavailable, `the engine worker failed to start: ${why}`));
    if (endpoint.onFailure) endpoint.onFailure(fail);
    else if (typeof Worker !== 'undefined' && endpoint instanceof Worker) {
      endpoint.addEventListener('error', (event) => fail(event.message || 'script error'));
    }
  });
}

/** The buffers of `init`'s byte fields, each made whole so it can be transferred. */
function movable(init: EngineInit): { init: EngineInit; buffers: ArrayBuffer[] } {
  const out: Record<string, unknown> = { ...init };
  const buffers: ArrayBuffer[] = [];
  for (const key of ['lexicon', 'model', 'firstModel', 'reranker'] as const) {
    let bytes = init[key];
    if (!bytes) continue;
    // A view into a larger (e.g. pooled) buffer is copied once; a whole buffer just moves.
    if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength || !(bytes.buffer instanceof ArrayBuffer)) {
      bytes = bytes.slice();
    }
    if (buffers.includes(bytes.buffer as ArrayBuffer)) bytes = bytes.slice();
    out[key] = bytes;
    buffers.push(bytes.buffer as ArrayBuffer);
  }
  return { init: out as EngineInit, buffers };
}

/** One composition of the client (one per attached box), as the client tracks it. */
interface SessionState {
  readonly id: number;
  seq: number;
  delivered: number;
  /** Bumped whenever the client gives up on requests (see {@link RequestId.epoch}). */
  epoch: number;
  incognito: boolean;
  /** Fails the requests still unanswered (their late answers are then ignored but for their committed text). */
  readonly pending: Set<(error: unknown) => void>;
  /**
   * Text committed by requests the client gave up on but the engine ran (their answers came
   * late): handed over with the session's next answer, so committed text is never lost.
   */
  lateCommitted: string;
}

/** The engine as the client talks to it now (replaced when a stuck worker is restarted). */
interface Running {
  readonly api: EngineWorkerApi | Remote<EngineWorkerApi>;
  stop(): void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Starts the engine (in a worker when possible) and resolves once its data are loaded.
 * Rejects with the worker's {@link ImeError} (same code) when the data cannot be loaded.
 */
export async function createEngineClient(options: EngineClientOptions = {}): Promise<EngineClient> {
  const startInit = withPackagedData(options.init);
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  const makeEndpoint = options.worker === null ? undefined : (options.worker ?? defaultWorker);
  const first = makeEndpoint?.();
  const inWorker = first !== undefined;
  let onWorkerFailure: () => void = () => {};

  /** Starts a worker on `endpoint` and loads the data there. */
  const startWorker = async (endpoint: WorkerEndpoint, data: EngineInit): Promise<Running> => {
    const remote = wrap<EngineWorkerApi>(endpoint);
    let stopped = false;
    const running: Running = {
      api: remote,
      stop: () => {
        if (stopped) return;
        stopped = true;
        remote[releaseProxy]();
        endpoint.terminate?.();
      },
    };
    const { init, buffers } = movable(data);
    const failed = failureOf(endpoint);
    try {
      await Promise.race([remote.init(transfer(init, buffers)), failed]);
    } catch (e) {
      running.stop();
      throw fromWireError(e);
    }
    // Later failures (a crash) make the client check whether the worker still answers.
    failed.catch(() => {
      if (!stopped) onWorkerFailure();
    });
    return running;
  };

  let current: Running;
  if (first) {
    current = await startWorker(first, startInit);
  } else {
    const host = createEngineHost({
      ...(options.mainThreadOptions ? { engineOptions: options.mainThreadOptions } : {}),
      // One request at a time from the keyboard: nothing to supersede, so no yield before decoding.
      yieldBeforeDecoding: false,
    });
    // On the main thread the history store listens for the page's lifecycle itself.
    current = { api: host, stop: () => void host.flushHistory().catch(() => {}) };
    await host.init(startInit);
  }

  const storageListeners = new Set<(event: WireStoreEvent) => void>();
  const statusListeners = new Set<(status: EngineStatus) => void>();
  const tell = <T>(listeners: Set<(x: T) => void>, x: T) => {
    for (const listener of [...listeners]) {
      try {
        listener(x);
      } catch (e) {
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  };
  const report = (events: readonly WireStoreEvent[] | undefined) => {
    for (const event of events ?? []) tell(storageListeners, event);
  };
  let closed = false;
  /** Runs a request on the engine as it is now; once closed, rejects (ENGINE_UNAVAILABLE) without asking it. */
  const wired = async <T>(run: (api: Running['api']) => Promise<T>, evenIfClosed = false): Promise<T> => {
    if (closed && !evenIfClosed) throw unavailable('the engine client was closed');
    try {
      return await run(current.api);
    } catch (e) {
      throw fromWireError(e);
    }
  };
  const flushHistory = () => wired((api) => api.flushHistory());
  // A worker gets no visibilitychange or pagehide: the page tells it when to write.
  const onHidden = () => {
    if (!closed && (typeof document === 'undefined' || document.visibilityState === 'hidden')) {
      flushHistory().catch(() => {});
    }
  };
  const lifecycle = inWorker && typeof document !== 'undefined' && typeof addEventListener === 'function';
  if (lifecycle) {
    document.addEventListener('visibilitychange', onHidden);
    addEventListener('pagehide', onHidden);
  }
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    if (lifecycle) {
      document.removeEventListener('visibilitychange', onHidden);
      removeEventListener('pagehide', onHidden);
    }
    for (const s of sessions.values()) for (const fail of [...s.pending]) fail(unavailable('the engine client was closed'));
    try {
      await Promise.race([wired((api) => api.flushHistory(), true), sleep(CLOSE_FLUSH_TIMEOUT_MS)]);
    } catch {
      // The worker may be gone already: terminate it anyway.
    } finally {
      current.stop();
    }
  };

  // ---- sessions, the watchdog and restarts ------------------------------------------------

  const sessions = new Map<number, SessionState>();
  let nextSession = 0;
  const newSession = (): SessionState => {
    const s: SessionState = { id: nextSession++, seq: 0, delivered: 0, epoch: 0, incognito: false, pending: new Set(), lateCommitted: '' };
    sessions.set(s.id, s);
    return s;
  };
  const main = newSession();
  /** The engine-wide incognito setting, applied again to a restarted worker. */
  let engineIncognito: boolean | undefined;
  /** The run-time settings as last set, applied again to a restarted worker. */
  let runtimeOptions: Required<RuntimeOptions> | undefined;
  let restarts = 0;
  let restarting: Promise<void> | undefined;
  let broken: { error: unknown; at: number } | undefined;
  let pinging: Promise<void> | undefined;

  /** Gives up on every unanswered request of every session (their sessions reset on the next request). */
  const giveUpAll = (error: unknown) => {
    for (const s of sessions.values()) for (const fail of [...s.pending]) fail(error);
  };

  /** Replaces the worker: the unanswered requests fail, the history reloads from IndexedDB. */
  const restart = (why: unknown): Promise<void> => {
    if (!makeEndpoint || closed) return Promise.resolve();
    restarting ??= (async () => {
      const message = why instanceof Error ? why.message : String(why);
      giveUpAll(unavailable(`${message}; restarting the engine`));
      tell(statusListeners, { type: 'restarting', message });
      current.stop();
      try {
        const endpoint = makeEndpoint();
        if (!endpoint) throw unavailable('no worker could be started');
        current = await startWorker(endpoint, options.restartInit ? withPackagedData(options.restartInit()) : startInit);
        if (engineIncognito !== undefined) await current.api.setIncognito(engineIncognito);
        if (runtimeOptions !== undefined) await current.api.setOptions(runtimeOptions);
        broken = undefined;
        restarts++;
        tell(statusListeners, { type: 'restarted', restarts });
      } catch (error) {
        broken = { error: fromWireError(error), at: Date.now() };
        tell(statusListeners, { type: 'failed', message: describe(broken.error) });
      } finally {
        restarting = undefined;
      }
    })();
    return restarting;
  };

  /** Pings the worker; no answer within `stallMs` means it is dead or stuck: restart it. */
  const checkAlive = (): Promise<void> => {
    if (!makeEndpoint || closed || restarting) return Promise.resolve();
    pinging ??= (async () => {
      const running = current;
      const answered = await Promise.race([
        Promise.resolve(running.api.ping()).then(
          () => true,
          () => false,
        ),
        sleep(stallMs).then(() => false),
      ]);
      pinging = undefined;
      if (!answered && running === current) await restart(unavailable(`the engine stopped answering (no answer within ${stallMs} ms)`));
    })();
    return pinging;
  };
  onWorkerFailure = () => void checkAlive();

  /** Sends one composition request of session `s`, numbered, with the session's epoch and a deadline. */
  const call = async (
    s: SessionState,
    run: (api: Running['api'], id: RequestId) => Promise<CompositionState>,
  ): Promise<CompositionState> => {
    if (closed) throw unavailable('the engine client was closed');
    const deadline = Date.now() + timeoutMs;
    if (restarting) await Promise.race([restarting, sleep(deadline - Date.now())]);
    if (broken && !restarting) {
      // The last restart failed: try again now and then, else fail at once.
      if (Date.now() - broken.at < RESTART_RETRY_MS) throw broken.error;
      await Promise.race([restart(broken.error), sleep(deadline - Date.now())]);
      if (broken) throw broken.error;
    }
    const id: RequestId = { seq: ++s.seq, session: s.id, epoch: s.epoch, deadline, ...(s.incognito ? { incognito: true } : {}) };
    return new Promise<CompositionState>((resolve, reject) => {
      let done = false;
      const timers: ReturnType<typeof setTimeout>[] = [];
      const settle = () => {
        done = true;
        s.pending.delete(fail);
        for (const t of timers) clearTimeout(t);
      };
      /** Gives up on this request: the session resets on its next request, undoing it if it ran. */
      function fail(error: unknown): void {
        if (done) return;
        settle();
        s.epoch = Math.max(s.epoch, id.epoch! + 1);
        reject(error);
      }
      s.pending.add(fail);
      timers.push(setTimeout(() => fail(timedOut(timeoutMs)), Math.max(0, deadline - Date.now())));
      if (inWorker) timers.push(setTimeout(() => void checkAlive(), stallMs));
      Promise.resolve(run(current.api, id)).then(
        (answer) => {
          // Told even when the request was given up on: the worker says it only once.
          if (answer.fullModel) {
            const full = answer.fullModel;
            tell(statusListeners, full.state === 'ready' ? { type: 'full-model-ready' } : { type: 'full-model-failed', message: full.message });
          }
          if (answer.model) {
            tell(statusListeners, answer.model.state === 'ready' ? { type: 'model-ready' } : { type: 'model-failed', message: answer.model.message });
          }
          if (done) {
            // Given up on, but the engine ran it: what it committed goes out with the next answer.
            if (answer.committed && !answer.dropped && sessions.has(s.id)) s.lateCommitted += answer.committed;
            return;
          }
          report(answer.storageEvents);
          if (answer.dropped) return fail(timedOut(timeoutMs));
          settle();
          const state = withLateCommitted(s, answer);
          if (state.superseded) return resolve(state);
          if (id.seq < s.delivered) return resolve({ ...state, preedit: '', candidates: [], superseded: true });
          s.delivered = id.seq;
          resolve(state);
        },
        (error: unknown) => {
          if (done) return;
          settle();
          reject(fromWireError(error));
        },
      );
    });
  };

  /** The composition requests of session `s`. */
  const requestsOf = (s: SessionState): CompositionRequests & EditingRequests => ({
    type: (keys) => call(s, (api, id) => api.type(id, keys)),
    backspace: () => call(s, (api, id) => api.backspace(id)),
    select: (index) => call(s, (api, id) => api.select(id, index)),
    commit: () => call(s, (api, id) => api.commit(id)),
    commitRaw: () => call(s, (api, id) => api.commitRaw(id)),
    reset: () => call(s, (api, id) => api.reset(id)),
    moveCaret: (to) => call(s, (api, id) => api.moveCaret(id, to)),
    deleteForward: () => call(s, (api, id) => api.deleteForward(id)),
    selectCharacter: (index, which) => call(s, (api, id) => api.selectCharacter(id, index, which)),
    selectPrediction: (index) => call(s, (api, id) => api.selectPrediction(id, index)),
  });

  const abandon = (s: SessionState) => {
    s.epoch++;
    for (const fail of [...s.pending]) fail(timedOut(timeoutMs));
  };

  return {
    inWorker,
    get restarts() {
      return restarts;
    },
    ...requestsOf(main),
    abandon: () => abandon(main),
    openSession: (sessionOptions = {}) => {
      const s = newSession();
      s.incognito = sessionOptions.incognito === true;
      return {
        id: s.id,
        ...requestsOf(s),
        setIncognito: async (incognito: boolean) => {
          s.incognito = incognito === true;
        },
        abandon: () => abandon(s),
        release: () => {
          if (!sessions.delete(s.id)) return;
          for (const fail of [...s.pending]) fail(unavailable('the session was released'));
          void Promise.resolve(current.api.closeSession(s.id)).catch(() => {});
        },
      };
    },
    setOptions: async (runtime) => {
      runtimeOptions = await wired((api) => api.setOptions(runtime));
      return runtimeOptions;
    },
    setIncognito: (incognito) => {
      engineIncognito = incognito === true;
      return wired((api) => api.setIncognito(incognito));
    },
    modelStatus: () => wired((api) => api.modelStatus()),
    fullModelStatus: () => wired((api) => api.fullModelStatus()),
    historyStatus: async () => {
      const status = await wired((api) => api.historyStatus());
      report(status.events);
      return status;
    },
    historyEntries: () => wired((api) => api.historyEntries()),
    exportHistory: () => wired((api) => api.exportHistory()),
    importHistory: (json) => wired((api) => api.importHistory(json)),
    forget: (text) => wired((api) => api.forget(text)),
    clearHistory: () => wired((api) => api.clearHistory()),
    flushHistory,
    onStorageEvent: (listener) => {
      storageListeners.add(listener);
      return () => void storageListeners.delete(listener);
    },
    onStatus: (listener) => {
      statusListeners.add(listener);
      return () => void statusListeners.delete(listener);
    },
    close,
  };
}

/** `state` with the session's late committed text (see {@link SessionState.lateCommitted}) put before its own. */
function withLateCommitted(s: SessionState, state: CompositionState): CompositionState {
  if (!s.lateCommitted) return state;
  const committed = s.lateCommitted + (state.committed ?? '');
  s.lateCommitted = '';
  return { ...state, committed };
}

function unavailable(message: string): ImeError {
  return new ImeError(ImeErrorCode.EngineUnavailable, message);
}

function timedOut(ms: number): ImeError {
  return new ImeError(ImeErrorCode.EngineUnavailable, `the engine did not answer within ${ms} ms`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
