import type { LanguageModel } from '../lm/language-model.ts';
import type { Reranker } from '../model/reranker.ts';
import type { CommitRecord } from './candidate.ts';
import type { ExtrasOptions } from './extras.ts';
import type { PredictionSource } from './prediction.ts';
import type { TextConverter } from './traditional.ts';

/** The engine options a session reads; every field has a default. */
export interface SessionOptions {
  /** Word candidates offered per reading after the sentences (default 60). */
  readonly wordCandidates?: number;
  /**
   * A second whole-input sentence is shown after the best one when its cost is within this
   * many nats (default 6) and it differs in more than one character (see Session.candidates).
   */
  readonly secondSentenceMargin?: number;
  /**
   * Extra sources of next-word predictions besides the n-gram model (the user's history).
   * Called once per session, when it first predicts.
   */
  readonly predictionSources?: () => readonly PredictionSource[];
  /**
   * Reorders the decoder's best sentences in Session.rankedCandidates (e.g. the ONNX model of
   * src/model/onnx.ts). Off by default; Session.candidates never uses it.
   */
  readonly reranker?: Reranker;
}

/**
 * What a session needs of the engine that made it: options, the n-gram model, the output
 * settings shared by every session, and where commits are reported. The engine implements
 * it, so sessions depend on this interface and not on the engine.
 */
export interface SessionHost {
  readonly options: SessionOptions;
  /** The n-gram model (next-word prediction lists its successors). */
  readonly baseModel: LanguageModel;
  /** The chat extras in use. */
  readonly extras: ExtrasOptions;
  /** The conversion applied to output text (undefined: simplified, as decoded). */
  readonly outputConverter: TextConverter | undefined;
  /** Changes whenever the output conversion or the extras do (cached candidates are dropped then). */
  readonly outputVersion: number;
  /** Tells the commit listeners of a commit. */
  notifyCommit(record: CommitRecord): void;
}
