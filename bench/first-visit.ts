/**
 * The demo's first visit in Chromium: bytes downloaded (every request of the page and its
 * worker, headers included) by the time the first candidate shows, and how long that took,
 * on loopback and through CDP's network throttling.
 *
 * The page itself notes the moment the first candidate is painted (checked every animation
 * frame); a request counts when it finished before that moment. Requests still in flight then
 * (the full language model, started after the first answer) are listed apart: with a staged
 * load nothing the first candidate needs is among them.
 *
 *   npx tsx bench/first-visit.ts [--mbit 20] [--latency-ms 20]
 */
import type { Request } from 'playwright-core';
import { launchChromium, serveDemo } from '../test/e2e/harness.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const MBIT = arg('--mbit', 20);
const LATENCY_MS = arg('--latency-ms', 20);

/** The keyboard's panel host; the candidates are inside its (open) shadow root. */
const PANEL = '[data-hanzi-ime]';
const CANDIDATE = '[role="option"]:not([hidden]) .text';

/** Wall-clock end of a finished request (ms since the epoch). */
const endOf = (r: Request) => r.timing().startTime + r.timing().responseEnd;
const nameOf = (r: Request) => new URL(r.url()).pathname.split('/').pop() || '/';

const server = await serveDemo();
const browser = await launchChromium();
try {
  for (const throttled of [false, true]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    if (throttled) {
      const bytesPerSecond = (MBIT * 1e6) / 8;
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: LATENCY_MS,
        downloadThroughput: bytesPerSecond,
        uploadThroughput: bytesPerSecond,
      });
    }
    const started: Request[] = [];
    const finished: { request: Request; bytes: number }[] = [];
    const sizes: Promise<void>[] = [];
    context.on('request', (r) => void started.push(r));
    context.on('requestfinished', (r) => {
      sizes.push(
        r.sizes().then((s) => void finished.push({ request: r, bytes: s.responseBodySize + s.responseHeadersSize + s.requestHeadersSize + s.requestBodySize })),
      );
    });
    const t0 = Date.now();
    await page.goto(server.url, { waitUntil: 'commit' });
    // Keys go in as soon as the keyboard is attached (it keeps them while the engine loads).
    await page.waitForFunction(() => (window as { hanziImeDemo?: { keyboard(): unknown } }).hanziImeDemo?.keyboard(), undefined, { polling: 5 });
    await page.locator('#message').click();
    await page.keyboard.type('nihao');
    const shownAt = (await (
      await page.waitForFunction(
        ([panel, candidate]) => {
          for (const host of document.querySelectorAll(panel)) if (host.shadowRoot?.querySelector(candidate)?.textContent) return Date.now();
          return false;
        },
        [PANEL, CANDIDATE] as const,
        { polling: 'raf', timeout: 120_000 },
      )
    ).jsonValue()) as number;
    // Let what was in flight finish, to tell it apart.
    await page.waitForTimeout(throttled ? 8000 : 1000);
    await Promise.all(sizes);
    const before = finished.filter((f) => endOf(f.request) <= shownAt);
    const bytes = before.reduce((sum, f) => sum + f.bytes, 0);
    const inFlight = started.filter((r) => r.timing().startTime <= shownAt && !before.some((f) => f.request === r)).map(nameOf);
    const files = before
      .filter((f) => f.bytes > 100_000)
      .map((f) => `${nameOf(f.request)} ${(f.bytes / 1e6).toFixed(2)} MB`)
      .join(', ');
    console.log(
      `${throttled ? `${MBIT} Mbit/s, ${LATENCY_MS} ms` : 'loopback'}: first candidate after ${shownAt - t0} ms, ${bytes} bytes downloaded by then ` +
        `(${before.length} requests; large: ${files}); started but unfinished then: ${inFlight.join(', ') || 'none'}`,
    );
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
