/**
 * The typed API between a page and the engine running in a Web Worker (comlink). This file
 * is the contract: the worker implements {@link EngineWorkerApi}; the client wraps it as
 * `Remote<EngineWorkerApi>`; the keyboard depends only on these types.
 *
 * Everything crossing the boundary is structured-cloneable plain data.
 */
import type { CandidateKind } from '../engine/candidate.ts';

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
  /** All letters typed in this composition. */
  readonly rawInput: string;
  /** Candidates for the remaining input, best first (the keyboard pages them). */
  readonly candidates: readonly WireCandidate[];
  /** Text committed by this request, if any. */
  readonly committed?: string;
  /** Time the engine spent on this request, in microseconds. */
  readonly engineMicros: number;
  /**
   * True when a newer request arrived before this one's candidates were computed: its
   * `candidates` and `preedit` are empty and must not be painted (the newer answer follows).
   * `committed` is still valid and must be inserted.
   */
  readonly superseded?: boolean;
}

/** Where the worker finds its data files (same-origin URLs, or bytes moved with transfer()). */
export interface EngineInit {
  readonly lexiconUrl?: string;
  readonly modelUrl?: string;
  readonly lexicon?: Uint8Array;
  readonly model?: Uint8Array;
  /** Options passed to createEngine (structured-cloneable subset). */
  readonly options?: Record<string, unknown>;
  /** The optional reranking model (models/reranker.onnx): a URL, or bytes moved with transfer(). */
  readonly rerankerUrl?: string;
  readonly reranker?: Uint8Array;
  /** Same-origin folder (ending in /) serving onnxruntime-web's .wasm/.mjs files for the reranker. */
  readonly wasmPaths?: string;
  /** URL prefixes allowed besides the worker's own origin (see src/engine/assets.ts). */
  readonly allowedAssetUrls?: readonly string[];
}

/** Typed error codes crossing the boundary (see src/util/errors.ts). */
export interface WireError {
  readonly code: string;
  readonly message: string;
}

/** What the worker exposes. Every method answers with the new composition state. */
export interface EngineWorkerApi {
  init(init: EngineInit): Promise<void>;
  type(seq: number, keys: string): Promise<CompositionState>;
  backspace(seq: number): Promise<CompositionState>;
  select(seq: number, index: number): Promise<CompositionState>;
  commit(seq: number): Promise<CompositionState>;
  commitRaw(seq: number): Promise<CompositionState>;
  reset(seq: number): Promise<CompositionState>;
}
