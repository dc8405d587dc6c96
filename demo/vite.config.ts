import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { DEMO_CSP_HEADER } from './csp.ts';
import { engineDataPlugin } from './engine-data-plugin.ts';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The demo page: `npm run demo` builds it into demo/dist and serves it on localhost. */
export default defineConfig({
  root: here,
  base: './',
  publicDir: 'public',
  plugins: [engineDataPlugin()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2048,
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  worker: { format: 'es' },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    // A response header (page and worker alike), not only the page's meta tag.
    headers: { 'Content-Security-Policy': DEMO_CSP_HEADER },
  },
  server: { host: '127.0.0.1', port: 5173 },
});
