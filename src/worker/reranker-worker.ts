/**
 * The Web Worker entry with the optional ONNX reranker (`hanzi-ime/reranker/worker`): the
 * engine host of worker.ts, able to load the model named by EngineInit.reranker / rerankerUrl.
 * It imports onnxruntime-web (an optional peer dependency), so only pages that start this
 * worker need it installed. Start it from a one-line worker file of your own, `ime-worker.ts`
 * holding `import 'hanzi-ime/reranker/worker';`, and give createEngineClient a `worker`
 * option that starts that file as a module Worker (README: "The optional reranker").
 */
import { expose } from 'comlink';
import { loadOnnxReranker } from '../model/onnx.ts';
import { createEngineHost } from './engine-host.ts';
import type { EngineWorkerApi } from './protocol.ts';

const api: EngineWorkerApi = createEngineHost({ wireErrors: true, loadReranker: loadOnnxReranker });
expose(api);
