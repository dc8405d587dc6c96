/**
 * The typed API between a page and the engine running in a Web Worker (comlink). This file
 * is the contract: the worker implements {@link EngineWorkerApi}; the client wraps it as
 * `Remote<EngineWorkerApi>`; the keyboard depends only on these types.
 *
 * Everything crossing the boundary is structured-cloneable plain data.
 */
import type { CandidateKind } from '../engine/candidate.ts';
import type { EngineOptions } from '../engine/engine.ts';
import type { TraditionalVariant } from '../engine/traditional.ts';
import type { FuzzyPair } from '../pinyin/fuzzy.ts';
import type { InputScheme } from '../pinyin/input-options.ts';
import type { ImportResult, LearnedEntry } from '../user/controls.ts';
import type { StorageFailure } from '../user/store.ts';

export type { ImportResult, LearnedEntry, StorageFailure };

/** A candidate as sent to the page. */
export interface WireCandidate {
  readonly text: string;
  readonly length: number;
  readonly kind: CandidateKind;
  readonly reading: string;
}

/** The composition after a request: what the keyboard paints. */
export interface CompositionState {
  /** Monotonic request number this state answers (stale answers can be dropped). */
  readonly seq: number;
  /** Text shown inline while composing (picked text + syllable-separated letters). */
  readonly preedit: string;
  /** Where the caret is in {@link preedit} (a UTF-16 index; absent: at its end). */
  readonly caret?: number;
  /** All letters typed in this composition. */
  readonly rawInput: string;
  /** Candidates for the remaining input, best first (the keyboard pages them). */
  readonly candidates: readonly WireCandidate[];
  /**
   * Text committed by this request, if any; through the client, preceded by the text of
   * earlier requests of the session that the engine ran but the client had given up on.
   */
  readonly committed?: string;
  /** Time the engine spent on this request, in microseconds. */
  readonly engineMicros: number;
  /**
   * True when a newer request arrived before this one's candidates were computed: its
   * `candidates` and `preedit` are empty and must not be painted (the newer answer follows).
   * `committed` is still valid and must be inserted.
   */
  readonly superseded?: boolean;
  /** Storage events since the previous answer (see {@link WireStoreEvent}), oldest first. */
  readonly storageEvents?: readonly WireStoreEvent[];
  /** What became of the reranking model since the previous answer (told once). */
  readonly model?: ModelStatus;
  /**
   * What became of the full language model of a staged load ({@link EngineInit.firstModelUrl})
   * since the previous answer (told once): `ready` once it has replaced the first model.
   */
  readonly fullModel?: ModelStatus;
  /**
   * True when the worker did not apply the request at all: the page had given up on it (its
   * {@link RequestId.deadline} had passed, or a request of a newer epoch came first). Also
   * `superseded`; nothing in it counts.
   */
  readonly dropped?: boolean;
  /**
   * Likely next words after what was just committed, best first, while nothing is composed
   * and prediction is on ({@link RuntimeOptions.prediction}); pick one with `selectPrediction`.
   */
  readonly predictions?: readonly string[];
}

/**
 * Names one composition request. A plain number is request `seq` of session 0, epoch 0, with
 * no deadline (what a single-box caller sends).
 */
export interface RequestId {
  /** Request number, increasing within the session. */
  readonly seq: number;
  /** Which composition (one per attached box; 0 by default). The worker creates it on first use. */
  readonly session?: number;
  /**
   * Bumped by the page each time it gives up on requests (a timeout, a restarted worker). A
   * request of a newer epoch resets the session first, undoing whatever the given-up requests
   * did; one of an older epoch is dropped unapplied. So a key is never applied twice.
   */
  readonly epoch?: number;
  /** `Date.now()` after which the page no longer waits: the worker then drops the request unapplied. */
  readonly deadline?: number;
  /** This session's box learns nothing (a private chat), whatever the engine-wide setting. */
  readonly incognito?: boolean;
}

/**
 * The reranking model, loaded in the background after init: `ready` once it reranks, or
 * `failed` (the engine goes on with the n-gram's order).
 */
export type ModelStatus = { readonly state: 'ready' } | { readonly state: 'failed'; readonly message: string };

/** What the user history store reported, as plain data (src/user/store.ts StoreEvent). */
export type WireStoreEvent =
  /** Storage stopped working: the history is learned in memory only from now on. */
  | { readonly type: 'storage-failed'; readonly reason: StorageFailure; readonly message?: string }
  /** Unreadable records were skipped (left in the database untouched). */
  | { readonly type: 'corrupt-records'; readonly count: number }
  /** Another tab's writes were merged in. */
  | { readonly type: 'synced'; readonly units: number; readonly pairs: number };

/** User history settings of {@link EngineInit}; every field has a default. */
export interface HistoryInit {
  /** Learn from commits at all (default true). False: no history is loaded, learned or written. */
  readonly enabled?: boolean;
  /** Start incognito: the stored history still ranks, but nothing is learned or written. */
  readonly incognito?: boolean;
  /** Keep the history in IndexedDB (default true); false: in memory only. */
  readonly persist?: boolean;
  /** IndexedDB database name (default: src/user/store.ts HISTORY_DB_NAME). */
  readonly databaseName?: string;
}

/** The user history's state, with the storage events not yet collected. */
export interface HistoryStatus {
  /** False when the engine runs without history ({@link HistoryInit.enabled} false). */
  readonly enabled: boolean;
  readonly incognito: boolean;
  /** True while learning reaches IndexedDB (false: in memory only, or no history). */
  readonly persistent: boolean;
  /** Storage events since they were last collected (here or on a {@link CompositionState}). */
  readonly events: readonly WireStoreEvent[];
}

/**
 * The engine options an {@link EngineInit} can carry to a worker: those that are plain data.
 * The ones that are functions or objects with code (a reranker, extra word lists, prediction
 * sources) are given to the engine host in its own thread.
 */
export type EngineInitOptions = Pick<EngineOptions, 'decoder' | 'wordCandidates' | 'secondSentenceMargin'>;

/** Where the worker finds its data files (same-origin URLs, or bytes moved with transfer()). */
export interface EngineInit {
  readonly lexiconUrl?: string;
  readonly modelUrl?: string;
  readonly lexicon?: Uint8Array;
  readonly model?: Uint8Array;
  /**
   * A small n-gram model over the same words as `model` (models/ngram-first.bin), loaded in
   * its place first: the first candidates wait only for it and the lexicon, and the full
   * model is fetched once they are out, then replaces it ({@link CompositionState.fullModel}
   * tells when). If the full model fails, the engine goes on with the first one.
   */
  readonly firstModelUrl?: string;
  readonly firstModel?: Uint8Array;
  /** Options passed to createEngine: the ones that are plain data (see {@link EngineInitOptions}). */
  readonly options?: EngineInitOptions;
  /** The optional reranking model (models/reranker.onnx): a URL, or bytes moved with transfer(). */
  readonly rerankerUrl?: string;
  readonly reranker?: Uint8Array;
  /** Same-origin folder (ending in /) serving onnxruntime-web's .wasm/.mjs files for the reranker. */
  readonly wasmPaths?: string;
  /** URL prefixes allowed besides the worker's own origin (see src/engine/assets.ts). */
  readonly allowedAssetUrls?: readonly string[];
  /**
   * How long a data download may go without progress before it fails with ASSET_UNAVAILABLE
   * (default 30,000 ms; see AssetPolicy.idleTimeoutMs).
   */
  readonly assetIdleTimeoutMs?: number;
  /** User history (default: on, kept in IndexedDB). */
  readonly history?: HistoryInit;
}

/** Typed error codes crossing the boundary (see src/util/errors.ts). */
export interface WireError {
  readonly code: string;
  readonly message: string;
}

/** The composition requests of a session, async, each answering with the new state (client side, no sequence numbers). */
export interface CompositionRequests {
  /** Appends typed letters (or an apostrophe separator) to the composition. */
  type(keys: string): Promise<CompositionState>;
  /** Deletes the last letter, or un-picks the last picked piece. */
  backspace(): Promise<CompositionState>;
  /** Picks candidate `index` of the current state's list (commits once nothing is left). */
  select(index: number): Promise<CompositionState>;
  /** Commits the picked pieces plus the best conversion of the rest. */
  commit(): Promise<CompositionState>;
  /** Commits the typed letters as they are. */
  commitRaw(): Promise<CompositionState>;
  /** Drops the composition. */
  reset(): Promise<CompositionState>;
}

/** Where {@link EditingRequests.moveCaret} moves the caret: a syllable left or right, or to an end. */
export type CaretMove = -1 | 1 | 'home' | 'end';

/** Which character {@link EditingRequests.selectCharacter} keeps of a word (以词定字). */
export type CharacterChoice = 'first' | 'last';

/** Editing inside the composition (client side, answering with the new state). */
export interface EditingRequests {
  /** Moves the caret in the letters not yet picked. */
  moveCaret(to: CaretMove): Promise<CompositionState>;
  /** Deletes the letter after the caret. */
  deleteForward(): Promise<CompositionState>;
  /** Picks only the first or last character of candidate `index`, for all its letters. */
  selectCharacter(index: number, which: CharacterChoice): Promise<CompositionState>;
  /** Commits prediction `index` of the last answer's {@link CompositionState.predictions}. */
  selectPrediction(index: number): Promise<CompositionState>;
}

/**
 * Engine settings that can change at run time (`setOptions`); a field left out keeps its
 * value. Changing the scheme, fuzzy pairs or typo tolerance drops what is being composed.
 */
export interface RuntimeOptions {
  /** Full pinyin (`quanpin`, the default) or a shuangpin layout. */
  readonly scheme?: InputScheme;
  /** Fuzzy pairs switched on (`z-zh`, `in-ing`, …; none by default). */
  readonly fuzzy?: readonly FuzzyPair[];
  /** Correct slips of the finger and common misspellings (default false). */
  readonly typoTolerance?: boolean;
  /** Traditional output (`t`, `tw`, `twp`, `hk`) or simplified (false, the default). */
  readonly traditional?: TraditionalVariant | false;
  /** Offer likely next words after a commit (default false). */
  readonly prediction?: boolean;
  /** Emoji for the pinyin of a word (haha → 😄), never first (default false). */
  readonly emoji?: boolean;
  /** A common English word when the letters spell one (ok, wifi, hello; default false). */
  readonly english?: boolean;
  /** Quick phrases: rq → today's date, sj → the time, xq → the day (default false). */
  readonly quickPhrases?: boolean;
  /** The user's own phrases: letters (a–z, up to 16) → text (up to 200 characters), listed first. */
  readonly userPhrases?: Readonly<Record<string, string>>;
}

/** The user-history controls, the same on the worker and on the client (each harmless when history is off). */
export interface HistoryControls {
  /** Turns learning off (nothing learned or written) or back on. */
  setIncognito(incognito: boolean): Promise<void>;
  /** Whether history is on, incognito, persistent; collects pending storage events. */
  historyStatus(): Promise<HistoryStatus>;
  /** What was learned, strongest first. */
  historyEntries(): Promise<LearnedEntry[]>;
  /** The whole history as JSON text (for a file the user keeps). */
  exportHistory(): Promise<string>;
  /** Merges an export (validated: text that is not one rejects with INVALID_ARGUMENT). */
  importHistory(json: string): Promise<ImportResult>;
  /** Forgets one learned word or phrase and its pairs; false when it was not learned. */
  forget(text: string): Promise<boolean>;
  /** Forgets everything, in memory and in IndexedDB. */
  clearHistory(): Promise<void>;
  /** Writes pending history changes now (the page asks on hide and before terminating). */
  flushHistory(): Promise<void>;
}

/** What the worker exposes. Every composition method answers with the new composition state. */
export interface EngineWorkerApi extends HistoryControls {
  init(init: EngineInit): Promise<void>;
  /** Answers at once unless the worker is stuck (the client's watchdog asks when a request is late). */
  ping(): Promise<'pong'>;
  /**
   * What became of the reranking model asked for at init, once its loading has settled (it
   * starts after the first answer); undefined when none was asked for.
   */
  modelStatus(): Promise<ModelStatus | undefined>;
  /**
   * What became of the full language model of a staged load ({@link EngineInit.firstModelUrl}),
   * once it has replaced the first model or failed (it starts after the first answer);
   * undefined when the load was not staged.
   */
  fullModelStatus(): Promise<ModelStatus | undefined>;
  /** Lets a session go (a box was detached). */
  closeSession(session: number): Promise<void>;
  type(seq: number | RequestId, keys: string): Promise<CompositionState>;
  backspace(seq: number | RequestId): Promise<CompositionState>;
  select(seq: number | RequestId, index: number): Promise<CompositionState>;
  commit(seq: number | RequestId): Promise<CompositionState>;
  commitRaw(seq: number | RequestId): Promise<CompositionState>;
  reset(seq: number | RequestId): Promise<CompositionState>;
  moveCaret(seq: number | RequestId, to: CaretMove): Promise<CompositionState>;
  deleteForward(seq: number | RequestId): Promise<CompositionState>;
  selectCharacter(seq: number | RequestId, index: number, which: CharacterChoice): Promise<CompositionState>;
  selectPrediction(seq: number | RequestId, index: number): Promise<CompositionState>;
  /** Changes the run-time settings for every session; answers with all of them as they now are. */
  setOptions(options: RuntimeOptions): Promise<Required<RuntimeOptions>>;
}
