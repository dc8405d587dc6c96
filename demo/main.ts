/**
 * The demo chat page: a conversation, a message box with the pinyin keyboard attached,
 * settings, a latency readout and a privacy meter.
 */
import { attachKeyboard, type KeyboardHandle } from '../src/keyboard/index.ts';
import type { KeyboardEventMap } from '../src/keyboard/events.ts';
import { startEngine, type DemoEngine, type EnginePlace } from './engine.ts';
import { HistoryPanel } from './history-panel.ts';
import { PrivacyMeter } from './privacy-meter.ts';
import { loadSettings, readSettings, runtimeOptions, saveSettings, showSettings, type SettingsElements } from './settings.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const conversation = $<HTMLOListElement>('conversation');
const form = $<HTMLFormElement>('compose-form');
const textarea = $<HTMLTextAreaElement>('message');
const rich = $<HTMLDivElement>('message-rich');
const modeButton = $<HTMLButtonElement>('mode');
const pageSizeSelect = $<HTMLSelectElement>('page-size');
const placeSelect = $<HTMLSelectElement>('engine-place');
const incognitoBox = $<HTMLInputElement>('incognito');
const incognitoHint = $<HTMLParagraphElement>('incognito-hint');
const oskBox = $<HTMLInputElement>('osk');
const latencyOut = $<HTMLOutputElement>('latency');
const requestOut = $<HTMLOutputElement>('request-count');
const privacy = $<HTMLDivElement>('privacy');
const engineStatus = $<HTMLOutputElement>('engine-status');
const settingsElements: SettingsElements = {
  scheme: $<HTMLSelectElement>('scheme'),
  fuzzy: $<HTMLElement>('fuzzy'),
  typo: $<HTMLInputElement>('typo'),
  traditional: $<HTMLSelectElement>('traditional'),
  prediction: $<HTMLInputElement>('prediction'),
  pageSize: pageSizeSelect,
  emoji: $<HTMLInputElement>('emoji'),
  english: $<HTMLInputElement>('english'),
  quickPhrases: $<HTMLInputElement>('quick-phrases'),
  userPhrases: $<HTMLTextAreaElement>('user-phrases'),
};
let settings = loadSettings();
showSettings(settingsElements, settings);
const historyElements = {
  list: $<HTMLUListElement>('history-list'),
  summary: $<HTMLParagraphElement>('history-summary'),
  notice: $<HTMLParagraphElement>('storage-notice'),
  exportButton: $<HTMLButtonElement>('history-export'),
  importInput: $<HTMLInputElement>('history-import'),
  clearButton: $<HTMLButtonElement>('history-clear'),
};

type LatencySample = KeyboardEventMap['latency'];

/** What the demo exposes to its browser tests and benchmark (window.hanziImeDemo). */
export interface DemoHooks {
  /** Resolves once the engine is loaded and the keyboard attached. */
  readonly ready: Promise<void>;
  /** The keyboard on the current message box. */
  keyboard(): KeyboardHandle | undefined;
  /** Requests since the engine was ready, as the page itself counts them. */
  requests(): number;
  /** Every latency sample so far. */
  readonly latencies: LatencySample[];
  /** Resolves once there are at least `n` latency samples. */
  whenLatencies(n: number): Promise<void>;
  /** Messages sent so far. */
  readonly sent: string[];
  /** Writes the learned history to IndexedDB now (what the page also does when hidden). */
  flushHistory(): Promise<void>;
  /** Lists the learned history in the panel again; resolves once it is shown. */
  refreshHistory(): Promise<void>;
  /** Resolves once the settings changed so far are applied. */
  settingsApplied(): Promise<void>;
  /** The reranking model's fate once it has loaded or failed (it loads after the first answer). */
  modelStatus(): Promise<string>;
}

const latencies: LatencySample[] = [];
let latencyWaiters: { readonly n: number; readonly resolve: () => void }[] = [];
const sent: string[] = [];
let engine: DemoEngine | undefined;
let keyboard: KeyboardHandle | undefined;
let box: HTMLElement = textarea;
let historyPanel: HistoryPanel | undefined;

const meter = new PrivacyMeter((count, urls) => {
  requestOut.value = String(count);
  privacy.dataset.state = count === 0 ? 'ok' : 'bad';
  privacy.title = count === 0 ? 'No network request since the engine was ready.' : `Requests: ${urls.join(', ')}`;
});

function messageText(): string {
  return box === textarea ? textarea.value : (rich.innerText ?? rich.textContent ?? '');
}

function clearMessage(): void {
  if (box === textarea) textarea.value = '';
  else rich.replaceChildren();
}

function send(): void {
  const text = messageText().replace(/\s+$/, '');
  if (!text.trim()) return;
  const item = document.createElement('li');
  item.className = 'message mine';
  const who = document.createElement('span');
  who.className = 'who';
  who.textContent = 'me';
  const p = document.createElement('p');
  p.textContent = text;
  item.append(who, p);
  conversation.append(item);
  conversation.scrollTop = conversation.scrollHeight;
  sent.push(text);
  clearMessage();
  box.focus();
}

// Enter sends, Shift+Enter makes a new line: the chat client's own handler. The keyboard
// takes Enter only while composing (to insert the letters), so this sees every other Enter.
for (const el of [textarea, rich] as HTMLElement[]) {
  el.addEventListener('keydown', (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send();
    }
  });
}
form.addEventListener('submit', (e) => {
  e.preventDefault();
  send();
});

function showMode(): void {
  const chinese = (keyboard?.mode ?? 'chinese') === 'chinese';
  modeButton.textContent = chinese ? '中' : 'EN';
  modeButton.setAttribute('aria-label', `Input mode: ${chinese ? 'Chinese' : 'English'} (Shift switches)`);
}

function attach(): void {
  if (!engine) return;
  keyboard?.detach();
  keyboard = attachKeyboard(box, {
    backend: engine.backend,
    pageSize: Number(pageSizeSelect.value),
    incognito: incognitoBox.checked,
    onScreenKeyboard: oskBox.checked,
  });
  keyboard.on('latency', (sample) => {
    latencies.push(sample);
    latencyOut.value = `${sample.millis.toFixed(1)} ms`;
    const due = latencyWaiters.filter((w) => w.n <= latencies.length);
    latencyWaiters = latencyWaiters.filter((w) => w.n > latencies.length);
    for (const w of due) w.resolve();
  });
  keyboard.on('modechange', showMode);
  keyboard.on('commit', () => {
    if (!incognitoBox.checked) historyPanel?.refreshSoon();
  });
  keyboard.on('error', ({ message }) => {
    engineStatus.value = `error: ${message}`;
  });
  showMode();
}

modeButton.addEventListener('mousedown', (e) => e.preventDefault());
modeButton.addEventListener('click', () => {
  keyboard?.toggleMode();
  box.focus();
});
/** Keeps what the panel shows and applies it: the engine's options, the keyboard's page size. */
async function applySettings(): Promise<void> {
  settings = readSettings(settingsElements);
  saveSettings(settings);
  keyboard?.setOptions({ pageSize: settings.pageSize });
  try {
    await engine?.client.setOptions(runtimeOptions(settings));
  } catch (error) {
    engineStatus.value = `settings: ${error instanceof Error ? error.message : String(error)}`;
  }
}
let applying: Promise<void> = Promise.resolve();
const e = settingsElements;
for (const control of [e.scheme, e.fuzzy, e.typo, e.traditional, e.prediction, e.pageSize, e.emoji, e.english, e.quickPhrases, e.userPhrases]) {
  control.addEventListener('change', () => {
    applying = applying.then(applySettings);
  });
}
incognitoBox.addEventListener('change', () => keyboard?.setOptions({ incognito: incognitoBox.checked }));
oskBox.addEventListener('change', () => {
  keyboard?.setOptions({ onScreenKeyboard: oskBox.checked });
  document.body.classList.toggle('osk', oskBox.checked);
  box.focus();
  box.scrollIntoView({ block: 'nearest' });
});
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="box"]')) {
  radio.addEventListener('change', () => {
    box = radio.value === 'rich' ? rich : textarea;
    textarea.hidden = box !== textarea;
    rich.hidden = box !== rich;
    attach();
    box.focus();
  });
}

// Where the engine runs is chosen by ?engine=main|worker (changing it reloads the page).
const place: EnginePlace = new URLSearchParams(location.search).get('engine') === 'main' ? 'main' : 'worker';
placeSelect.value = place;
placeSelect.addEventListener('change', () => {
  const url = new URL(location.href);
  url.searchParams.set('engine', placeSelect.value);
  location.assign(url);
});

const loaded = new Promise<void>((resolve) => {
  if (document.readyState === 'complete') resolve();
  else addEventListener('load', () => resolve(), { once: true });
});

const ready = (async () => {
  try {
    engine = await startEngine(place, incognitoBox.checked);
  } catch (error) {
    engineStatus.value = `failed: ${error instanceof Error ? error.message : String(error)}`;
    throw error;
  }
  showStatus({ where: engine.where, languageModel: 'small model (full one loading)' });
  void showModelStatus(engine);
  if (!engine.backend.setIncognito) {
    incognitoHint.hidden = false;
    incognitoHint.textContent = 'This engine keeps no history, so nothing is learned either way.';
  }
  historyPanel = new HistoryPanel(engine.client, historyElements);
  await engine.client.setOptions(runtimeOptions(settings)).catch(() => undefined);
  attach();
  await historyPanel.start();
  await loaded;
  meter.start();
  textarea.focus();
})();

/** What the status line says: where the engine runs, which language model answers, the reranker. */
const statusParts = { where: '', languageModel: '', reranker: '' };

function showStatus(parts: Partial<typeof statusParts>): void {
  Object.assign(statusParts, parts);
  engineStatus.value = [statusParts.where, statusParts.languageModel, statusParts.reranker].filter(Boolean).join(', ');
}

/**
 * The status line follows the background loads: the full language model replacing the small
 * first one, then the reranker.
 */
async function showModelStatus(running: DemoEngine): Promise<string> {
  const failed = (e: unknown) => ({ state: 'failed' as const, message: String(e) });
  const full = await running.client.fullModelStatus().catch(failed);
  if (full?.state === 'failed') showStatus({ languageModel: `small model only (${full.message})` });
  else showStatus({ languageModel: '' });
  const status = await running.client.modelStatus().catch(failed);
  if (status?.state === 'ready') showStatus({ reranker: 'reranker on' });
  else if (status?.state === 'failed') showStatus({ reranker: `without the reranker (${status.message})` });
  return status?.state ?? 'none';
}

const hooks: DemoHooks = {
  ready,
  keyboard: () => keyboard,
  requests: () => meter.requests,
  latencies,
  whenLatencies: (n) =>
    latencies.length >= n ? Promise.resolve() : new Promise((resolve) => latencyWaiters.push({ n, resolve })),
  sent,
  flushHistory: async () => {
    await ready;
    await engine!.client.flushHistory();
  },
  refreshHistory: async () => {
    await ready;
    await historyPanel!.refresh();
  },
  settingsApplied: async () => {
    await ready;
    await applying;
  },
  modelStatus: async () => {
    await ready;
    return showModelStatus(engine!);
  },
};
window.hanziImeDemo = hooks;

declare global {
  interface Window {
    /** Test and benchmark hooks of the demo page. */
    hanziImeDemo: DemoHooks;
  }
}
