/**
 * Reliability on the demo page in Chromium (issue 16): the security policy arrives as a
 * response header for the page and its worker, masked text fields are left alone, a commit
 * survives a reload or a closed tab a moment later, and the keyboard survives its worker.
 * Each test has a browser context of its own (its own IndexedDB).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  candidates,
  commitLiYanLing,
  firstCandidate as firstCandidateInFocus,
  message,
  openDemoPage,
  pick,
  ready,
  settle,
} from './demo-page.ts';
import { useDemoEnvironment } from './environment.ts';

const env = useDemoEnvironment();

/** Opens the demo (with `query` on its URL) in `context`, or in a new one. */
const openDemo = (query = '', context?: BrowserContext) => openDemoPage(env, { query, context });

/** The first candidate for `keys` typed into the message box; the composition is cancelled after. */
async function firstCandidate(page: Page, keys: string): Promise<string | undefined> {
  await page.locator('#message').focus();
  return firstCandidateInFocus(page, keys);
}

describe('the demo server', () => {
  it('CSP as a response header: the page and the worker script both get it, with frame-ancestors', async () => {
    const { page, context } = await openDemo();
    const headers = new Map<string, string | undefined>();
    context.on('response', (r) => headers.set(r.url(), r.headers()['content-security-policy']));
    await page.reload();
    await ready(page);
    const pageCsp = headers.get(page.url());
    expect(pageCsp).toContain("default-src 'self'");
    expect(pageCsp).toContain("frame-ancestors 'none'");
    expect(pageCsp).toContain("connect-src 'self'");
    const worker = [...headers.keys()].find((u) => /worker[^/]*\.js$/.test(u));
    expect(worker, 'the worker script was loaded').toBeDefined();
    expect(headers.get(worker!)).toBe(pageCsp);
    await context.close();
  });
});

describe('masked fields', () => {
  it('a text field masked with -webkit-text-security is treated like a password field: no candidates, nothing learned', async () => {
    const { page, context } = await openDemo();
    await page.locator('#message').evaluate((el) => el.style.setProperty('-webkit-text-security', 'disc'));
    await page.locator('#message').focus();
    await page.keyboard.type('liyanling');
    await settle(page);
    expect(await message(page)).toBe('liyanling');
    expect(await page.locator('[data-hanzi-ime] [role="option"]:not([hidden])').count()).toBe(0);
    expect(await page.evaluate(() => window.hanziImeDemo.keyboard()!.composing)).toBe(false);
    await context.close();
  });
});

describe('durable commits', () => {
  for (const place of ['worker', 'main'] as const) {
    it(`a commit followed at once by a reload is kept (engine on the ${place === 'main' ? 'main thread' : 'worker'})`, async () => {
      const { page, context, problems } = await openDemo(place === 'main' ? '?engine=main' : '');
      expect(await firstCandidate(page, 'liyanling')).toBe('李燕玲');
      await page.locator('#message').focus();
      await commitLiYanLing(page);
      expect(await message(page)).toBe('李延龄');
      // No flush, no wait: reload right after the last pick was answered.
      await page.reload();
      await ready(page);
      expect(await firstCandidate(page, 'liyanling')).toBe('李延龄');
      expect(problems).toEqual([]);
      await context.close();
    });
  }

  it('a commit followed at once by closing the tab is kept', async () => {
    const { page, context } = await openDemo();
    await page.locator('#message').focus();
    await commitLiYanLing(page);
    await page.close();
    const again = await openDemo('', context);
    expect(await firstCandidate(again.page, 'liyanling')).toBe('李延龄');
    await context.close();
  });
});

describe('a keyboard that survives its worker', () => {
  it('the worker terminated mid-composition: Backspace and Enter still work, the error is shown, a new worker takes over with the history from IndexedDB', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // Keep hold of the workers the page starts, to kill one as a crash would.
    await page.addInitScript(() => {
      const Base = window.Worker;
      const started: Worker[] = [];
      (window as unknown as { startedWorkers: Worker[] }).startedWorkers = started;
      window.Worker = class extends Base {
        constructor(url: string | URL, options?: WorkerOptions) {
          super(url, options);
          started.push(this);
        }
      };
    });
    await page.goto(env.server.url);
    await ready(page);
    const workers = () => page.evaluate(() => (window as unknown as { startedWorkers: Worker[] }).startedWorkers.length);
    expect(await workers()).toBe(1);
    await page.locator('#message').focus();
    await commitLiYanLing(page);
    await page.locator('#message').fill('');

    await page.keyboard.type('nihao');
    await settle(page);
    await page.evaluate(() => (window as unknown as { startedWorkers: Worker[] }).startedWorkers[0]!.terminate());
    await page.keyboard.type('ma');
    await settle(page);
    expect(await page.locator('#engine-status').textContent()).toMatch(/^error: /);
    const t0 = Date.now();
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Enter');
    await settle(page);
    expect(Date.now() - t0, 'no key waits for the dead worker').toBeLessThan(1000);
    expect(await message(page)).toBe('nihao');

    await expect.poll(workers, { timeout: 10_000 }).toBe(2);
    // Until the keyboard finds the new worker, letters go in as typed: clear them each time.
    const firstAfterClearing = async () => {
      await page.locator('#message').fill('');
      return firstCandidate(page, 'liyanling');
    };
    await expect.poll(firstAfterClearing, { timeout: 10_000 }).toBe('李延龄');
    await page.locator('#message').fill('');
    await page.keyboard.type('nihao ');
    await settle(page);
    expect(await message(page)).toBe('你好');
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
