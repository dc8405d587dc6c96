/**
 * The Web Worker entry: exposes the engine host with comlink on the worker's global scope.
 * Start it as a module worker so bundlers follow it:
 *
 *   new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })
 *
 * (src/worker/client.ts does this). Data files are fetched here, from same-origin URLs, or
 * arrive as bytes moved with comlink's transfer().
 */
import { expose } from 'comlink';
import { createEngineHost } from './engine-host.ts';
import type { EngineWorkerApi } from './protocol.ts';

const api: EngineWorkerApi = createEngineHost({ wireErrors: true });
expose(api);
