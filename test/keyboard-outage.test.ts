// @vitest-environment happy-dom
/**
 * The keyboard survives its engine (issue 16, defects 1 and 4), on a DOM (happy-dom) with the
 * real engine on this thread: during an outage Enter, Esc and Backspace work at once and the
 * outage is reported once through `error`; the composition is converted when the engine is
 * back; two boxes on one engine client each have their own composition and incognito flag.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { attachKeyboard, type KeyboardBackend, type KeyboardHandle } from '../src/keyboard/index.ts';
import { createEngineClient, type EngineClient } from '../src/worker/client.ts';
import type { CompositionState } from '../src/worker/protocol.ts';
import { useEngineData } from './lib/engine-data.ts';

const data = useEngineData();

const handles: KeyboardHandle[] = [];
const clients: EngineClient[] = [];
afterEach(async () => {
  for (const h of handles.splice(0)) h.detach();
  for (const c of clients.splice(0)) await c.close();
  document.body.replaceChildren();
});

async function mainThreadClient(): Promise<EngineClient> {
  const client = await createEngineClient({ worker: null, init: { lexicon: data.lexicon, model: data.model, history: { persist: false } } });
  clients.push(client);
  return client;
}

function key(el: HTMLElement, k: string): boolean {
  const down = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true });
  el.dispatchEvent(down);
  el.dispatchEvent(new KeyboardEvent('keyup', { key: k, bubbles: true, cancelable: true }));
  return down.defaultPrevented;
}

async function typeKeys(el: HTMLElement, kb: KeyboardHandle, keys: string[]): Promise<void> {
  for (const k of keys) {
    el.focus();
    key(el, k);
  }
  await kb.settled();
}

const valueOf = (el: HTMLElement) => (el as HTMLTextAreaElement).value;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A backend that stops answering (every request hangs) while `out` is true. */
function flaky(real: KeyboardBackend): { backend: KeyboardBackend; setOut(out: boolean): void } {
  let out = false;
  const gate = <A extends unknown[]>(f: (...a: A) => Promise<CompositionState>) => (...a: A) =>
    out ? new Promise<CompositionState>(() => {}) : f(...a);
  return {
    backend: {
      type: gate(real.type.bind(real)),
      backspace: gate(real.backspace.bind(real)),
      select: gate(real.select.bind(real)),
      commit: gate(real.commit.bind(real)),
      commitRaw: gate(real.commitRaw.bind(real)),
      reset: gate(real.reset.bind(real)),
    },
    setOut: (o) => (out = o),
  };
}

describe('a keyboard that survives its engine', () => {
  it('an outage mid-composition: one error, then Backspace and Enter work at once, with no engine', async () => {
    document.body.innerHTML = '<textarea id="box"></textarea>';
    const el = document.getElementById('box')!;
    const { backend, setOut } = flaky(await mainThreadClient());
    const kb = attachKeyboard(el, { backend, requestTimeoutMs: 300 });
    handles.push(kb);
    const errors: string[] = [];
    kb.on('error', ({ message }) => errors.push(message));
    await typeKeys(el, kb, [...'nihao']);
    expect(kb.composing).toBe(true);
    setOut(true);
    // The key that finds the engine out waits for the timeout once, and still counts.
    await typeKeys(el, kb, ['m']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/did not answer/);
    let t0 = performance.now();
    await typeKeys(el, kb, ['a', 'Backspace', 'Backspace']);
    expect(performance.now() - t0, 'keys during the outage wait for nothing').toBeLessThan(100);
    t0 = performance.now();
    await typeKeys(el, kb, ['Enter']);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(valueOf(el)).toBe('nihao');
    expect(kb.composing).toBe(false);
    expect(errors).toHaveLength(1);
  });

  it('an outage mid-composition: Esc drops the letters at once, and the next Enter reaches the page (the message is sent)', async () => {
    document.body.innerHTML = '<textarea id="box"></textarea>';
    const el = document.getElementById('box')!;
    const sent: string[] = [];
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        sent.push(valueOf(el));
      }
    });
    const { backend, setOut } = flaky(await mainThreadClient());
    const kb = attachKeyboard(el, { backend, requestTimeoutMs: 300 });
    handles.push(kb);
    el.focus();
    (el as HTMLTextAreaElement).value = 'hi ';
    await typeKeys(el, kb, [...'nihao']);
    setOut(true);
    await typeKeys(el, kb, ['m']);
    const t0 = performance.now();
    await typeKeys(el, kb, ['Escape', 'Enter']);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(kb.composing).toBe(false);
    expect(sent).toEqual(['hi ']);
  });

  it('letters composed during an outage are converted once the engine answers again', async () => {
    document.body.innerHTML = '<textarea id="box"></textarea>';
    const el = document.getElementById('box')!;
    const { backend, setOut } = flaky(await mainThreadClient());
    const kb = attachKeyboard(el, { backend, requestTimeoutMs: 300 });
    handles.push(kb);
    await typeKeys(el, kb, [...'ni']);
    setOut(true);
    await typeKeys(el, kb, [...'hao']);
    const candidates: string[][] = [];
    kb.on('compositionupdate', (u) => candidates.push(u.candidates.map((c) => c.text)));
    setOut(false);
    await sleep(800);
    await kb.settled();
    expect(candidates.at(-1)?.[0]).toBe('你好');
    await typeKeys(el, kb, [' ']);
    expect(valueOf(el)).toBe('你好');
  });

  it('with nothing composed, letters during an outage go in as typed at once', async () => {
    document.body.innerHTML = '<textarea id="box"></textarea>';
    const el = document.getElementById('box')!;
    const { backend, setOut } = flaky(await mainThreadClient());
    const kb = attachKeyboard(el, { backend, requestTimeoutMs: 300 });
    handles.push(kb);
    setOut(true);
    await typeKeys(el, kb, ['o']);
    const t0 = performance.now();
    await typeKeys(el, kb, [...'k ']);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(valueOf(el)).toBe('ok ');
  });
});

/**
 * A backend whose pick is run by the engine but answered too late while `late` is on (and
 * which answers nothing else then); once back, the text that pick committed comes with the
 * next answer, as the engine client hands it over.
 */
function lateAnswers(real: KeyboardBackend): { backend: KeyboardBackend; setLate(late: boolean): void } {
  let late = false;
  let carried = '';
  const hang = () => new Promise<CompositionState>(() => {});
  const carry = async (answer: Promise<CompositionState>) => {
    const state = await answer;
    const committed = carried + (state.committed ?? '');
    carried = '';
    return committed ? { ...state, committed } : state;
  };
  return {
    backend: {
      type: (keys) => (late ? hang() : carry(real.type(keys))),
      backspace: () => (late ? hang() : carry(real.backspace())),
      select: (index) => {
        if (!late) return carry(real.select(index));
        void real.select(index).then((s) => (carried += s.committed ?? ''));
        return hang();
      },
      commit: () => (late ? hang() : carry(real.commit())),
      commitRaw: () => (late ? hang() : carry(real.commitRaw())),
      reset: () => (late ? hang() : carry(real.reset())),
    },
    setLate: (l) => (late = l),
  };
}

describe('committed text is never lost to an outage', () => {
  it('a pick the engine ran but answered too late: its text goes in when the engine is back, the letters it converted leave', async () => {
    document.body.innerHTML = '<textarea id="box"></textarea>';
    const el = document.getElementById('box')!;
    const { backend, setLate } = lateAnswers(await mainThreadClient());
    const kb = attachKeyboard(el, { backend, requestTimeoutMs: 300 });
    handles.push(kb);
    const commits: string[] = [];
    kb.on('commit', ({ text }) => commits.push(text));
    await typeKeys(el, kb, [...'nihao']);
    setLate(true);
    await typeKeys(el, kb, ['1']);
    expect(kb.composing, 'offline, the pick did nothing here').toBe(true);
    await typeKeys(el, kb, [...'ma']);
    setLate(false);
    await sleep(800);
    await kb.settled();
    expect(valueOf(el)).toBe('你好');
    expect(commits).toEqual(['你好']);
    // What was typed after the pick is composed again.
    await typeKeys(el, kb, ['Enter']);
    expect(valueOf(el)).toBe('你好ma');
  });

  it('space during the outage already put the letters in: the late text does not go in twice', async () => {
    document.body.innerHTML = '<textarea id="box"></textarea>';
    const el = document.getElementById('box')!;
    const { backend, setLate } = lateAnswers(await mainThreadClient());
    const kb = attachKeyboard(el, { backend, requestTimeoutMs: 300 });
    handles.push(kb);
    await typeKeys(el, kb, [...'nihao']);
    setLate(true);
    await typeKeys(el, kb, [' ']);
    expect(valueOf(el)).toBe('nihao');
    setLate(false);
    await sleep(800);
    await kb.settled();
    expect(valueOf(el)).toBe('nihao');
    expect(kb.composing).toBe(false);
  });
});

describe('one session and one incognito flag per attached box', () => {
  it('mima in box A, then xiao + space in box B gives 小 in B, and A keeps its letters', async () => {
    document.body.innerHTML = '<textarea id="a"></textarea><textarea id="b"></textarea>';
    const a = document.getElementById('a')!;
    const b = document.getElementById('b')!;
    const client = await mainThreadClient();
    const ka = attachKeyboard(a, { backend: client });
    const kbB = attachKeyboard(b, { backend: client });
    handles.push(ka, kbB);
    await typeKeys(a, ka, [...'mima']);
    await typeKeys(b, kbB, [...'xiao', ' ']);
    expect(valueOf(b)).toBe('小');
    expect(ka.composing).toBe(true);
    await typeKeys(a, ka, [' ']);
    expect(valueOf(a)).toBe('密码');
  });

  it('a private box learns nothing even when another box on the same engine turns incognito off', async () => {
    document.body.innerHTML = '<textarea id="a"></textarea><textarea id="b"></textarea>';
    const a = document.getElementById('a')!;
    const b = document.getElementById('b')!;
    const client = await mainThreadClient();
    const secret = attachKeyboard(a, { backend: client, incognito: true });
    const open = attachKeyboard(b, { backend: client, incognito: true });
    handles.push(secret, open);
    open.setOptions({ incognito: false });
    // 李延龄 picked piece by piece in the private box: candidates 李, then 延, then 龄.
    const pickPieces = async (el: HTMLElement, kb: KeyboardHandle) => {
      const seen: string[][] = [];
      const off = kb.on('compositionupdate', (u) => seen.push(u.candidates.map((c) => c.text)));
      await typeKeys(el, kb, [...'liyanling']);
      for (const piece of ['李', '延', '龄']) {
        for (let page = 0; page < 30 && !seen.at(-1)!.includes(piece); page++) await typeKeys(el, kb, ['=']);
        await typeKeys(el, kb, [String(seen.at(-1)!.indexOf(piece) + 1)]);
      }
      off();
    };
    await pickPieces(a, secret);
    expect(valueOf(a)).toBe('李延龄');
    expect((await client.historyEntries()).map((e) => e.text)).toEqual([]);
    await pickPieces(b, open);
    expect(valueOf(b)).toBe('李延龄');
    expect((await client.historyEntries()).map((e) => e.text)).toContain('李延龄');
  });
});
