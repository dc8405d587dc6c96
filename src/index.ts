/** Public API of the engine core (runs in Node, a Worker or a page; no DOM needed). */
export { createEngine, Engine, type EngineData, type EngineOptions, type CommitListener } from './engine/engine.ts';
export { Session } from './engine/session.ts';
export type { Candidate, CandidateKind, CandidateWord, CommitRecord } from './engine/candidate.ts';
export { loadEngineData, type EngineAssets } from './engine/load.ts';
export { DEFAULT_DECODER_OPTIONS, type DecoderOptions } from './decoder/options.ts';
export type { LanguageModel, ScoreOut } from './lm/language-model.ts';
export { NGramModel } from './lm/ngram-model.ts';
export { Lexicon } from './lexicon/lexicon.ts';
export { ImeError, ImeErrorCode, isImeError } from './util/errors.ts';
export { normalizePinyin } from './pinyin/normalize.ts';
export { UserLearning, type UserLearningOptions } from './user/user-learning.ts';
export { attachHistory } from './user/attach.ts';
export { UserControls, type LearnedEntry, type ImportResult } from './user/controls.ts';
export { HistoryStore, type HistoryStoreOptions, type StoreEvent, type StorageFailure } from './user/store.ts';
