/**
 * Cold start inside a worker thread, as a page would see it: the worker is bundled first
 * (as Vite bundles it for the page), then timed from starting it, moving the data bytes in,
 * loading them with the portable inflate a browser Worker uses, to the first candidates.
 * Prints JSON {workerColdMs, firstKeyMs}. Run by bench/run.ts.
 */
import { Worker } from 'node:worker_threads';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { build } from 'esbuild';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { readAssets, ROOT } from '../scripts/lib/node-engine.ts';
import { createEngineClient } from '../src/worker/client.ts';

const outfile = `${mkdtempSync(`${tmpdir()}/ime-worker-`)}/worker.mjs`;
await build({
  entryPoints: [`${ROOT}src/worker/node-worker.ts`],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile,
  logLevel: 'error',
});
const assets = readAssets();
const init = { lexicon: new Uint8Array(assets.lexicon), model: new Uint8Array(assets.model) };
const t0 = performance.now();
const worker = new Worker(outfile);
const client = await createEngineClient({
  init,
  worker: () => Object.assign(nodeEndpoint(worker), { terminate: () => void worker.terminate() }),
});
const t1 = performance.now();
const state = await client.type('nihao');
const t2 = performance.now();
client.close();
if (state.candidates[0]?.text !== '你好') throw new Error(`unexpected first candidate ${state.candidates[0]?.text}`);
process.stdout.write(JSON.stringify({ workerColdMs: t2 - t0, firstKeyMs: t2 - t1 }) + '\n');
