/**
 * Shared set-up for the browser tests and the browser benchmark: build the demo with its own
 * Vite config, serve it on a free localhost port, and drive Debian's Chromium through
 * playwright-core (never a downloaded browser).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG = `${ROOT}demo/vite.config.ts`;

/** Where Chromium is looked for: $CHROMIUM_PATH, then Debian's package. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error('Chromium not found: apt-get install -y chromium (or set CHROMIUM_PATH)');
  return found;
}

/**
 * Launches headless Chromium with the flags the project allows (no network side-channels);
 * `extraArgs` are appended (the benchmark's unthrottled mode).
 */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/** The built demo, served on localhost. */
export interface DemoServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Builds the demo (quietly) and serves the build on a free port. */
export async function serveDemo(): Promise<DemoServer> {
  await build({ configFile: CONFIG, logLevel: 'warn' });
  const server: PreviewServer = await preview({
    configFile: CONFIG,
    logLevel: 'warn',
    preview: { port: 0, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the demo server did not report its URL');
  return { url, close: () => server.close() };
}

