/**
 * The engine core's API without the IndexedDB history store: what runs anywhere, Node
 * included, with types that need no DOM library (the package root under Node exports this
 * plus loadEngine; src/index.ts adds the stored history for pages and workers).
 */
export { createEngine, Engine, type EngineData, type EngineOptions, type CommitListener } from './engine/engine.ts';
export { Session } from './engine/session.ts';
export type { SessionHost, SessionOptions } from './engine/session-host.ts';
export type { Candidate, CandidateKind, CandidateWord, CommitRecord } from './engine/candidate.ts';
export { loadEngineData, type EngineAssets } from './engine/load.ts';
export { DEFAULT_DECODER_OPTIONS, type DecoderOptions } from './decoder/options.ts';
export type { LanguageModel, ScoreOut } from './lm/language-model.ts';
export { NGramModel } from './lm/ngram-model.ts';
export { Lexicon } from './lexicon/lexicon.ts';
export { ImeError, ImeErrorCode, isImeError } from './util/errors.ts';
export { normalizePinyin } from './pinyin/normalize.ts';
export { UserLearning, type UserLearningOptions } from './user/user-learning.ts';
export type { Prediction, PredictionContext, PredictionSource } from './engine/prediction.ts';
export { TRADITIONAL_VARIANTS, type TraditionalVariant } from './engine/traditional.ts';
export { FUZZY_PAIRS, parseFuzzyPairs, type FuzzyPair } from './pinyin/fuzzy.ts';
export { INPUT_SCHEMES, type InputScheme, type InputOptions } from './pinyin/input-options.ts';
export { NULL_RERANKER, type Reranker, type RerankItem } from './model/reranker.ts';
