/**
 * Reliability on the demo page in Chromium (issue 16): the security policy arrives as a
 * response header for the page and its worker, masked text fields are left alone, a commit
 * survives a reload or a closed tab a moment later, and the keyboard survives its worker.
 * Each test has a browser context of its own (its own IndexedDB).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoEnvironment } from './environment.ts';

const env = useDemoEnvironment();

interface Opened {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly problems: string[];
}

async function openDemo(query = '', context?: BrowserContext): Promise<Opened> {
  context ??= await env.browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const problems: string[] = [];
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(env.server.url + query);
  await ready(page);
  return { page, context, problems };
}

const ready = (page: Page) => page.evaluate(() => window.hanziImeDemo.ready);
const settle = (page: Page) => page.evaluate(() => window.hanziImeDemo.keyboard()!.settled());
const message = (page: Page) => page.locator('#message').inputValue();

async function candidates(page: Page): Promise<string[]> {
  await settle(page);
  return page.locator('[data-hanzi-ime] [role="option"]:not([hidden]) .text').allTextContents();
}

/** Picks `text` from the candidates, paging forward until it shows. */
async function pick(page: Page, text: string): Promise<void> {
  for (let i = 0; i < 30; i++) {
    const slot = (await candidates(page)).indexOf(text);
    if (slot >= 0) {
      await page.keyboard.press(String(slot + 1));
      await settle(page);
      return;
    }
    await page.keyboard.press('=');
  }
  throw new Error(`${text} not among the candidates`);
}

/** Types liyanling and picks 李, 延, 龄 one by one (a phrase the history learns). */
async function commitLiYanLing(page: Page): Promise<void> {
  await page.keyboard.type('liyanling');
  await pick(page, '李');
  await pick(page, '延');
  await pick(page, '龄');
}

async function firstCandidate(page: Page, keys: string): Promise<string | undefined> {
  await page.locator('#message').focus();
  await page.keyboard.type(keys);
  const first = (await candidates(page))[0];
  await page.keyboard.press('Escape');
  await settle(page);
  return first;
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
