/**
 * The same worker for Node's worker_threads (tests, command-line tools): exposes the engine
 * host through comlink's Node adapter on the parent port. In Node the data arrive as bytes.
 * Run it with tsx loaded, e.g. `new Worker(url, { execArgv: ['--import', 'tsx'] })`.
 */
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { ImeError, ImeErrorCode } from '../util/errors.ts';
import { createEngineHost, type RerankerLoader } from './engine-host.ts';

if (!parentPort) throw new ImeError(ImeErrorCode.InvalidArgument, 'node-worker.ts must run in a worker thread');
// The runtime is imported only when an init names a model.
const loadReranker: RerankerLoader = async (bytes, options) => (await import('../model/onnx.ts')).loadOnnxReranker(bytes, options);
expose(createEngineHost({ wireErrors: true, loadReranker }), nodeEndpoint(parentPort));
