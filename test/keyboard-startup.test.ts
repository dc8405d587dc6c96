// @vitest-environment happy-dom
/**
 * The keyboard attached before its engine is ready (issue 14): keys typed while the engine
 * starts are kept in order and converted once it is ready; an engine that fails to start
 * fires `error` with its typed error and leaves a plain box that loses no key.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { attachKeyboard, backendFromWorkerApi, type KeyboardBackend, type KeyboardHandle } from '../src/keyboard/index.ts';
import { ImeError, ImeErrorCode } from '../src/util/errors.ts';
import { createEngineHost } from '../src/worker/engine-host.ts';
import { useEngineData } from './lib/engine-data.ts';

const data = useEngineData();

/** A backend whose start the test controls: resolve() once the engine is loaded, or fail(). */
function startingEngine() {
  let resolve!: (b: KeyboardBackend) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<KeyboardBackend>((res, rej) => ((resolve = res), (reject = rej)));
  return {
    promise,
    async ready() {
      const host = createEngineHost();
      await host.init({ lexicon: data.lexicon, model: data.model });
      resolve(backendFromWorkerApi(host));
    },
    fail: (e: unknown) => reject(e),
  };
}

const handles: KeyboardHandle[] = [];
afterEach(() => {
  for (const h of handles.splice(0)) h.detach();
  document.body.replaceChildren();
});

function setup(backend: PromiseLike<KeyboardBackend>): { el: HTMLTextAreaElement; kb: KeyboardHandle; pageKeys: string[] } {
  document.body.innerHTML = '<textarea id="box"></textarea>';
  const el = document.getElementById('box') as HTMLTextAreaElement;
  el.focus();
  const pageKeys: string[] = [];
  el.addEventListener('keydown', (e) => void pageKeys.push(e.key));
  const kb = attachKeyboard(el, { backend });
  handles.push(kb);
  return { el, kb, pageKeys };
}

/** Dispatches one keydown; returns whether the keyboard took it. */
function key(el: HTMLElement, k: string): boolean {
  const down = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true });
  el.dispatchEvent(down);
  return down.defaultPrevented;
}

const shadow = () => document.querySelector('[data-hanzi-ime]')!.shadowRoot!;
const preedit = () => shadow().querySelector('.preedit')!.textContent;
const firstOption = () => shadow().querySelector<HTMLElement>('[role="option"]:not([hidden])')?.textContent ?? '';

describe('a keyboard attached before its engine is ready', () => {
  it('keeps the keys typed meanwhile, shows their letters, and converts them once the engine is ready', async () => {
    const engine = startingEngine();
    const { el, kb } = setup(engine.promise);
    const commits: string[] = [];
    kb.on('commit', ({ text }) => commits.push(text));
    for (const k of 'nihao') expect(key(el, k)).toBe(true);
    expect(el.value).toBe('');
    expect(preedit()).toBe('nihao');
    expect(key(el, ' ')).toBe(true); // picks the first candidate, once there is one
    await engine.ready();
    await kb.settled();
    expect(el.value).toBe('你好');
    expect(commits).toEqual(['你好']);
    expect(kb.composing).toBe(false);
    for (const k of 'shi') key(el, k);
    await kb.settled();
    expect(firstOption()).toContain('是');
  });

  it('an engine that fails to start: error fires with the typed error, the keys typed meanwhile reach the box, the box stays plain', async () => {
    const engine = startingEngine();
    const { el, kb, pageKeys } = setup(engine.promise);
    const errors: unknown[] = [];
    kb.on('error', ({ error }) => errors.push(error));
    for (const k of 'ni') key(el, k);
    key(el, 'Backspace');
    key(el, 'o');
    const failure = new ImeError(ImeErrorCode.AssetUnavailable, 'could not fetch /assets/ngram.bin: HTTP 404');
    engine.fail(failure);
    await kb.settled();
    expect(errors).toEqual([failure]);
    expect(el.value).toBe('no');
    expect(shadow().querySelector('.preedit')!.textContent).toBe('');
    // From now on the browser handles every key: none is taken.
    expect(key(el, 'h')).toBe(false);
    expect(key(el, 'Enter')).toBe(false);
    expect(pageKeys.slice(-2)).toEqual(['h', 'Enter']);
  });

  it('accepts a promise as the backend but still refuses a missing one', () => {
    document.body.innerHTML = '<textarea id="box"></textarea>';
    const el = document.getElementById('box')!;
    expect(() => attachKeyboard(el, { backend: undefined as never })).toThrow(/backend/);
    const kb = attachKeyboard(el, { backend: new Promise<KeyboardBackend>(() => {}) });
    handles.push(kb);
    expect(kb.attached).toBe(true);
  });
});
