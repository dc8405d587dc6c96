// @vitest-environment happy-dom
/**
 * The keyboard on a DOM (happy-dom) with the real engine behind the worker protocol, run on
 * this thread. The browser tests (test/e2e) cover the same in Chromium; these cover the edge
 * cases: keys held while answers are pending, failing or silent engines, refused fields.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attachKeyboard, backendFromWorkerApi, type KeyboardBackend, type KeyboardHandle } from '../src/keyboard/index.ts';
import { createEngineHost } from '../src/worker/engine-host.ts';
import type { CompositionState } from '../src/worker/protocol.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let makeBackend: () => KeyboardBackend;

beforeAll(async () => {
  // (happy-dom replaces URL, so the data files are found by path, not import.meta.url.)
  const root = join(__dirname, '..');
  const lexicon = new Uint8Array(readFileSync(join(root, 'dictionaries/lexicon.bin')));
  const model = new Uint8Array(readFileSync(join(root, 'models/ngram.bin')));
  makeBackend = () => {
    const host = createEngineHost();
    const ready = host.init({ lexicon, model });
    const api = backendFromWorkerApi(host);
    // Every request waits for init, as the worker client does.
    return {
      type: async (k) => (await ready, api.type(k)),
      backspace: async () => (await ready, api.backspace()),
      select: async (i) => (await ready, api.select(i)),
      commit: async () => (await ready, api.commit()),
      commitRaw: async () => (await ready, api.commitRaw()),
      reset: async () => (await ready, api.reset()),
    };
  };
});

const handles: KeyboardHandle[] = [];
afterEach(() => {
  for (const h of handles.splice(0)) h.detach();
  document.body.replaceChildren();
});

function setup(
  html = '<textarea id="box"></textarea>',
  options: Partial<Parameters<typeof attachKeyboard>[1]> = {},
): { el: HTMLElement; kb: KeyboardHandle; pageKeys: string[] } {
  document.body.innerHTML = html;
  const el = document.getElementById('box') as HTMLElement;
  el.focus();
  const pageKeys: string[] = [];
  // The chat client's own handler, registered on the element like a real one: Enter sends.
  el.addEventListener('keydown', (e) => {
    pageKeys.push(e.key);
    if (e.key === 'Enter' && !e.shiftKey) e.preventDefault();
  });
  const kb = attachKeyboard(el, { backend: makeBackend(), ...options });
  handles.push(kb);
  return { el, kb, pageKeys };
}

/** Dispatches one keydown (and keyup); returns whether the keyboard took it. */
function key(el: HTMLElement, k: string, mods: KeyboardEventInit = {}): boolean {
  const down = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...mods });
  el.dispatchEvent(down);
  el.dispatchEvent(new KeyboardEvent('keyup', { key: k, bubbles: true, cancelable: true, ...mods }));
  return down.defaultPrevented;
}

async function typeKeys(el: HTMLElement, kb: KeyboardHandle, keys: string[]): Promise<void> {
  for (const k of keys) key(el, k);
  await kb.settled();
}

const valueOf = (el: HTMLElement) => (el as HTMLTextAreaElement).value;
const shadow = () => document.querySelector('[data-hanzi-ime]')!.shadowRoot!;
const visibleOptions = () => [...shadow().querySelectorAll<HTMLElement>('[role="option"]')].filter((o) => !o.hidden);

describe('attachKeyboard', () => {
  it('types nihao + space into a textarea and reports the commit', async () => {
    const { el, kb } = setup();
    const commits: string[] = [];
    kb.on('commit', ({ text }) => commits.push(text));
    await typeKeys(el, kb, [...'nihao']);
    expect(kb.composing).toBe(true);
    await typeKeys(el, kb, [' ']);
    expect(valueOf(el)).toBe('你好');
    expect(commits).toEqual(['你好']);
    expect(kb.composing).toBe(false);
  });

  it('shows the page as a listbox whose highlighted option is selected', async () => {
    const { el, kb } = setup();
    await typeKeys(el, kb, [...'shi']);
    const list = shadow().querySelector('[role="listbox"]')!;
    expect(list.getAttribute('aria-label')).toBeTruthy();
    const options = visibleOptions();
    expect(options.length).toBe(5);
    expect(options.map((o) => o.getAttribute('aria-selected'))).toEqual(['true', 'false', 'false', 'false', 'false']);
    await typeKeys(el, kb, ['ArrowDown']);
    expect(visibleOptions().map((o) => o.getAttribute('aria-selected'))).toEqual(['false', 'true', 'false', 'false', 'false']);
    expect(shadow().querySelector('[aria-live]')!.textContent).toContain('2 / 5');
  });

  it('leaves keys alone when nothing is composed: Enter reaches the page, shortcuts work', async () => {
    const { el, kb, pageKeys } = setup();
    key(el, 'Enter'); // (the page's own handler takes it)
    expect(key(el, 'a', { ctrlKey: true })).toBe(false);
    expect(key(el, '5')).toBe(false);
    expect(key(el, 'Backspace')).toBe(false);
    await kb.settled();
    expect(pageKeys).toEqual(['Enter', 'a', '5', 'Backspace']);
  });

  it('keeps Enter from the page while composing and inserts the letters', async () => {
    const { el, kb, pageKeys } = setup();
    await typeKeys(el, kb, [...'nihao']);
    expect(key(el, 'Enter')).toBe(true);
    await kb.settled();
    expect(valueOf(el)).toBe('nihao');
    expect(pageKeys).toEqual([]);
  });

  it('holds keys typed before the answers came and replays Enter to the page once idle', async () => {
    const { el, kb, pageKeys } = setup();
    // All dispatched before any answer: space commits, so the Enter after it must send.
    for (const k of [...'nihao', ' ', 'Enter']) key(el, k);
    await kb.settled();
    expect(valueOf(el)).toBe('你好');
    expect(pageKeys).toEqual(['Enter']);
    // Shift+Enter is not taken by the page: it becomes a line break, after the text before it.
    for (const k of [...'ni', ' ']) key(el, k);
    key(el, 'Enter', { shiftKey: true });
    key(el, 'X', { shiftKey: true });
    await kb.settled();
    expect(valueOf(el)).toMatch(/^你好\p{Script=Han}\nX$/u);
  });

  it('picks with digits, pages, and picks a part then the rest', async () => {
    const { el, kb } = setup();
    await typeKeys(el, kb, [...'shi']);
    const first = visibleOptions().map((o) => o.textContent);
    await typeKeys(el, kb, ['=']);
    const second = visibleOptions().map((o) => o.textContent);
    expect(second).not.toEqual(first);
    await typeKeys(el, kb, ['-']);
    expect(visibleOptions().map((o) => o.textContent)).toEqual(first);
    await typeKeys(el, kb, ['2']);
    expect(valueOf(el)).toBe(first[1]!.slice(1)); // option text is "2" + candidate

    (el as HTMLTextAreaElement).value = '';
    await typeKeys(el, kb, [...'nihao']);
    const updates: string[] = [];
    kb.on('compositionupdate', (u) => updates.push(u.preedit));
    for (let i = 0; i < 20 && !visibleOptions().some((o) => o.textContent!.slice(1) === '你'); i++) await typeKeys(el, kb, ['=']);
    const ni = visibleOptions().findIndex((o) => o.textContent!.slice(1) === '你');
    expect(ni).toBeGreaterThanOrEqual(0);
    // Tap it.
    visibleOptions()[ni]!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await kb.settled();
    expect(updates[updates.length - 1]).toBe('你hao');
    const hao = visibleOptions().findIndex((o) => o.textContent!.slice(1) === '好');
    await typeKeys(el, kb, [String(hao + 1)]);
    expect(valueOf(el)).toBe('你好');
  });

  it('Backspace edits, Escape cancels', async () => {
    const { el, kb } = setup();
    const preedits: string[] = [];
    kb.on('compositionupdate', (u) => preedits.push(u.preedit));
    await typeKeys(el, kb, [...'nihaoa', 'Backspace']);
    expect(preedits[preedits.length - 1]).toBe("ni'hao");
    await typeKeys(el, kb, ['Escape']);
    expect(kb.composing).toBe(false);
    expect(valueOf(el)).toBe('');
  });

  it('puts full-width punctuation in, committing the composition first', async () => {
    const { el, kb } = setup();
    await typeKeys(el, kb, [...'nihao', ',', '"', ...'3.1', '"']);
    expect(valueOf(el)).toBe('你好，“3.1”');
  });

  it('switches to English with Shift alone (not with Shift+letter) and keeps composed letters', async () => {
    const { el, kb } = setup();
    const modes: string[] = [];
    kb.on('modechange', ({ mode }) => modes.push(mode));
    await typeKeys(el, kb, [...'wo']);
    key(el, 'Shift');
    await kb.settled();
    expect(modes).toEqual(['english']);
    expect(valueOf(el)).toBe('wo');
    // English: letters go to the browser untouched.
    expect(key(el, 'a')).toBe(false);
    // Shift+A is a capital, not a switch.
    el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Shift', bubbles: true }));
    el.dispatchEvent(new KeyboardEvent('keydown', { key: 'A', shiftKey: true, bubbles: true }));
    el.dispatchEvent(new KeyboardEvent('keyup', { key: 'Shift', bubbles: true }));
    await kb.settled();
    expect(kb.mode).toBe('english');
    key(el, 'Shift');
    await kb.settled();
    expect(kb.mode).toBe('chinese');
    expect(modes).toEqual(['english', 'chinese']);
  });

  it('types into a contenteditable element', async () => {
    const { el, kb } = setup('<div id="box" contenteditable="true"></div>');
    expect(kb.attached).toBe(true);
    await typeKeys(el, kb, [...'nihao', ' ', ',']);
    expect(el.textContent).toBe('你好，');
  });

  it('never attaches to password fields, even ones that become password fields', async () => {
    const { el, kb } = setup('<input id="box" type="password">');
    expect(kb.attached).toBe(false);
    expect(kb.refusal).toMatch(/password/);
    expect(key(el, 'n')).toBe(false);
    expect(document.querySelector('[data-hanzi-ime]')).toBeNull();

    const other = setup('<input id="box" type="text">');
    expect(other.kb.attached).toBe(true);
    (other.el as HTMLInputElement).type = 'password';
    expect(key(other.el, 'n')).toBe(false);
    await other.kb.settled();
    expect(other.kb.composing).toBe(false);
  });

  it('refuses elements that hold no free text, and throws on a missing backend', () => {
    document.body.innerHTML = '<input id="n" type="number"><div id="d"></div>';
    expect(attachKeyboard(document.getElementById('n')!, { backend: makeBackend() }).attached).toBe(false);
    expect(attachKeyboard(document.getElementById('d')!, { backend: makeBackend() }).attached).toBe(false);
    expect(() => attachKeyboard(document.getElementById('d')!, {} as never)).toThrow(/backend/);
  });

  it('falls back to plain letters and reports an error when the engine fails', async () => {
    document.body.innerHTML = '<textarea id="box"></textarea>';
    const el = document.getElementById('box') as HTMLTextAreaElement;
    el.focus();
    const broken: KeyboardBackend = {
      type: () => Promise.reject(new Error('engine exploded')),
      backspace: () => Promise.reject(new Error('engine exploded')),
      select: () => Promise.reject(new Error('engine exploded')),
      commit: () => Promise.reject(new Error('engine exploded')),
      commitRaw: () => Promise.reject(new Error('engine exploded')),
      reset: () => Promise.reject(new Error('engine exploded')),
    };
    const kb = attachKeyboard(el, { backend: broken });
    handles.push(kb);
    const errors: string[] = [];
    kb.on('error', ({ message }) => errors.push(message));
    await typeKeys(el, kb, [...'hi']);
    expect(el.value).toBe('hi');
    // One report for the outage; the keys after it do not wait for the engine again.
    expect(errors).toEqual(['engine exploded']);
  });

  it('gives up on an engine that does not answer, and keeps working', async () => {
    document.body.innerHTML = '<textarea id="box"></textarea>';
    const el = document.getElementById('box') as HTMLTextAreaElement;
    el.focus();
    const real = makeBackend();
    let silent = true;
    const flaky: KeyboardBackend = {
      ...real,
      type: (k) => (silent ? new Promise<CompositionState>(() => {}) : real.type(k)),
    };
    const kb = attachKeyboard(el, { backend: flaky, requestTimeoutMs: 1000 });
    handles.push(kb);
    const errors: string[] = [];
    kb.on('error', ({ message }) => errors.push(message));
    await typeKeys(el, kb, ['x']);
    expect(errors[0]).toMatch(/did not answer/);
    expect(el.value).toBe('x');
    silent = false;
    // The keyboard asks every few hundred ms whether the engine is back (time for a few probes
    // on a loaded machine).
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await typeKeys(el, kb, [...'nihao', ' ']);
    expect(el.value).toBe('x你好');
  });

  it('asks for no frame while the answer is on its way, then reports the key painted', async () => {
    // A frame started between the keydown and the answer holds the answer back on the main
    // thread until it is drawn, and the candidates come a frame late.
    document.body.innerHTML = '<textarea id="box"></textarea>';
    const el = document.getElementById('box') as HTMLTextAreaElement;
    el.focus();
    const real = makeBackend();
    const held: (() => void)[] = [];
    const slow: KeyboardBackend = {
      ...real,
      type: async (k) => {
        await new Promise<void>((resolve) => held.push(resolve));
        return real.type(k);
      },
    };
    const kb = attachKeyboard(el, { backend: slow });
    handles.push(kb);
    const samples: { millis: number; renderMillis: number; frameMillis: number; keys: number }[] = [];
    kb.on('latency', (s) => samples.push(s));
    await new Promise((resolve) => setTimeout(resolve, 50)); // the caret measurement after focus
    const frames: number[] = [];
    const original = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (callback) => {
      frames.push(performance.now());
      return original(callback);
    };
    try {
      const typed = performance.now();
      key(el, 'n');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(held).toHaveLength(1);
      expect(frames).toEqual([]);
      held[0]!();
      await kb.settled();
      expect(frames.length).toBeGreaterThan(0); // the frame that paints the candidates
      expect(visibleOptions().length).toBeGreaterThan(0);
      for (let i = 0; i < 50 && samples.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(samples).toHaveLength(1);
      const [sample] = samples;
      expect(sample!.keys).toBe(1);
      expect(sample!.renderMillis).toBeGreaterThanOrEqual(20);
      expect(sample!.millis).toBeGreaterThanOrEqual(sample!.renderMillis);
      expect(sample!.millis).toBeLessThanOrEqual(performance.now() - typed + 1);
      expect(typeof sample!.frameMillis).toBe('number');
    } finally {
      window.requestAnimationFrame = original;
    }
  });

  it('passes incognito to the backend and honours the page size', async () => {
    document.body.innerHTML = '<textarea id="box"></textarea>';
    const el = document.getElementById('box') as HTMLTextAreaElement;
    el.focus();
    const calls: boolean[] = [];
    const backend: KeyboardBackend = { ...makeBackend(), setIncognito: (on) => void calls.push(on) };
    const kb = attachKeyboard(el, { backend, incognito: true, pageSize: 12 });
    handles.push(kb);
    await typeKeys(el, kb, [...'shi']);
    expect(calls).toEqual([true]);
    expect(visibleOptions().length).toBe(9); // clamped to 1–9
    kb.setOptions({ pageSize: 3, incognito: false });
    await kb.settled();
    expect(visibleOptions().length).toBe(3);
    expect(calls).toEqual([true, false]);
  });

  it('detaches cleanly: panel gone, keys pass again', async () => {
    const { el, kb } = setup();
    await typeKeys(el, kb, [...'ni']);
    kb.detach();
    expect(document.querySelector('[data-hanzi-ime]')).toBeNull();
    expect(key(el, 'n')).toBe(false);
  });

  it('the on-screen keyboard types through the same path', async () => {
    const { el, kb } = setup('<textarea id="box"></textarea>', { onScreenKeyboard: true });
    expect(el.getAttribute('inputmode')).toBe('none');
    const press = (k: string) =>
      shadow().querySelector<HTMLElement>(`button[data-key="${k === ' ' ? ' ' : k}"]`)!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    for (const k of 'nihao') press(k);
    press(' ');
    await kb.settled();
    expect(valueOf(el)).toBe('你好');
    kb.setOptions({ onScreenKeyboard: false });
    expect(el.hasAttribute('inputmode')).toBe(false);
  });
});
