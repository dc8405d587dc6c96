/**
 * The demo page in a real browser (Debian's Chromium through playwright-core): the keyboard's
 * behaviour on a textarea and a contenteditable box, sending messages, the on-screen keyboard,
 * and that typing makes no network request. Screenshots go to test-results/e2e/.
 */
import { describe, expect, it } from 'vitest';
import { barVisible, candidates, message, openDemoPage, preedit, press, settle, type } from './demo-page.ts';
import { SHOTS, useDemoEnvironment } from './environment.ts';

const env = useDemoEnvironment();

/** Opens the demo in a new context of the given viewport, CSP violations counted as problems. */
const openDemo = (viewport = { width: 1280, height: 720 }) =>
  openDemoPage(env, { contextOptions: { viewport, deviceScaleFactor: 1 }, reportCsp: true });

describe('demo page in Chromium', () => {
  it('nihao + space gives 你好 in the textarea', async () => {
    const { page, context, problems } = await openDemo();
    await type(page, 'nihao');
    expect(await preedit(page)).toBe("ni'hao");
    const texts = await candidates(page);
    expect(texts[0]).toBe('你好');
    expect(await barVisible(page)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/composing-nihao.png` });
    await press(page, ' ');
    expect(await message(page)).toBe('你好');
    expect(await barVisible(page)).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the candidate list is a listbox of options with the highlighted one selected', async () => {
    const { page, context } = await openDemo();
    await type(page, 'shi');
    const list = page.locator('[data-hanzi-ime] [role="listbox"]');
    expect(await list.getAttribute('aria-label')).toBeTruthy();
    const options = page.locator('[data-hanzi-ime] [role="option"]:not([hidden])');
    expect(await options.count()).toBe(5);
    expect(await options.nth(0).getAttribute('aria-selected')).toBe('true');
    await press(page, 'ArrowDown');
    expect(await options.nth(0).getAttribute('aria-selected')).toBe('false');
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
    // Space picks the highlighted candidate.
    const second = (await candidates(page))[1]!;
    await press(page, ' ');
    expect(await message(page)).toBe(second);
    await context.close();
  });

  it('digits pick from the visible page', async () => {
    const { page, context } = await openDemo();
    await type(page, 'shi');
    const texts = await candidates(page);
    expect(texts.length).toBe(5);
    await press(page, '3');
    expect(await message(page)).toBe(texts[2]);
    // A digit beyond the page does nothing; 0 does nothing.
    await type(page, 'shi');
    // (The pick was learned, so this page may be ordered differently.)
    const again = await candidates(page);
    await press(page, '0');
    expect(await barVisible(page)).toBe(true);
    await press(page, '1');
    expect(await message(page)).toBe(texts[2]! + again[0]!);
    await context.close();
  });

  it('pages with = and -, PageDown/PageUp, and picks from a later page', async () => {
    const { page, context } = await openDemo();
    await type(page, 'shi');
    const first = await candidates(page);
    await press(page, '=');
    const second = await candidates(page);
    expect(second.length).toBe(5);
    expect(second).not.toEqual(first);
    expect(second.some((t) => first.includes(t))).toBe(false);
    expect(await page.locator('[data-hanzi-ime] .pager').textContent()).toContain('2/');
    await page.screenshot({ path: `${SHOTS}/paging-shi-page2.png` });
    await press(page, '-');
    expect(await candidates(page)).toEqual(first);
    await press(page, 'PageDown');
    expect(await candidates(page)).toEqual(second);
    await press(page, 'PageUp');
    expect(await candidates(page)).toEqual(first);
    await press(page, 'PageDown');
    await press(page, '1');
    expect(await message(page)).toBe(second[0]);
    await context.close();
  });

  it('partial selection: pick 你 for nihao (by clicking it), then 好', async () => {
    const { page, context } = await openDemo();
    await type(page, 'nihao');
    // Page until 你 shows, then click it like a mouse or a tap would.
    for (let i = 0; i < 20 && !(await candidates(page)).includes('你'); i++) await press(page, '=');
    const texts = await candidates(page);
    expect(texts).toContain('你');
    await page.locator('[data-hanzi-ime] [role="option"]:not([hidden])', { hasText: /^\d你$/ }).click();
    await settle(page);
    expect(await preedit(page)).toBe('你hao');
    expect(await message(page)).toBe('');
    const rest = await candidates(page);
    const hao = rest.indexOf('好');
    expect(hao).toBeGreaterThanOrEqual(0);
    await press(page, String(hao + 1));
    expect(await message(page)).toBe('你好');
    // The textarea kept the focus through the click.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('message');
    await context.close();
  });

  it('Backspace edits the composition, Esc cancels it, Enter inserts the letters', async () => {
    const { page, context } = await openDemo();
    await type(page, 'nihaoa');
    await press(page, 'Backspace');
    expect(await preedit(page)).toBe("ni'hao");
    await press(page, 'Escape');
    expect(await barVisible(page)).toBe(false);
    expect(await message(page)).toBe('');
    await type(page, 'nihao');
    await press(page, 'Enter');
    expect(await message(page)).toBe('nihao');
    expect(await page.evaluate(() => window.hanziImeDemo.sent.length)).toBe(0);
    // Not composing, Backspace deletes from the box as usual.
    await press(page, 'Backspace');
    expect(await message(page)).toBe('niha');
    await context.close();
  });

  it('Chinese punctuation goes full-width, and commits what was being composed', async () => {
    const { page, context } = await openDemo();
    await type(page, 'nihao');
    await press(page, ',');
    await type(page, 'xiexie');
    await press(page, '!');
    expect(await message(page)).toBe('你好，谢谢！');
    await type(page, '3.14');
    expect(await message(page)).toBe('你好，谢谢！3.14');
    await context.close();
  });

  it('Shift toggles English and back', async () => {
    const { page, context } = await openDemo();
    await press(page, 'Shift');
    expect(await page.evaluate(() => window.hanziImeDemo.keyboard()!.mode)).toBe('english');
    expect(await page.locator('#mode').textContent()).toBe('EN');
    await type(page, 'hello ');
    expect(await barVisible(page)).toBe(false);
    expect(await message(page)).toBe('hello ');
    await press(page, 'Shift');
    expect(await page.locator('#mode').textContent()).toBe('中');
    await type(page, 'nihao');
    await press(page, ' ');
    expect(await message(page)).toBe('hello 你好');
    // Shift while composing switches to English and keeps the letters.
    await type(page, 'wo');
    await press(page, 'Shift');
    expect(await message(page)).toBe('hello 你好wo');
    expect(await barVisible(page)).toBe(false);
    await context.close();
  });

  it('Enter with an empty composition sends the message; Shift+Enter makes a new line', async () => {
    const { page, context } = await openDemo();
    await type(page, 'nihao');
    await press(page, ' ');
    await press(page, 'Shift+Enter');
    await type(page, 'mingtian');
    await press(page, ' ');
    expect(await message(page)).toBe('你好\n明天');
    await press(page, 'Enter');
    expect(await page.evaluate(() => window.hanziImeDemo.sent)).toEqual(['你好\n明天']);
    expect(await message(page)).toBe('');
    await expect(page.locator('.message.mine p').last().textContent()).resolves.toBe('你好\n明天');
    await type(page, 'womenzoule');
    await press(page, ' ');
    await press(page, 'Enter');
    expect(await page.evaluate(() => window.hanziImeDemo.sent.length)).toBe(2);
    await page.screenshot({ path: `${SHOTS}/conversation.png` });
    await context.close();
  });

  it('keys typed faster than answers still land in order', async () => {
    const { page, context } = await openDemo();
    // One evaluate: all keydowns are dispatched before any answer is applied.
    await page.keyboard.type('nihao');
    await page.keyboard.press(' ');
    await page.keyboard.press('Enter');
    await settle(page);
    expect(await page.evaluate(() => window.hanziImeDemo.sent)).toEqual(['你好']);
    await context.close();
  });

  it('works in a contenteditable message box', async () => {
    const { page, context } = await openDemo();
    await page.locator('input[name="box"][value="rich"]').check();
    await expect(page.locator('#message-rich').isVisible()).resolves.toBe(true);
    await page.locator('#message-rich').click();
    await type(page, 'nihao');
    expect((await candidates(page))[0]).toBe('你好');
    await page.screenshot({ path: `${SHOTS}/contenteditable-composing.png` });
    await press(page, ' ');
    await press(page, ',');
    await type(page, 'pengyou');
    await press(page, ' ');
    expect(await page.locator('#message-rich').textContent()).toBe('你好，朋友');
    await press(page, 'Enter');
    expect(await page.evaluate(() => window.hanziImeDemo.sent)).toEqual(['你好，朋友']);
    await context.close();
  });

  it('the on-screen keyboard types, picks and sends by tapping', async () => {
    const { page, context } = await openDemo({ width: 390, height: 760 });
    await page.locator('#osk').check();
    await page.locator('#message').focus();
    const key = (k: string) => page.locator(`[data-hanzi-ime] .layer-keys:not([hidden]) button[data-key="${k}"]`);
    for (const k of 'nihao') await key(k).click();
    await settle(page);
    expect((await candidates(page))[0]).toBe('你好');
    expect(await page.locator('#message').getAttribute('inputmode')).toBe('none');
    await page.screenshot({ path: `${SHOTS}/on-screen-keyboard-narrow.png` });
    await key(' ').click();
    await settle(page);
    expect(await message(page)).toBe('你好');
    await key('Enter').click();
    await settle(page);
    expect(await page.evaluate(() => window.hanziImeDemo.sent)).toEqual(['你好']);
    await context.close();
  });

  it('docks the candidate bar at the bottom on a narrow screen', async () => {
    const { page, context } = await openDemo({ width: 390, height: 760 });
    await type(page, 'womenyiqichifanba');
    const box = await page.locator('[data-hanzi-ime] .bar').boundingBox();
    expect(box).not.toBeNull();
    expect(Math.round(box!.y + box!.height)).toBe(760);
    expect(Math.round(box!.width)).toBe(390);
    await page.screenshot({ path: `${SHOTS}/narrow-docked.png` });
    await context.close();
  });

  it('makes no network request while typing, and loads only from its own origin', async () => {
    const { page, context, requests, problems } = await openDemo();
    const origin = new URL(env.server.url).origin;
    // The engine runs in a Web Worker and fetched its data files from the page's origin: the
    // lexicon and the small first model; the full model, then the reranker and its runtime,
    // load once, after the first answer (or two seconds after start if nothing is typed).
    expect(await page.locator('#engine-status').textContent()).toMatch(/^Web Worker/);
    expect(requests.some((u) => u.endsWith('/data/lexicon.bin'))).toBe(true);
    expect(requests.some((u) => u.endsWith('/data/ngram-first.bin'))).toBe(true);
    await type(page, 'a');
    await press(page, 'Escape');
    expect(await page.evaluate(() => window.hanziImeDemo.modelStatus())).toBe('ready');
    expect(await page.locator('#engine-status').textContent()).toBe('Web Worker, reranker on');
    const order = ['ngram-first.bin', 'ngram.bin', 'reranker.onnx'].map((f) => requests.findIndex((u) => u.endsWith(`/data/${f}`)));
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(requests.filter((u) => u.endsWith('/data/ngram.bin'))).toHaveLength(1);
    for (const url of requests) expect(new URL(url).origin).toBe(origin);
    const before = requests.length;
    for (const clause of ['woxiangchifan', 'mingtianjian', 'nihao', 'shi']) {
      await type(page, clause);
      await press(page, '=');
      await press(page, '-');
      await press(page, ' ');
    }
    await type(page, 'zaijian');
    await press(page, 'Enter');
    await press(page, 'Enter');
    expect(requests.slice(before)).toEqual([]);
    expect(await page.evaluate(() => window.hanziImeDemo.requests())).toBe(0);
    expect(await page.locator('#request-count').textContent()).toBe('0');
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|https?:/);
    expect(problems).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/privacy-after-typing.png` });
    await context.close();
  });
});
