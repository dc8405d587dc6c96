/**
 * What the browser test files share for driving the demo page: opening it in a browser
 * context with its errors and requests collected, typing into it, and reading the keyboard's
 * candidates and composition back.
 */
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { DemoEnvironment } from './environment.ts';

/** A demo page opened by {@link openDemoPage}. */
export interface OpenedDemo {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Console errors and page errors (and CSP violations, with `reportCsp`). */
  readonly problems: string[];
  /** Every request the context (the page and its workers) made since the page was opened, in order. */
  readonly requests: string[];
}

/** How {@link openDemoPage} opens the page. */
export interface OpenDemoOptions {
  /** Options of the new browser context (default: 1280×800, device scale factor 1); unused with `context`. */
  readonly contextOptions?: BrowserContextOptions | undefined;
  /** An open browser context to open the page in, instead of a new one. */
  readonly context?: BrowserContext | undefined;
  /** Appended to the demo's URL, e.g. `?engine=main`. */
  readonly query?: string | undefined;
  /** Run in the page before the demo's own scripts. */
  readonly initScript?: (() => void) | undefined;
  /** Log CSP violations as console errors, so they count among the problems. */
  readonly reportCsp?: boolean | undefined;
}

const DEFAULT_CONTEXT: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };

/**
 * Opens the served demo in a new page and waits until the demo is ready. The caller closes
 * the context.
 */
export async function openDemoPage(env: DemoEnvironment, options: OpenDemoOptions = {}): Promise<OpenedDemo> {
  const context = options.context ?? (await env.browser.newContext(options.contextOptions ?? DEFAULT_CONTEXT));
  const problems: string[] = [];
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  if (options.reportCsp) {
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
  }
  if (options.initScript) await page.addInitScript(options.initScript);
  await page.goto(env.server.url + (options.query ?? ''));
  await ready(page);
  return { page, context, problems, requests };
}

/** Waits until the demo has started (after a load or a reload). */
export const ready = (page: Page) => page.evaluate(() => window.hanziImeDemo.ready);

/** Waits until the keyboard has handled every key sent so far. */
export const settle = (page: Page) => page.evaluate(() => window.hanziImeDemo.keyboard()!.settled());

/** Texts of the visible page of candidates, once the keyboard has settled. */
export async function candidates(page: Page): Promise<string[]> {
  await settle(page);
  return page.locator('[data-hanzi-ime] [role="option"]:not([hidden]) .text').allTextContents();
}

/** The composition's text as the candidate bar shows it. */
export const preedit = (page: Page) => page.locator('[data-hanzi-ime] .preedit').textContent();

/** The text in the demo's message box. */
export const message = (page: Page) => page.locator('#message').inputValue();

/** Whether the candidate bar is shown. */
export const barVisible = (page: Page) => page.locator('[data-hanzi-ime] .bar').isVisible();

/** Types `keys` in one go, then waits for the keyboard to settle. */
export async function type(page: Page, keys: string): Promise<void> {
  await page.keyboard.type(keys);
  await settle(page);
}

/** Types `keys` one key at a time, waiting for each key's answer. */
export async function typeSlowly(page: Page, keys: string): Promise<void> {
  for (const k of keys) {
    await page.keyboard.press(k);
    await settle(page);
  }
}

/** Presses `key`, then waits for the keyboard to settle. */
export async function press(page: Page, key: string): Promise<void> {
  await page.keyboard.press(key);
  await settle(page);
}

/** Picks `text` from the candidates, paging forward until it shows. */
export async function pick(page: Page, text: string): Promise<void> {
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

/** Types liyanling and picks 李, 延, 龄 as separate candidates (a phrase the history learns). */
export async function commitLiYanLing(page: Page): Promise<void> {
  await page.keyboard.type('liyanling');
  await pick(page, '李');
  await pick(page, '延');
  await pick(page, '龄');
}

/** The first candidate for `keys` typed into the focused box; the composition is cancelled after. */
export async function firstCandidate(page: Page, keys: string): Promise<string | undefined> {
  await page.keyboard.type(keys);
  const first = (await candidates(page))[0];
  await page.keyboard.press('Escape');
  await settle(page);
  return first;
}
