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
 *
 * User history (EngineInit.history, on by default): every commit is learned (src/user/) unless
 * incognito, and kept in IndexedDB (which Workers have) through a HistoryStore; its events
 * reach the page on the next answer or {@link EngineWorkerApi.historyStatus}.
 */
import { loadAsset, resolveAssetUrl, type AssetPolicy, type FetchFunction } from '../engine/assets.ts';
import type { Candidate } from '../engine/candidate.ts';
import { createEngine, type Engine, type EngineOptions } from '../engine/engine.ts';
import { loadEngineDataAsync, loadLanguageModelAsync } from '../engine/load.ts';
import type { NGramModel } from '../lm/ngram-model.ts';
import type { Session } from '../engine/session.ts';
import type { Reranker } from '../model/reranker.ts';
import { attachHistory } from '../user/attach-history.ts';
import type { UserControls } from '../user/controls.ts';
import { HistoryStore, type StoreEvent } from '../user/store.ts';
import { UserLearning } from '../user/user-learning.ts';
import { TRADITIONAL_VARIANTS } from '../engine/traditional.ts';
import { parseFuzzyPairs } from '../pinyin/fuzzy.ts';
import { isInputScheme } from '../pinyin/input-options.ts';
import { ImeError, ImeErrorCode } from '../util/errors.ts';
import type { CompositionState, EngineInit, EngineWorkerApi, HistoryInit, ModelStatus, RequestId, RuntimeOptions, WireCandidate, WireStoreEvent } from './protocol.ts';
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
  /**
   * Yield to the event loop between applying a request and decoding, so a newer request that
   * is already waiting supersedes it (default true: right in a Worker, where keys queue up).
   * On the page's main thread the keyboard sends one request at a time and nothing can be
   * waiting, so the client turns it off: the yield would only push the candidates a frame late.
   */
  readonly yieldBeforeDecoding?: boolean;
  /**
   * Loads the reranking model of {@link EngineInit.reranker} / `rerankerUrl`: the ONNX runtime is
   * given here, never imported by the host, so a bundle without the model has no trace of it
   * (the `hanzi-ime/reranker/worker` entry passes `loadOnnxReranker`). Without it an init
   * that names a model rejects with MODEL_FAILED.
   */
  readonly loadReranker?: RerankerLoader;
  /**
   * What init leaves for later (the full language model of a staged load, the reranker) starts
   * after the first answer, or this long after init if nothing has been typed by then
   * (default {@link BACKGROUND_IDLE_MS}): a page opened and left alone still gets them.
   */
  readonly backgroundIdleMs?: number;
  /**
   * How long after the first answer the background loads start (default
   * {@link BACKGROUND_AFTER_ANSWER_MS}): long enough for the page to paint that answer first,
   * so the first candidates never share the network or the thread with them.
   */
  readonly backgroundAfterAnswerMs?: number;
}

/** Default of {@link EngineHostOptions.backgroundIdleMs}. */
export const BACKGROUND_IDLE_MS = 2000;
/** Default of {@link EngineHostOptions.backgroundAfterAnswerMs}. */
export const BACKGROUND_AFTER_ANSWER_MS = 400;

/** Turns model bytes into a ready reranker (src/model/onnx.ts loadOnnxReranker has this shape). */
export type RerankerLoader = (bytes: Uint8Array, options: { readonly name: string; readonly wasmPaths?: string }) => Promise<Reranker>;

/** An {@link EngineWorkerApi} plus what the thread running it may inspect. */
export interface EngineHost extends EngineWorkerApi {
  /** The engine once init has resolved. */
  readonly engine: Engine | undefined;
  /** The reranker in use, if any (none until its model has loaded). */
  readonly reranker: Reranker | undefined;
  /** The user history's controls once init has resolved (undefined when history is off). */
  readonly history: UserControls | undefined;
}

/** One composition: its session, the newest request and epoch seen, the reranker's context. */
interface SessionSlot {
  readonly session: Session;
  epoch: number;
  newest: number;
  context: string;
}

/** The run-time settings before any setOptions. */
const DEFAULT_RUNTIME_OPTIONS: Required<RuntimeOptions> = Object.freeze({
  scheme: 'quanpin',
  fuzzy: [],
  typoTolerance: false,
  traditional: false,
  prediction: false,
  emoji: false,
  english: false,
  quickPhrases: false,
  userPhrases: {},
});

/** Most user phrases kept, and the longest code and text. */
const MAX_USER_PHRASES = 500;
const MAX_PHRASE_CODE = 16;
const MAX_PHRASE_TEXT = 200;

/** `current` with the fields of `o` applied, each checked (a bad value is an INVALID_ARGUMENT ImeError). */
function checkedRuntimeOptions(current: Required<RuntimeOptions>, o: RuntimeOptions): Required<RuntimeOptions> {
  const bad = (what: string) => new ImeError(ImeErrorCode.InvalidArgument, `setOptions: ${what}`);
  if (typeof o !== 'object' || o === null) throw bad('expected an object');
  const next = { ...current };
  if (o.scheme !== undefined) {
    if (typeof o.scheme !== 'string' || !isInputScheme(o.scheme)) throw bad(`unknown scheme ${String(o.scheme)}`);
    next.scheme = o.scheme;
  }
  if (o.fuzzy !== undefined) {
    if (!Array.isArray(o.fuzzy)) throw bad('fuzzy must be a list of pairs');
    next.fuzzy = parseFuzzyPairs(o.fuzzy.map(String).join(','));
  }
  if (o.typoTolerance !== undefined) next.typoTolerance = o.typoTolerance === true;
  if (o.prediction !== undefined) next.prediction = o.prediction === true;
  if (o.traditional !== undefined) {
    if (o.traditional !== false && !(TRADITIONAL_VARIANTS as readonly unknown[]).includes(o.traditional)) {
      throw bad(`unknown traditional variant ${String(o.traditional)}`);
    }
    next.traditional = o.traditional;
  }
  if (o.emoji !== undefined) next.emoji = o.emoji === true;
  if (o.english !== undefined) next.english = o.english === true;
  if (o.quickPhrases !== undefined) next.quickPhrases = o.quickPhrases === true;
  if (o.userPhrases !== undefined) {
    if (typeof o.userPhrases !== 'object' || o.userPhrases === null || Array.isArray(o.userPhrases)) throw bad('userPhrases must map codes to texts');
    const entries = Object.entries(o.userPhrases);
    if (entries.length > MAX_USER_PHRASES) throw bad(`more than ${MAX_USER_PHRASES} user phrases`);
    const phrases: Record<string, string> = {};
    for (const [code, text] of entries) {
      if (!new RegExp(`^[a-z]{1,${MAX_PHRASE_CODE}}$`).test(code)) throw bad(`a user phrase code is 1–${MAX_PHRASE_CODE} letters a–z: ${code}`);
      if (typeof text !== 'string' || !text || text.length > MAX_PHRASE_TEXT) throw bad(`the text of ${code} must be 1–${MAX_PHRASE_TEXT} characters`);
      phrases[code] = text;
    }
    next.userPhrases = phrases;
  }
  return next;
}

/** Sessions kept at most (one per attached box); past it the one used longest ago goes. */
const MAX_SESSIONS = 64;

/**
 * A request's id in full: a plain number is request `seq` of session 0, epoch 0; anything
 * malformed is read as leniently (a request is answered, never thrown on, for a bad id).
 */
function requestIdOf(raw: unknown): RequestId {
  if (typeof raw !== 'object' || raw === null) return { seq: typeof raw === 'number' ? raw : Number.NaN };
  const r = raw as Partial<Record<keyof RequestId, unknown>>;
  return {
    seq: typeof r.seq === 'number' ? r.seq : Number.NaN,
    session: Number.isSafeInteger(r.session) ? (r.session as number) : 0,
    epoch: typeof r.epoch === 'number' && Number.isFinite(r.epoch) ? r.epoch : 0,
    ...(typeof r.deadline === 'number' && !Number.isNaN(r.deadline) ? { deadline: r.deadline } : {}),
    incognito: r.incognito === true,
  };
}

/** Text kept as context for the reranker (characters). */
const CONTEXT_CHARS = 16;

function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

const wire = (c: Candidate): WireCandidate => ({ text: c.text, length: c.length, kind: c.kind, reading: c.reading });

/** A store event as plain data (the error becomes its message). */
function wireStoreEvent(e: StoreEvent): WireStoreEvent {
  if (e.type !== 'storage-failed') return e;
  const message = e.error instanceof Error ? `${e.error.name}: ${e.error.message}` : e.error === undefined ? undefined : String(e.error);
  return { type: e.type, reason: e.reason, ...(message ? { message } : {}) };
}

/** Storage events kept for the page at most (the oldest go first; a failure is emitted once anyway). */
const MAX_PENDING_EVENTS = 32;

/** Creates the engine host; call `init` before anything else. */
export function createEngineHost(options: EngineHostOptions = {}): EngineHost {
  let engine: Engine | undefined;
  let reranker: Reranker | undefined;
  /** One composition per attached box, created on its first request. */
  const slots = new Map<number, SessionSlot>();
  let controls: UserControls | undefined;
  /** The engine-wide incognito setting (a session may add its own, per request). */
  let incognito = false;
  /** The run-time settings (setOptions). */
  let runtime: Required<RuntimeOptions> = { ...DEFAULT_RUNTIME_OPTIONS };
  const sessionOptions = () => ({ scheme: runtime.scheme, fuzzy: runtime.fuzzy, typoTolerance: runtime.typoTolerance });
  let storageEvents: WireStoreEvent[] = [];
  /** What became of the reranking model, not yet told to the page. */
  let modelNews: ModelStatus | undefined;
  /** What became of the full language model of a staged load, not yet told to the page. */
  let fullModelNews: ModelStatus | undefined;
  /** Settles with the full language model's fate (see EngineWorkerApi.fullModelStatus). */
  let fullModelSettled: Promise<ModelStatus | undefined> = Promise.resolve(undefined);
  let settleFullModel: (status: ModelStatus | undefined) => void = () => {};
  /** Starts loading what init left for later (full language model, reranker), after the first answer. */
  let startBackground: (() => void) | undefined;
  /** Starts it anyway when nothing is typed for a while after init. */
  let backgroundTimer: ReturnType<typeof setTimeout> | undefined;
  /** True once an answer since init has had candidates (the background loads are then due soon). */
  let answered = false;

  /** (Re)starts the timer that starts the background loads. */
  const scheduleBackground = (ms: number) => {
    clearTimeout(backgroundTimer);
    backgroundTimer = setTimeout(() => startBackground?.(), ms);
    // In Node the timer alone must not keep a process alive (a script that is done exits).
    (backgroundTimer as { unref?: () => void }).unref?.();
  };
  /** Settles with the model's fate (see EngineWorkerApi.modelStatus). */
  let modelSettled: Promise<ModelStatus | undefined> = Promise.resolve(undefined);
  let settleModel: (status: ModelStatus | undefined) => void = () => {};
  /** Counts inits, so a model finishing after a newer init is dropped. */
  let inits = 0;
  const yieldBeforeDecoding = options.yieldBeforeDecoding ?? true;

  const takeModelNews = (): ModelStatus | undefined => {
    const out = modelNews;
    modelNews = undefined;
    return out;
  };

  const takeFullModelNews = (): ModelStatus | undefined => {
    const out = fullModelNews;
    fullModelNews = undefined;
    return out;
  };

  const takeStorageEvents = (): WireStoreEvent[] => {
    const out = storageEvents;
    storageEvents = [];
    return out;
  };

  const ready = (): Engine => {
    if (!engine) throw new ImeError(ImeErrorCode.InvalidArgument, 'engine not initialised: call init() first');
    return engine;
  };

  /** The slot of session `id`, created on first use (the one used longest ago goes past MAX_SESSIONS). */
  const slotOf = (id: number): SessionSlot => {
    let slot = slots.get(id);
    if (slot) {
      slots.delete(id);
    } else {
      slot = { session: ready().createSession(sessionOptions()), epoch: 0, newest: Number.NEGATIVE_INFINITY, context: '' };
      if (slots.size >= MAX_SESSIONS) slots.delete(slots.keys().next().value!);
    }
    slots.set(id, slot);
    return slot;
  };

  const guard = <T>(run: () => Promise<T>): Promise<T> => (options.wireErrors ? throwingWireErrors(run) : run());

  async function bytesOf(bytes: Uint8Array | undefined, url: string | undefined, what: string, policy: AssetPolicy) {
    if (bytes) return bytes;
    if (url) return loadAsset(url, policy, options.fetch);
    throw new ImeError(ImeErrorCode.InvalidArgument, `init: no ${what} (neither bytes nor URL)`);
  }

  async function loadModel(init: EngineInit, policy: AssetPolicy, load: RerankerLoader, generation: number): Promise<void> {
    try {
      const bytes = await bytesOf(init.reranker, init.rerankerUrl, 'reranker', policy);
      const wasmPaths = init.wasmPaths === undefined ? undefined : resolveAssetUrl(init.wasmPaths, policy).href;
      const next = await load(bytes, { name: init.rerankerUrl ?? 'reranker', ...(wasmPaths ? { wasmPaths } : {}) });
      if (generation !== inits) return void (await next.dispose());
      reranker = next;
      modelNews = { state: 'ready' };
    } catch (e) {
      if (generation !== inits) return;
      modelNews = { state: 'failed', message: e instanceof Error ? e.message : String(e) };
    }
    settleModel(modelNews);
  }

  /** Fetches the full language model of a staged load and puts it in the first one's place. */
  async function loadFullModel(init: EngineInit, policy: AssetPolicy, staged: NGramModel, generation: number): Promise<void> {
    try {
      const bytes = await bytesOf(init.model, init.modelUrl, 'model', policy);
      const full = await loadLanguageModelAsync(bytes, init.modelUrl ?? 'ngram.bin');
      if (generation !== inits) return;
      staged.replaceWith(full);
      fullModelNews = { state: 'ready' };
    } catch (e) {
      if (generation !== inits) return;
      fullModelNews = { state: 'failed', message: e instanceof Error ? e.message : String(e) };
    }
    settleFullModel(fullModelNews);
  }

  async function init(init: EngineInit): Promise<void> {
    const idle = init.assetIdleTimeoutMs;
    if (idle !== undefined && !(typeof idle === 'number' && idle > 0 && idle <= 2 ** 31 - 1)) {
      throw new ImeError(ImeErrorCode.InvalidArgument, 'init: assetIdleTimeoutMs must be a positive number of milliseconds');
    }
    const policy: AssetPolicy = {
      ...(options.base ? { base: options.base } : {}),
      allowed: init.allowedAssetUrls ?? [],
      ...(idle !== undefined ? { idleTimeoutMs: idle } : {}),
    };
    // A staged load starts on the small first model; the full one is fetched after the first answer.
    const staged = init.firstModel !== undefined || init.firstModelUrl !== undefined;
    if (staged && !init.model && !init.modelUrl) throw new ImeError(ImeErrorCode.InvalidArgument, 'init: a first model needs the full model too (model or modelUrl)');
    const [lexicon, model] = await Promise.all([
      bytesOf(init.lexicon, init.lexiconUrl, 'lexicon', policy),
      staged ? bytesOf(init.firstModel, init.firstModelUrl, 'first model', policy) : bytesOf(init.model, init.modelUrl, 'model', policy),
    ]);
    const modelName = staged ? (init.firstModelUrl ?? 'ngram-first.bin') : init.modelUrl;
    const data = await loadEngineDataAsync({ lexicon, model, lexiconName: init.lexiconUrl, modelName });
    // The first model takes over the full one's tables once they have arrived.
    const stagedModel = staged ? data.model : undefined;
    await reranker?.dispose();
    reranker = undefined;
    startBackground = undefined;
    modelNews = undefined;
    fullModelNews = undefined;
    settleModel(undefined);
    modelSettled = Promise.resolve(undefined);
    settleFullModel(undefined);
    fullModelSettled = stagedModel ? new Promise((resolve) => (settleFullModel = resolve)) : Promise.resolve(undefined);
    const generation = ++inits;
    // Loaded in the background once the first candidates are out (never competing with the
    // data they need), one after the other: the full language model first, then the reranker.
    // Until each is ready the engine goes on without it; a failure is told once.
    const background: (() => Promise<void>)[] = [];
    if (stagedModel) background.push(() => loadFullModel(init, policy, stagedModel, generation));
    if (init.reranker || init.rerankerUrl) {
      if (!options.loadReranker) {
        throw new ImeError(ImeErrorCode.ModelFailed, 'this engine has no reranker runtime: start the worker from hanzi-ime/reranker/worker');
      }
      const load = options.loadReranker;
      modelSettled = new Promise((resolve) => (settleModel = resolve));
      background.push(() => loadModel(init, policy, load, generation));
    }
    clearTimeout(backgroundTimer);
    answered = false;
    if (background.length > 0) {
      startBackground = () => {
        startBackground = undefined;
        clearTimeout(backgroundTimer);
        void (async () => {
          for (const step of background) await step();
        })();
      };
      scheduleBackground(options.backgroundIdleMs ?? BACKGROUND_IDLE_MS);
    }
    await closeHistory();
    const history: HistoryInit = typeof init.history === 'object' && init.history !== null ? init.history : {};
    const learning = history.enabled === false ? undefined : new UserLearning(data.lexicon);
    engine = createEngine(data, {
      ...init.options,
      ...learning?.engineOptions,
      ...options.engineOptions,
    });
    if (learning) {
      const store =
        history.persist === false
          ? undefined
          : await HistoryStore.open(learning.history, {
              ...(typeof history.databaseName === 'string' ? { name: history.databaseName } : {}),
              onEvent: (e) => {
                storageEvents.push(wireStoreEvent(e));
                if (storageEvents.length > MAX_PENDING_EVENTS) storageEvents.shift();
              },
            });
      controls = attachHistory(engine, learning, store);
      incognito = controls.incognito = history.incognito === true;
    }
    slots.clear();
  }

  /** Writes what is pending and lets the previous history go (on a second init). */
  async function closeHistory(): Promise<void> {
    const old = controls;
    controls = undefined;
    if (!old) return;
    old.detach();
    await old.store?.close();
  }

  /**
   * Applies `change` to the request's session now, unless the page gave up on the request
   * (deadline passed, or an older epoch: then it is dropped unapplied); a newer epoch resets
   * the session first. Answers once no newer request of that session is waiting.
   */
  function request(raw: number | RequestId, change: (s: Session) => string | undefined): Promise<CompositionState> {
    return guard(async () => {
      const started = performance.now();
      const id = requestIdOf(raw);
      const slot = slotOf(id.session ?? 0);
      const s = slot.session;
      const epoch = id.epoch ?? 0;
      if (epoch < slot.epoch || (id.deadline !== undefined && Date.now() > id.deadline)) {
        return { seq: id.seq, preedit: '', rawInput: s.rawInput, candidates: [], engineMicros: 0, superseded: true, dropped: true };
      }
      if (epoch > slot.epoch) {
        s.reset();
        slot.epoch = epoch;
      }
      slot.newest = id.seq;
      let committed: string | undefined;
      // Learning happens inside the change (the engine's commit listeners): this box's own
      // incognito applies to it alone.
      if (controls) controls.incognito = incognito || id.incognito === true;
      try {
        committed = change(s);
      } finally {
        if (controls) controls.incognito = incognito;
      }
      if (committed) slot.context = (slot.context + committed).slice(-CONTEXT_CHARS);
      if (yieldBeforeDecoding) await yieldToEvents();
      let candidates: readonly Candidate[] | undefined;
      if (id.seq === slot.newest) candidates = reranker ? await s.rankedCandidates(reranker, slot.context) : s.candidates();
      const superseded = id.seq !== slot.newest || candidates === undefined;
      const predictions = !superseded && committed && runtime.prediction && !s.composing ? s.predictions().map((p) => p.text) : [];
      if (startBackground && !superseded && !answered) {
        answered = true;
        scheduleBackground(options.backgroundAfterAnswerMs ?? BACKGROUND_AFTER_ANSWER_MS);
      }
      return {
        seq: id.seq,
        preedit: superseded ? '' : s.preedit(),
        ...(!superseded && s.caret < s.rawInput.length ? { caret: s.preeditCaret() } : {}),
        rawInput: s.rawInput,
        candidates: superseded ? [] : candidates!.map(wire),
        engineMicros: Math.round((performance.now() - started) * 1000),
        ...(committed ? { committed } : {}),
        ...(superseded ? { superseded: true } : {}),
        ...(predictions.length > 0 ? { predictions } : {}),
        ...(storageEvents.length > 0 ? { storageEvents: takeStorageEvents() } : {}),
        ...(modelNews ? { model: takeModelNews() } : {}),
        ...(fullModelNews ? { fullModel: takeFullModelNews() } : {}),
      };
    });
  }

  /** Runs a history control (after init); `off` answers when history is off. */
  function withHistory<T>(off: () => T, run: (c: UserControls) => T | Promise<T>): Promise<T> {
    return guard(async () => {
      ready();
      return controls ? run(controls) : off();
    });
  }

  return {
    get engine() {
      return engine;
    },
    get reranker() {
      return reranker;
    },
    get history() {
      return controls;
    },
    init: (i) => guard(() => init(i)),
    ping: async () => 'pong',
    closeSession: (id) =>
      guard(async () => {
        if (id !== 0) slots.delete(id);
      }),
    type: (seq, keys) => request(seq, (s) => void s.type(typeof keys === 'string' ? keys : '')),
    backspace: (seq) => request(seq, (s) => void s.backspace()),
    select: (seq, index) => request(seq, (s) => s.select(Number.isInteger(index) ? index : -1)),
    commit: (seq) => request(seq, (s) => s.commit()),
    commitRaw: (seq) => request(seq, (s) => s.commitRaw()),
    reset: (seq) => request(seq, (s) => void s.reset()),
    moveCaret: (seq, to) => request(seq, (s) => void s.moveCaret(to === -1 || to === 1 || to === 'home' || to === 'end' ? to : 'end')),
    deleteForward: (seq) => request(seq, (s) => void s.deleteForward()),
    selectCharacter: (seq, index, which) =>
      request(seq, (s) => s.selectCharacter(Number.isInteger(index) ? index : -1, which === 'first' ? 'first' : 'last')),
    selectPrediction: (seq, index) => request(seq, (s) => s.selectPrediction(Number.isInteger(index) ? index : -1)),
    setOptions: (o) =>
      guard(async () => {
        const e = ready();
        const next = checkedRuntimeOptions(runtime, o);
        if (next.traditional !== runtime.traditional) await e.setTraditional(next.traditional);
        e.setExtras({ emoji: next.emoji, english: next.english, quickPhrases: next.quickPhrases, userPhrases: next.userPhrases });
        const decoding = next.scheme !== runtime.scheme || next.typoTolerance !== runtime.typoTolerance || next.fuzzy.join() !== runtime.fuzzy.join();
        runtime = next;
        // New decoders for the new reading of keys: what was being composed is dropped.
        if (decoding) slots.clear();
        return { ...runtime };
      }),
    setIncognito: (on) =>
      withHistory(
        () => undefined,
        (c) => {
          incognito = c.incognito = on === true;
        },
      ),
    modelStatus: () => modelSettled,
    fullModelStatus: () => fullModelSettled,
    historyStatus: () =>
      guard(async () => ({
        enabled: controls !== undefined,
        incognito: controls?.incognito ?? false,
        persistent: controls?.persistent ?? false,
        events: takeStorageEvents(),
      })),
    historyEntries: () => withHistory(() => [], (c) => c.entries()),
    exportHistory: () => withHistory(() => '', (c) => c.exportJson()),
    importHistory: (json) =>
      withHistory(
        () => {
          throw new ImeError(ImeErrorCode.InvalidArgument, 'importHistory: the engine runs without history');
        },
        (c) => c.importJson(json),
      ),
    forget: (text) => withHistory(() => false, (c) => (typeof text === 'string' ? c.forget(text) : false)),
    clearHistory: () => withHistory(() => undefined, (c) => c.clear()),
    flushHistory: () => withHistory(() => undefined, (c) => c.flush()),
  };
}
