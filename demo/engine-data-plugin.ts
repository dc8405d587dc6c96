/**
 * Vite plugin: serves the engine's data files from the page's own origin, at
 * `data/lexicon.bin` and `data/ngram.bin` beside index.html. The files stay where the repo
 * keeps them (dictionaries/, models/); the dev server streams them and the build copies them
 * into its output, so they are never duplicated in git. It also puts the CSP into the built
 * page (the dev server's hot reload injects inline styles, which that policy would block).
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { DEMO_CSP } from './csp.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Served path (relative to the page) → file in the repository. */
export const ENGINE_DATA_FILES: Readonly<Record<string, string>> = {
  'data/lexicon.bin': `${ROOT}dictionaries/lexicon.bin`,
  'data/ngram.bin': `${ROOT}models/ngram.bin`,
  // The small model the first candidates use until ngram.bin has arrived.
  'data/ngram-first.bin': `${ROOT}models/ngram-first.bin`,
  // The optional reranker and the ONNX runtime's WebAssembly build (loaded by the worker).
  'data/reranker.onnx': `${ROOT}models/reranker.onnx`,
  'data/ort/ort-wasm-simd-threaded.mjs': `${ROOT}node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.mjs`,
  'data/ort/ort-wasm-simd-threaded.wasm': `${ROOT}node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm`,
};

/** The served type of a data file (module scripts and WebAssembly need theirs). */
function contentType(path: string): string {
  if (path.endsWith('.mjs')) return 'text/javascript';
  if (path.endsWith('.wasm')) return 'application/wasm';
  return 'application/octet-stream';
}

export function engineDataPlugin(): Plugin {
  return {
    name: 'hanzi-ime-engine-data',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0]!.replace(/^\//, '');
        const file = ENGINE_DATA_FILES[path];
        if (!file) return next();
        res.setHeader('Content-Type', contentType(path));
        res.setHeader('Content-Length', String(statSync(file).size));
        createReadStream(file).pipe(res);
      });
    },
    generateBundle() {
      for (const [fileName, file] of Object.entries(ENGINE_DATA_FILES)) {
        this.emitFile({ type: 'asset', fileName, source: readFileSync(file) });
      }
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        if (ctx.server) return [];
        return [
          {
            tag: 'meta',
            attrs: { 'http-equiv': 'Content-Security-Policy', content: DEMO_CSP },
            injectTo: 'head-prepend',
          },
        ];
      },
    },
  };
}
