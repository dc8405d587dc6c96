/**
 * The engine behind {@link EngineWorkerApi}: what worker.ts exposes with comlink, and what the
 * client runs on the main thread where Workers are unavailable.
 *
 * Requests change the composition in the order they arrive. Candidates are computed only
 * for the newest: after applying its change a request yields once to the event loop, and if
 * another request arrived meanwhile it answers {@link CompositionState.superseded} at once
 * (keeping any committed text) instead of decoding an input that is already out of date.
 *
 * With a reranking model (EngineInit.reranker / rerankerUrl) the sentence candidates come
 * from Session.rankedCandidates, with the text committed before as context.
 */
import { loadAsset, resolveAssetUrl, type AssetPolicy, type FetchFunction } from '../engine/assets.ts';
import type { Candidate } from '../engine/candidate.ts';
import { createEngine, type Engine, type EngineOptions } from '../engine/engine.ts';
import { loadEngineDataAsync } from '../engine/load.ts';
import type { Session } from '../engine/session.ts';
import type { Reranker } from '../model/reranker.ts';
import { ImeError, ImeErrorCode } from '../util/errors.ts';
import type { CompositionState, EngineInit, EngineWorkerApi, WireCandidate } from './protocol.ts';
import { throwingWireErrors } from './wire-error.ts';

/** How the host is set up besides {@link EngineInit}. */
export interface EngineHostOptions {
  /** Options for createEngine that cannot cross a worker boundary (functions). */
  readonly engineOptions?: EngineOptions;
  /** Base URL for relative asset URLs (default: the page's or worker's location). */
  readonly base?: string;
  /** Fetch used by the asset loader (tests). */
  readonly fetch?: FetchFunction;
  /**
   * Throw errors as plain {@link WireError} objects (for comlink; the client turns them back
   * into ImeErrors). Default false: ImeErrors are thrown as they are.
   */
  readonly wireErrors?: boolean;
}

/** An {@link EngineWorkerApi} plus what the thread running it may inspect. */
export interface EngineHost extends EngineWorkerApi {
  /** The engine once init has resolved. */
  readonly engine: Engine | undefined;
  /** The reranker in use, if any. */
  readonly reranker: Reranker | undefined;
}

/** Text kept as context for the reranker (characters). */
const CONTEXT_CHARS = 16;

function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

const wire = (c: Candidate): WireCandidate => ({ text: c.text, length: c.length, kind: c.kind, reading: c.reading });

/** Creates the engine host; call `init` before anything else. */
export function createEngineHost(options: EngineHostOptions = {}): EngineHost {
  let engine: Engine | undefined;
  let session: Session | undefined;
  let reranker: Reranker | undefined;
  let context = '';
  let newest = Number.NEGATIVE_INFINITY;

  const ready = (): Session => {
    if (!session) throw new ImeError(ImeErrorCode.InvalidArgument, 'engine not initialised: call init() first');
    return session;
  };

  const guard = <T>(run: () => Promise<T>): Promise<T> => (options.wireErrors ? throwingWireErrors(run) : run());

  async function bytesOf(bytes: Uint8Array | undefined, url: string | undefined, what: string, policy: AssetPolicy) {
    if (bytes) return bytes;
    if (url) return loadAsset(url, policy, options.fetch);
    throw new ImeError(ImeErrorCode.InvalidArgument, `init: no ${what} (neither bytes nor URL)`);
  }

  async function init(init: EngineInit): Promise<void> {
    const policy: AssetPolicy = { ...(options.base ? { base: options.base } : {}), allowed: init.allowedAssetUrls ?? [] };
    const [lexicon, model] = await Promise.all([
      bytesOf(init.lexicon, init.lexiconUrl, 'lexicon', policy),
      bytesOf(init.model, init.modelUrl, 'model', policy),
    ]);
    const data = await loadEngineDataAsync({ lexicon, model, lexiconName: init.lexiconUrl, modelName: init.modelUrl });
    let next: Reranker | undefined;
    if (init.reranker || init.rerankerUrl) {
      const bytes = await bytesOf(init.reranker, init.rerankerUrl, 'reranker', policy);
      const wasmPaths = init.wasmPaths === undefined ? undefined : resolveAssetUrl(init.wasmPaths, policy).href;
      // Loaded on demand so pages without the model never load the runtime.
      const { loadOnnxReranker } = await import('../model/onnx.ts');
      next = await loadOnnxReranker(bytes, { name: init.rerankerUrl ?? 'reranker', ...(wasmPaths ? { wasmPaths } : {}) });
    }
    await reranker?.dispose();
    reranker = next;
    engine = createEngine(data, { ...(init.options as EngineOptions | undefined), ...options.engineOptions });
    session = engine.createSession();
    context = '';
  }

  /** Applies `change` now; answers once no newer request is waiting. */
  function request(seq: number, change: (s: Session) => string | undefined): Promise<CompositionState> {
    return guard(async () => {
      const started = performance.now();
      const s = ready();
      newest = seq;
      const committed = change(s);
      if (committed) context = (context + committed).slice(-CONTEXT_CHARS);
      await yieldToEvents();
      let candidates: readonly Candidate[] | undefined;
      if (seq === newest) candidates = reranker ? await s.rankedCandidates(reranker, context) : s.candidates();
      const superseded = seq !== newest || candidates === undefined;
      return {
        seq,
        preedit: superseded ? '' : s.preedit(),
        rawInput: s.rawInput,
        candidates: superseded ? [] : candidates!.map(wire),
        engineMicros: Math.round((performance.now() - started) * 1000),
        ...(committed ? { committed } : {}),
        ...(superseded ? { superseded: true } : {}),
      };
    });
  }

  return {
    get engine() {
      return engine;
    },
    get reranker() {
      return reranker;
    },
    init: (i) => guard(() => init(i)),
    type: (seq, keys) => request(seq, (s) => void s.type(typeof keys === 'string' ? keys : '')),
    backspace: (seq) => request(seq, (s) => void s.backspace()),
    select: (seq, index) => request(seq, (s) => s.select(Number.isInteger(index) ? index : -1)),
    commit: (seq) => request(seq, (s) => s.commit()),
    commitRaw: (seq) => request(seq, (s) => s.commitRaw()),
    reset: (seq) => request(seq, (s) => void s.reset()),
  };
}
