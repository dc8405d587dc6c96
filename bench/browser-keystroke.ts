/**
 * Keystroke-to-painted-candidates latency in Chromium: types the first N clauses of
 * ../shared/eval/dev-chat.tsv into the demo page's message box, one real key event at a time
 * (playwright-core through CDP), space to commit and Enter to send each clause, and reads the
 * keyboard's own measurement for every key: from the keydown's timestamp to the frame painted
 * after its candidates were rendered (a task posted from requestAnimationFrame).
 *
 *   npx tsx bench/browser-keystroke.ts [--clauses 200] [--file ../shared/eval/dev-chat.tsv] [--json OUT]
 *                                      [--engine worker|main] [--unthrottled] [--pace human|lockstep] [--seed 6]
 *
 * Target: p95 of the letter keys ≤ 16 ms (one frame at 60 Hz).
 *
 * Pace. `human` (default): each keydown comes a seeded random 60–180 ms after the previous one
 * and its keyup 30–90 ms after it, as a typist's keys do, so keys land at random phases of the
 * display's frames. `lockstep`: each key is pressed (keydown + keyup at once) right after the
 * previous key's frame was painted; every key then lands just after a frame, while the demo's
 * latency readout (updated after that frame) has the next one already scheduled. That
 * pessimistic mode is kept to compare with older runs: with the engine in the worker the answer
 * arrives while that frame holds the main thread, misses it and waits for the one after.
 *
 * Report: painted p50/p95/p99 (keydown → after the frame that showed the candidates), the
 * share of keys painted within one frame interval and the share whose frame belongs to the
 * first vsync after the keydown, "rendered" (keydown → candidates in the DOM, before the frame),
 * "frame work" (painted − rendered: waiting for the frame and its main-thread work), the
 * engine's own time, and the 1-minute load average before and after (the machine is shared; a
 * loaded machine inflates the tail). `--unthrottled` runs Chromium without vsync or frame-rate
 * limit, so frames follow the work at once. `--engine main` runs the engine on the page's main
 * thread instead of the Web Worker.
 *
 * Where the time goes (traced with Chromium tracing and timeOrigin-based stamps on both sides
 * of the worker, human pace): the keydown reaches the page's handler ~1 ms after its
 * timestamp; the request reaches the worker 0.5–1.5 ms later; the engine answers in ~0.5 ms
 * (the worker's yield before decoding costs ~0.1 ms); the answer is on the page 0.5 ms after it
 * was posted and in the DOM 0.5 ms later; headless Chromium then draws the frame on demand in
 * ~3 ms (style and layout of the panel ~1 ms, paint, commit). Nothing may ask for a frame
 * between the keydown and the answer (see src/keyboard/attach.ts KeyStamp).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { KeyboardEventMap } from '../src/keyboard/events.ts';
import { mulberry32 } from '../scripts/lib/random.ts';
import { launchChromium, ROOT, serveDemo } from '../test/e2e/harness.ts';

type Sample = KeyboardEventMap['latency'];

const { values } = parseArgs({
  options: {
    clauses: { type: 'string', default: '200' },
    file: { type: 'string', default: `${ROOT}../shared/eval/dev-chat.tsv` },
    json: { type: 'string' },
    unthrottled: { type: 'boolean', default: false },
    engine: { type: 'string', default: 'worker' },
    pace: { type: 'string', default: 'human' },
    seed: { type: 'string', default: '6' },
  },
});
if (values.pace !== 'human' && values.pace !== 'lockstep') throw new Error(`--pace must be human or lockstep, not ${values.pace}`);
const human = values.pace === 'human';
const random = mulberry32(Number(values.seed) >>> 0);
/** A uniform random whole number of milliseconds in [min, max]. */
const between = (min: number, max: number) => Math.round(min + random() * (max - min));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const count = Number(values.clauses);
const clauses = readFileSync(values.file!, 'utf8')
  .split('\n')
  .map((line) => line.split('\t')[0]!.trim())
  .filter((p) => /^[a-z']+$/.test(p))
  .slice(0, count);

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

/** The share of `xs` that `test` holds for, in percent with one decimal. */
function pct<T>(xs: readonly T[], test: (x: T) => boolean): number {
  return Math.round((1000 * xs.filter(test).length) / Math.max(1, xs.length)) / 10;
}

function summary(xs: readonly number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { n: s.length, mean: r(mean), p50: r(quantile(s, 0.5)), p95: r(quantile(s, 0.95)), p99: r(quantile(s, 0.99)), max: r(s[s.length - 1] ?? NaN) };
}

const loadBefore = loadavg()[0]!;
const server = await serveDemo();
const browser = await launchChromium(
  values.unthrottled ? ['--disable-gpu-vsync', '--disable-frame-rate-limit'] : [],
);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${server.url}?engine=${values.engine === 'main' ? 'main' : 'worker'}`);
  await page.evaluate(() => window.hanziImeDemo.ready);
  const engineWhere = await page.locator('#engine-status').textContent();
  const loadedRequests = requests.length;
  /**
   * The display's frame interval: the median gap between 30 consecutive animation frames.
   * (Passed as source text: tsx would wrap a named local function in a helper the page lacks.)
   */
  const frameInterval = Number(
    await page.evaluate(`new Promise((resolve) => {
      const times = [];
      requestAnimationFrame(function tick(t) {
        times.push(t);
        if (times.length <= 30) return requestAnimationFrame(tick);
        const gaps = times.slice(1).map((x, i) => x - times[i]).sort((a, b) => a - b);
        resolve(gaps[gaps.length >> 1]);
      });
    })`),
  );

  /** Waits until the page has `n` latency samples (each key's sample arrives after its frame). */
  const waitSamples = (n: number) => page.evaluate((k) => window.hanziImeDemo.whenLatencies(k), n);
  /** Lets a frame go by (a person does not type within 16 ms of sending). */
  const nextFrame = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));

  /**
   * Types one key. Lockstep: press (keydown + keyup at once) right after the previous key's
   * frame. Human: keydown a random 60–180 ms after the previous keydown, keyup a random
   * 30–90 ms later (at most 20 ms before the next key), as a typist's keys come.
   */
  let lastKeyDown = performance.now();
  const typeKey = async (key: string) => {
    if (!human) return page.keyboard.press(key);
    const gap = between(60, 180);
    await sleep(lastKeyDown + gap - performance.now());
    lastKeyDown = performance.now();
    await page.keyboard.down(key);
    await sleep(between(30, Math.min(90, gap - 20)));
    await page.keyboard.up(key);
  };

  let expected = 0;
  const started = performance.now();
  for (const clause of clauses) {
    for (const key of clause) {
      await typeKey(key === "'" ? 'Quote' : key);
      await waitSamples(++expected);
    }
    await typeKey(' ');
    await waitSamples(++expected);
    await typeKey('Enter');
    await page.evaluate(() => window.hanziImeDemo.keyboard()!.settled());
    if (!human) await nextFrame();
  }
  const seconds = (performance.now() - started) / 1000;
  const samples: Sample[] = await page.evaluate(() => window.hanziImeDemo.latencies);
  const letters = samples.filter((s) => s.action === 'compose');
  const commits = samples.filter((s) => s.action === 'pickHighlighted');
  const result = {
    browser: browser.version(),
    vsync: !values.unthrottled,
    pace: human ? `human (60–180 ms between keys, seed ${values.seed})` : 'lockstep',
    // 1-minute load average before and after (other work on the machine inflates the tail).
    load: [loadBefore, loadavg()[0]!].map((x) => Math.round(x * 100) / 100),
    engine: engineWhere,
    clauses: clauses.length,
    keys: letters.length,
    seconds: Math.round(seconds),
    batchedKeys: letters.filter((s) => s.keys > 1).length,
    frameIntervalMs: Math.round(frameInterval * 100) / 100,
    // The frame that painted the candidates belongs to the first vsync after the keydown.
    letterInNextFramePct: pct(letters, (s) => s.frameMillis < frameInterval),
    // Painted no later than one frame interval after the keydown.
    letterWithinOneFramePct: pct(letters, (s) => s.millis <= frameInterval),
    letterPaintedMs: summary(letters.map((s) => s.millis)),
    letterRenderedMs: summary(letters.map((s) => s.renderMillis)),
    letterFrameWorkMs: summary(letters.map((s) => s.millis - s.renderMillis)),
    letterEngineMs: summary(letters.map((s) => s.engineMicros / 1000)),
    commitPaintedMs: summary(commits.map((s) => s.millis)),
    sent: (await page.evaluate(() => window.hanziImeDemo.sent.length)),
    requestsWhileTyping: requests.length - loadedRequests,
  };
  console.log(JSON.stringify(result, null, 2));
  const p95 = result.letterPaintedMs.p95;
  console.log(`keystroke-to-painted-candidates p95 = ${p95} ms (target ≤ 16 ms): ${p95 <= 16 ? 'met' : 'NOT met'}`);
  if (values.json) writeFileSync(values.json, JSON.stringify({ ...result, samples: letters }, null, 1));
} finally {
  await browser.close();
  await server.close();
}
