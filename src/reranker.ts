/**
 * The optional ONNX reranker (`hanzi-ime/reranker`): loads a model written by
 * scripts/train_reranker.py and reranks the engine's sentences with it. Needs the optional
 * peer dependency onnxruntime-web; nothing else in the package imports it.
 *
 * ```ts
 * import { loadEngine } from 'hanzi-ime';
 * import { loadOnnxReranker } from 'hanzi-ime/reranker';
 * const reranker = await loadOnnxReranker(modelBytes);
 * const engine = await loadEngine({ reranker });
 * ```
 *
 * In a page, start the engine worker from `hanzi-ime/reranker/worker` instead of the default
 * one and pass `rerankerUrl` (and `wasmPaths`) in the init.
 */
export { loadOnnxReranker, type OnnxOptions } from './model/onnx.ts';
export { SentenceReranker } from './model/sentence-reranker.ts';
export type { Reranker, RerankItem } from './model/reranker.ts';
