/** What the browser test files share: the served demo and one Chromium per file. */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium, ROOT, serveDemo, type DemoServer } from './harness.ts';

/** Where the browser tests save their screenshots. */
export const SHOTS = `${ROOT}test-results/e2e`;

/** The served demo and a browser, shared by the tests of one file. */
export interface DemoEnvironment {
  readonly server: DemoServer;
  readonly browser: Browser;
}

/**
 * Serves the demo and starts Chromium before the file's tests, and closes both after them.
 * Read the fields inside tests (they are set once `beforeAll` has run).
 */
export function useDemoEnvironment(): DemoEnvironment {
  const env = {} as { server: DemoServer; browser: Browser };
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    env.server = await serveDemo();
    env.browser = await launchChromium();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}
