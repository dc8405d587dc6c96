/**
 * The demo's first visit in Chromium: bytes downloaded (every request of the page and its
 * worker, headers included) by the time the first candidate shows, and how long that took,
 * on loopback and through CDP's network throttling.
 *
 *   npx tsx bench/first-visit.ts [--mbit 20] [--latency-ms 20]
 */
import { launchChromium, serveDemo } from '../test/e2e/harness.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const MBIT = arg('--mbit', 20);
const LATENCY_MS = arg('--latency-ms', 20);

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
    let bytes = 0;
    const sizes: Promise<void>[] = [];
    context.on('requestfinished', (r) => {
      sizes.push(r.sizes().then((s) => void (bytes += s.responseBodySize + s.responseHeadersSize + s.requestHeadersSize + s.requestBodySize)));
    });
    const t0 = performance.now();
    await page.goto(server.url, { waitUntil: 'commit' });
    // Keys go in as soon as the keyboard is attached (it keeps them while the engine loads).
    await page.waitForFunction(() => (window as { hanziImeDemo?: { keyboard(): unknown } }).hanziImeDemo?.keyboard(), undefined, { polling: 5 });
    await page.locator('#message').click();
    await page.keyboard.type('nihao');
    await page.locator('[data-hanzi-ime] [role="option"]:not([hidden]) .text').first().waitFor({ timeout: 60_000 });
    const ms = performance.now() - t0;
    await Promise.all(sizes);
    const counted = bytes;
    console.log(
      `${throttled ? `${MBIT} Mbit/s, ${LATENCY_MS} ms` : 'loopback'}: first candidate after ${ms.toFixed(0)} ms, ${counted} bytes downloaded`,
    );
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
