/**
 * The keyboard as people expect it (issue 17), in the built demo in Chromium: the first page,
 * editing the composition, Enter and Tab, the phone layout, bounded learning, settings and the
 * chat extras. Screenshots at desktop (1280×800) and phone (390×844, touch) size go to
 * test-results/e2e/.
 */
import { describe, expect, it } from 'vitest';
import { barVisible, candidates, message, openDemoPage, preedit, press, settle, typeSlowly } from './demo-page.ts';
import { SHOTS, useDemoEnvironment } from './environment.ts';

const env = useDemoEnvironment();

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** Opens the demo in a new context, at phone size with touch when `phone`. */
const openDemo = (phone = false) =>
  openDemoPage(env, {
    contextOptions: {
      viewport: phone ? PHONE : DESKTOP,
      deviceScaleFactor: 1,
      ...(phone ? { hasTouch: true, isMobile: true } : {}),
    },
  });

describe('the keyboard as people expect it (issue 17)', () => {
  it('1: the first page holds the best sentence, then the words covering the start, longest first', async () => {
    const { page, context } = await openDemo();
    await typeSlowly(page, 'woxiangchifan');
    const first = await candidates(page);
    expect(first[0]).toBe('我想吃饭');
    // Not five sentences that differ in one character: the word 我想 is on the first page.
    expect(first).toContain('我想');
    for (const near of ['我向吃饭', '我像吃饭', '我象吃饭', '我想吃反']) expect(first).not.toContain(near);
    await page.screenshot({ path: `${SHOTS}/desktop-first-page-woxiangchifan.png` });
    // No text twice across the pages.
    const all = [...first];
    let last = first;
    for (let i = 0; i < 6; i++) {
      await press(page, '=');
      const next = await candidates(page);
      if (next.join() === last.join()) break; // the last page
      all.push(...next);
      last = next;
    }
    expect(new Set(all).size).toBe(all.length);
    await context.close();
  });

  it("2: an apostrophe typed as its own key separates syllables: x i ' a n gives 西安", async () => {
    const { page, context, problems } = await openDemo();
    await typeSlowly(page, "xi'an");
    expect(await preedit(page)).toBe("xi'an");
    expect((await candidates(page))[0]).toBe('西安');
    await press(page, ' ');
    expect(await message(page)).toBe('西安');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('3: Enter after a partial pick inserts the picked text and the remaining letters', async () => {
    const { page, context } = await openDemo();
    await typeSlowly(page, 'woxiangchifan');
    for (let i = 0; i < 10 && !(await candidates(page)).includes('我想'); i++) await press(page, '=');
    const texts = await candidates(page);
    await press(page, String(texts.indexOf('我想') + 1));
    expect(await preedit(page)).toBe("我想chi'fan");
    await press(page, 'Enter');
    expect(await message(page)).toBe('我想chifan');
    expect(await barVisible(page)).toBe(false);
    expect(await page.evaluate(() => window.hanziImeDemo.sent)).toEqual([]);
    await context.close();
  });

  it('4: a caret in the preedit: Left/Right by syllable, Home/End, Delete and Backspace at it; [ and ] 以词定字', async () => {
    const { page, context } = await openDemo();
    const caret = async () => {
      const text = (await preedit(page)) ?? '';
      const at = Number(await page.locator('[data-hanzi-ime] .preedit').getAttribute('data-caret'));
      return `${text.slice(0, at)}|${text.slice(at)}`;
    };
    await typeSlowly(page, 'woxiangchifan');
    expect(await caret()).toBe("wo'xiang'chi'fan|");
    await press(page, 'ArrowLeft');
    expect(await caret()).toBe("wo'xiang'chi'|fan");
    await press(page, 'ArrowLeft');
    expect(await caret()).toBe("wo'xiang'|chi'fan");
    await page.screenshot({ path: `${SHOTS}/desktop-caret-in-preedit.png` });
    await press(page, 'ArrowRight');
    // Backspace deletes before the caret: chi goes, he comes in its place.
    for (let i = 0; i < 3; i++) await press(page, 'Backspace');
    await typeSlowly(page, 'he');
    expect(await caret()).toBe("wo'xiang'he'|fan");
    expect((await candidates(page))[0]).toBe('我想盒饭');
    await press(page, 'Home');
    expect(await caret()).toBe("|wo'xiang'he'fan");
    await press(page, 'ArrowRight');
    expect(await caret()).toBe("wo'|xiang'he'fan");
    await press(page, 'Delete');
    expect(await caret()).toMatch(/^wo'\|/);
    expect(await page.evaluate(() => window.hanziImeDemo.keyboard()!.composing)).toBe(true);
    await press(page, 'End');
    expect((await caret()).endsWith('|')).toBe(true);
    await press(page, 'Escape');
    expect(await message(page)).toBe('');
    // 以词定字: ] keeps the last character of the highlighted word for all its letters.
    await typeSlowly(page, 'ciyu');
    expect((await candidates(page))[0]).toBe('词语');
    await press(page, ']');
    expect(await message(page)).toBe('语');
    await typeSlowly(page, 'ciyu');
    await press(page, '[');
    expect(await message(page)).toBe('语词');
    await context.close();
  });

  it('5: phone: one row of candidates scrolling sideways, ▾ for a grid, at most 120 px, clear of the message box', async () => {
    const { page, context, problems } = await openDemo(true);
    await page.locator('#message').tap();
    await page.keyboard.type('womenyiqiqukandianyingranhouchifan');
    await settle(page);
    const bar = page.locator('[data-hanzi-ime] .bar');
    const box = (await bar.boundingBox())!;
    expect(box.height).toBeLessThanOrEqual(120);
    expect(Math.round(box.y + box.height)).toBe(PHONE.height);
    const message = (await page.locator('#message').boundingBox())!;
    expect(message.y + message.height).toBeLessThanOrEqual(box.y);
    // One row that scrolls sideways.
    const options = page.locator('[data-hanzi-ime] [role="option"]:not([hidden])');
    const tops = new Set((await options.evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)))));
    expect(tops.size).toBe(1);
    expect(await options.count()).toBeGreaterThan(9);
    const list = page.locator('[data-hanzi-ime] [role="listbox"]');
    expect(await list.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/phone-row.png` });
    // ▾ shows them as a grid; a tap picks from it.
    await page.locator('[data-hanzi-ime] button.expand').tap();
    expect(await page.locator('[data-hanzi-ime] button.expand').getAttribute('aria-expanded')).toBe('true');
    const gridTops = new Set((await options.evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)))));
    expect(gridTops.size).toBeGreaterThan(1);
    await page.screenshot({ path: `${SHOTS}/phone-grid.png` });
    const first = (await candidates(page))[0]!;
    await options.first().tap();
    await settle(page);
    expect(await page.locator('#message').inputValue()).toBe(first);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('5: phone with the on-screen keyboard: digits and symbols, apostrophe, shift; the box stays clear', async () => {
    const { page, context } = await openDemo(true);
    await page.locator('#osk').tap();
    await page.locator('#message').focus();
    const key = (k: string) => page.locator(`[data-hanzi-ime] .layer-keys:not([hidden]) button[data-key="${k}"]`);
    const tapKeys = async (keys: string) => {
      for (const k of keys) await key(k).tap();
      await settle(page);
    };
    await tapKeys("xi'an");
    expect(await preedit(page)).toBe("xi'an");
    expect((await candidates(page))[0]).toBe('西安');
    const bar = (await page.locator('[data-hanzi-ime] .bar').boundingBox())!;
    expect(bar.height).toBeLessThanOrEqual(120);
    const panel = (await page.locator('[data-hanzi-ime] .panel').boundingBox())!;
    const box = (await page.locator('#message').boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(panel.y);
    expect(box.y).toBeGreaterThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/phone-osk-composing.png` });
    await key(' ').tap();
    await settle(page);
    expect(await message(page)).toBe('西安');
    // Digits and symbols layer.
    await page.locator('[data-hanzi-ime] button[aria-label="Digits and symbols"]').tap();
    await page.screenshot({ path: `${SHOTS}/phone-osk-symbols.png` });
    await tapKeys('2@');
    // Shift: the next letter is a capital.
    await page.locator('[data-hanzi-ime] button[aria-label="Letters"]').tap();
    await page.locator('[data-hanzi-ime] button[aria-label="Shift"]').tap();
    await tapKeys('o');
    await tapKeys('k');
    expect(await message(page)).toMatch(/^西安2@O/);
    await context.close();
  });

  it('6: an accidental pick is stored as one phrase, forgetting removes all it taught, Clear all asks first', async () => {
    const { page, context } = await openDemo();
    const listed = async () => {
      await page.evaluate(() => window.hanziImeDemo.refreshHistory());
      return page.locator('#history-list .entry-text').allTextContents();
    };
    const pickText = async (text: string) => {
      for (let i = 0; i < 20; i++) {
        const slot = (await candidates(page)).indexOf(text);
        if (slot >= 0) return press(page, String(slot + 1));
        await press(page, '=');
      }
      throw new Error(`${text} not offered`);
    };
    await typeSlowly(page, 'women');
    expect((await candidates(page))[0]).toBe('我们');
    await pickText('我');
    await pickText('门');
    expect(await message(page)).toBe('我门');
    expect(await listed()).toEqual(['我门']);
    // Clear all asks first; dismissed, nothing is cleared.
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.dismiss();
    });
    await page.locator('#history-clear').click();
    expect(asked).toMatch(/Forget everything/);
    expect(await listed()).toEqual(['我门']);
    await page.locator('#history-list button[aria-label="Forget 我门"]').click();
    await expect.poll(listed).toEqual([]);
    await page.locator('#message').focus();
    await typeSlowly(page, 'women');
    expect((await candidates(page))[0]).toBe('我们');
    await context.close();
  });

  it('7: settings reach the engine at run time and persist: shuangpin, fuzzy, traditional, prediction, page size', async () => {
    const { page, context, problems } = await openDemo();
    const applied = () => page.evaluate(() => window.hanziImeDemo.settingsApplied());
    await page.locator('#scheme').selectOption('xiaohe');
    await page.locator('#traditional').selectOption('t');
    await page.locator('#prediction').check();
    await page.locator('#page-size').selectOption('7');
    await applied();
    await page.locator('#message').focus();
    // Xiaohe shuangpin: ni hc is nihao; 7 candidates a page.
    await typeSlowly(page, 'nihc');
    const texts = await candidates(page);
    expect(texts[0]).toBe('你好');
    expect(texts.length).toBe(7);
    await press(page, ' ');
    expect(await message(page)).toBe('你好');
    // Next-word predictions after the commit, picked by a click.
    const predicted = await candidates(page);
    expect(predicted.length).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/desktop-predictions.png` });
    const before = await message(page);
    await page.locator('[data-hanzi-ime] [role="option"]:not([hidden])').first().click();
    await settle(page);
    expect(await message(page)).toBe(before + predicted[0]);
    // Persisted: after a reload the panel and the engine still use them.
    await page.reload();
    await page.evaluate(() => window.hanziImeDemo.ready);
    expect(await page.locator('#scheme').inputValue()).toBe('xiaohe');
    expect(await page.locator('#traditional').inputValue()).toBe('t');
    expect(await page.locator('#page-size').inputValue()).toBe('7');
    await page.locator('#message').focus();
    await typeSlowly(page, 'vsgo');
    expect((await candidates(page))[0]).toBe('中國');
    await press(page, 'Escape');
    // Back to full pinyin, simplified, with fuzzy z-zh: zongguo reads as zhongguo.
    await page.locator('#scheme').selectOption('quanpin');
    await page.locator('#traditional').selectOption('off');
    await page.locator('#fuzzy input[value="z-zh"]').check();
    await applied();
    await page.locator('#message').focus();
    await typeSlowly(page, 'zongguo');
    expect(await candidates(page)).toContain('中国');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('chat extras, each switchable: emoji never first, English words, quick phrases, my phrases', async () => {
    const { page, context, problems } = await openDemo();
    await page.locator('#emoji').check();
    await page.locator('#english').check();
    await page.locator('#quick-phrases').check();
    await page.locator('#user-phrases').fill('dz = 北京市海淀区中关村大街1号');
    await page.locator('#user-phrases').dispatchEvent('change');
    await page.evaluate(() => window.hanziImeDemo.settingsApplied());
    await page.locator('#message').focus();
    await typeSlowly(page, 'haha');
    const haha = await candidates(page);
    expect(haha[0]).toBe('哈哈');
    expect(haha).toContain('😄');
    await page.screenshot({ path: `${SHOTS}/desktop-extras-emoji.png` });
    await press(page, String(haha.indexOf('😄') + 1));
    expect(await message(page)).toBe('😄');
    await typeSlowly(page, 'ok');
    expect((await candidates(page))[0]).toBe('ok');
    await press(page, 'Escape');
    await typeSlowly(page, 'nihao');
    expect((await candidates(page))[0]).toBe('你好');
    await press(page, 'Escape');
    await typeSlowly(page, 'rq');
    expect((await candidates(page)).some((t) => /^\d{4}年\d{1,2}月\d{1,2}日$/.test(t))).toBe(true);
    await press(page, 'Escape');
    await typeSlowly(page, 'dz');
    expect((await candidates(page))[0]).toBe('北京市海淀区中关村大街1号');
    await press(page, 'Escape');
    // Switched off, they are gone.
    await page.locator('#emoji').uncheck();
    await page.evaluate(() => window.hanziImeDemo.settingsApplied());
    await page.locator('#message').focus();
    await typeSlowly(page, 'haha');
    expect(await candidates(page)).not.toContain('😄');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('8: Tab with a pending composition ends it as Enter does and keeps the focus', async () => {
    const { page, context } = await openDemo();
    await typeSlowly(page, 'nihao');
    await press(page, 'Tab');
    expect(await message(page)).toBe('nihao');
    expect(await barVisible(page)).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('message');
    expect(await page.evaluate(() => window.hanziImeDemo.keyboard()!.composing)).toBe(false);
    // With nothing composed, Tab moves the focus as usual.
    await press(page, 'Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).not.toBe('message');
    await context.close();
  });
});
