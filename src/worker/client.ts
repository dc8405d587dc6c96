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
  HistoryControls,
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
}

/** The session API, async. */
export interface EngineClient extends CompositionRequests, EditingRequests, HistoryControls {
  /** True when the engine runs in a worker. */
  readonly inWorker: boolean;
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
  for (const key of ['lexicon', 'model', 'reranker'] as const) {
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

/**
 * Starts the engine (in a worker when possible) and resolves once its data are loaded.
 * Rejects with the worker's {@link ImeError} (same code) when the data cannot be loaded.
 */
export async function createEngineClient(options: EngineClientOptions = {}): Promise<EngineClient> {
  const startInit = withPackagedData(options.init);
  const endpoint = options.worker === null ? undefined : options.worker ? options.worker() : defaultWorker();
  let api: EngineWorkerApi | Remote<EngineWorkerApi>;
  let stop: () => void;
  if (endpoint) {
    const remote = wrap<EngineWorkerApi>(endpoint);
    api = remote;
    stop = () => {
      remote[releaseProxy]();
      endpoint.terminate?.();
    };
    const { init, buffers } = movable(startInit);
    try {
      await Promise.race([remote.init(transfer(init, buffers)), failureOf(endpoint)]);
    } catch (e) {
      stop();
      throw fromWireError(e);
    }
  } else {
    const host = createEngineHost({
      ...(options.mainThreadOptions ? { engineOptions: options.mainThreadOptions } : {}),
      // One request at a time from the keyboard: nothing to supersede, so no yield before decoding.
      yieldBeforeDecoding: false,
    });
    api = host;
    // On the main thread the history store listens for the page's lifecycle itself.
    stop = () => void host.flushHistory().catch(() => {});
    await host.init(startInit);
  }

  const storageListeners = new Set<(event: WireStoreEvent) => void>();
  const report = (events: readonly WireStoreEvent[] | undefined) => {
    for (const event of events ?? []) {
      for (const listener of [...storageListeners]) {
        try {
          listener(event);
        } catch (e) {
          queueMicrotask(() => {
            throw e;
          });
        }
      }
    }
  };
  const wired = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      throw fromWireError(e);
    }
  };
  let closed = false;
  const flushHistory = () => wired(() => api.flushHistory());
  // A worker gets no visibilitychange or pagehide: the page tells it when to write.
  const onHidden = () => {
    if (!closed && (typeof document === 'undefined' || document.visibilityState === 'hidden')) {
      flushHistory().catch(() => {});
    }
  };
  const lifecycle = endpoint !== undefined && typeof document !== 'undefined' && typeof addEventListener === 'function';
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
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        flushHistory(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, CLOSE_FLUSH_TIMEOUT_MS);
        }),
      ]);
    } catch {
      // The worker may be gone already: terminate it anyway.
    } finally {
      clearTimeout(timer);
      stop();
    }
  };

  let seq = 0;
  let delivered = 0;
  const call = async (run: (seq: number) => Promise<CompositionState>): Promise<CompositionState> => {
    const mine = ++seq;
    let state: CompositionState;
    try {
      state = await run(mine);
    } catch (e) {
      throw fromWireError(e);
    }
    report(state.storageEvents);
    if (state.superseded) return state;
    if (mine < delivered) return { ...state, preedit: '', candidates: [], superseded: true };
    delivered = mine;
    return state;
  };

  return {
    inWorker: endpoint !== undefined,
    type: (keys) => call((n) => api.type(n, keys)),
    backspace: () => call((n) => api.backspace(n)),
    select: (index) => call((n) => api.select(n, index)),
    commit: () => call((n) => api.commit(n)),
    commitRaw: () => call((n) => api.commitRaw(n)),
    reset: () => call((n) => api.reset(n)),
    moveCaret: (to) => call((n) => api.moveCaret(n, to)),
    deleteForward: () => call((n) => api.deleteForward(n)),
    selectCharacter: (index, which) => call((n) => api.selectCharacter(n, index, which)),
    setIncognito: (incognito) => wired(() => api.setIncognito(incognito)),
    historyStatus: async () => {
      const status = await wired(() => api.historyStatus());
      report(status.events);
      return status;
    },
    historyEntries: () => wired(() => api.historyEntries()),
    exportHistory: () => wired(() => api.exportHistory()),
    importHistory: (json) => wired(() => api.importHistory(json)),
    forget: (text) => wired(() => api.forget(text)),
    clearHistory: () => wired(() => api.clearHistory()),
    flushHistory,
    onStorageEvent: (listener) => {
      storageListeners.add(listener);
      return () => void storageListeners.delete(listener);
    },
    close,
  };
}
