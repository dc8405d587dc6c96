/**
 * User history on the demo page in Chromium: a phrase learned from separate picks survives a
 * reload and ranks first; incognito learns nothing; the history panel exports a file, clears,
 * imports the file back and forgets one entry; a storage failure shows a notice. Each test
 * has a browser context of its own, so its IndexedDB starts empty.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { commitLiYanLing, firstCandidate, message, openDemoPage, ready } from './demo-page.ts';
import { SHOTS, useDemoEnvironment } from './environment.ts';

const env = useDemoEnvironment();

/** Opens the demo in a new context that accepts downloads; `before` runs ahead of the page's scripts. */
const openDemo = (before?: () => void) =>
  openDemoPage(env, {
    contextOptions: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, acceptDownloads: true },
    initScript: before,
  });

/** Texts listed in the history panel (after it is refreshed). */
async function listed(page: Page): Promise<string[]> {
  await page.evaluate(() => window.hanziImeDemo.refreshHistory());
  return page.locator('#history-list .entry-text').allTextContents();
}

describe('user history on the demo page', () => {
  it('a phrase picked piece by piece is learned, survives a reload and ranks first', async () => {
    const { page, context, problems } = await openDemo();
    expect(await firstCandidate(page, 'liyanling')).toBe('李燕玲');
    await commitLiYanLing(page);
    expect(await message(page)).toBe('李延龄');
    expect(await listed(page)).toContain('李延龄');
    await page.screenshot({ path: `${SHOTS}/history-learned.png` });
    await page.evaluate(() => window.hanziImeDemo.flushHistory());

    await page.reload();
    await ready(page);
    expect(await listed(page)).toContain('李延龄');
    expect(await firstCandidate(page, 'liyanling')).toBe('李延龄');
    expect(await page.locator('#storage-notice').isHidden()).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('hiding the page writes the history (no explicit flush)', async () => {
    const { page, context } = await openDemo();
    await commitLiYanLing(page);
    // What a tab switch or closing does: the page asks the worker to write at once.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.waitForTimeout(300);
    const stored = await page.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const open = indexedDB.open('hanzi-ime-user-history');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const req = open.result.transaction('units').objectStore('units').getAllKeys();
            req.onsuccess = () => {
              resolve(req.result.map(String));
              open.result.close();
            };
            req.onerror = () => reject(req.error);
          };
        }),
    );
    expect(stored).toContain('李延龄');
    await context.close();
  });

  it('incognito: the same picks learn nothing, before or after a reload', async () => {
    const { page, context } = await openDemo();
    await page.locator('#incognito').check();
    await page.locator('#message').focus();
    await commitLiYanLing(page);
    expect(await message(page)).toBe('李延龄');
    expect(await listed(page)).toEqual([]);
    expect(await firstCandidate(page, 'liyanling')).toBe('李燕玲');
    await page.evaluate(() => window.hanziImeDemo.flushHistory());
    await page.reload();
    await ready(page);
    await page.locator('#incognito').setChecked(false);
    await page.locator('#message').focus();
    expect(await listed(page)).toEqual([]);
    expect(await firstCandidate(page, 'liyanling')).toBe('李燕玲');
    await context.close();
  });

  it('export to a file, clear all, import the file back, forget one entry', async () => {
    const { page, context, requests } = await openDemo();
    await commitLiYanLing(page);
    expect(await listed(page)).toContain('李延龄');
    // The full language model and the reranker load once, after the first answer.
    await page.evaluate(() => window.hanziImeDemo.modelStatus());
    const before = requests.length;

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#history-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^hanzi-ime-history-.*\.json$/);
    const file = await download.path();
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { units: { text: string }[] };
    expect(exported.units.map((u) => u.text)).toContain('李延龄');

    // Clear all asks first: dismissed, nothing goes; accepted, everything does.
    page.once('dialog', (d) => void d.dismiss());
    await page.locator('#history-clear').click();
    await page.evaluate(() => window.hanziImeDemo.refreshHistory());
    expect(await listed(page)).toContain('李延龄');
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.accept();
    });
    await page.locator('#history-clear').click();
    await expect.poll(() => listed(page)).toEqual([]);
    expect(asked).toMatch(/Forget everything/);
    await page.locator('#message').focus();
    expect(await firstCandidate(page, 'liyanling')).toBe('李燕玲');

    await page.locator('#history-import').setInputFiles(file);
    await expect.poll(() => listed(page)).toContain('李延龄');
    await page.screenshot({ path: `${SHOTS}/history-imported.png` });
    await page.locator('#message').focus();
    expect(await firstCandidate(page, 'liyanling')).toBe('李延龄');

    await page.locator('#history-list button[aria-label="Forget 李延龄"]').click();
    await expect.poll(() => listed(page)).not.toContain('李延龄');
    await page.locator('#message').focus();
    expect(await firstCandidate(page, 'liyanling')).not.toBe('李延龄');
    // None of it touched the network (the download is made in the page).
    expect(requests.slice(before).filter((u) => !u.startsWith('blob:'))).toEqual([]);
    expect(await page.locator('#request-count').textContent()).toBe('0');
    await context.close();
  });

  it('importing a file that is not an export says so and changes nothing', async () => {
    const { page, context } = await openDemo();
    await commitLiYanLing(page);
    await page.locator('#history-import').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello":1}') });
    await expect.poll(() => page.locator('#history-summary').textContent()).toContain('Could not import notes.json');
    expect(await page.locator('#history-summary').textContent()).toContain('not a history export');
    expect(await listed(page)).toContain('李延龄');
    await context.close();
  });

  it('when storage fails, a notice says the history is not being saved, and typing still learns', async () => {
    // A newer version of the database, opened before the engine starts, makes its open fail.
    const { page, context } = await openDemo(() => {
      indexedDB.open('hanzi-ime-user-history', 99);
    });
    const notice = page.locator('#storage-notice');
    await expect.poll(() => notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toContain('History is not being saved');
    await page.screenshot({ path: `${SHOTS}/history-storage-failed.png` });
    await page.locator('#message').focus();
    await commitLiYanLing(page);
    expect(await firstCandidate(page, 'liyanling')).toBe('李延龄');
    await context.close();
  });
});
