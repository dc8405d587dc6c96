// Starts src/worker/node-worker.ts in a worker thread: registers tsx's loader first, since
// worker_threads do not take `--import tsx` from execArgv.
import { register } from 'tsx/esm/api';

register();
await import('../src/worker/node-worker.ts');
