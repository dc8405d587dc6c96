/**
 * Starts the engine for the demo page and hands the keyboard its backend: the worker client
 * (the engine in a Web Worker, or on the main thread where Workers are unavailable). The data
 * files come from the page's own origin (see engine-data-plugin.ts).
 */
import type { KeyboardBackend } from '../src/keyboard/index.ts';
import { createEngineClient, type EngineClient } from '../src/worker/client.ts';

/** The running engine as the demo uses it. */
export interface DemoEngine {
  readonly backend: KeyboardBackend;
  /** The worker client: the keyboard's backend and the history controls. */
  readonly client: EngineClient;
  /** Where the engine runs, for the status line. */
  readonly where: string;
}

const dataUrl = (name: string) => new URL(`data/${name}`, document.baseURI).href;

/** Where to run the engine: a Web Worker (default), or the page's main thread. */
export type EnginePlace = 'worker' | 'main';

/**
 * The worker entry able to run the reranking model (onnxruntime-web, loaded by the worker only
 * once the n-gram is answering). The runtime's .wasm comes from the page's own origin.
 */
function rerankerWorker(): Worker {
  return new Worker(new URL('../src/worker/reranker-worker.ts', import.meta.url), { type: 'module' });
}

/**
 * Starts the engine; it fetches its data files itself. The user history is on (kept in
 * IndexedDB); `incognito` starts it with learning off. In a worker the reranking model loads
 * after the n-gram (unless `reranker` is false): candidates come in the n-gram's order until
 * it is ready.
 */
export async function startEngine(place: EnginePlace = 'worker', incognito = false, reranker = true): Promise<DemoEngine> {
  const withModel = reranker && place === 'worker' && typeof Worker !== 'undefined';
  const client = await createEngineClient({
    init: {
      lexiconUrl: dataUrl('lexicon.bin'),
      modelUrl: dataUrl('ngram.bin'),
      firstModelUrl: dataUrl('ngram-first.bin'),
      history: { incognito },
      ...(withModel ? { rerankerUrl: dataUrl('reranker.onnx'), wasmPaths: dataUrl('ort/') } : {}),
    },
    ...(place === 'main' ? { worker: null } : withModel ? { worker: rerankerWorker } : {}),
  });
  return { backend: client, client, where: client.inWorker ? 'Web Worker' : 'main thread' };
}
