/**
 * The demo's settings panel: input scheme, fuzzy pinyin, typo tolerance, traditional output,
 * next-word prediction, candidates per page and the chat extras (emoji, English words, quick
 * phrases, the user's own phrases), kept in localStorage and applied to the engine
 * (through the worker client's setOptions) and to the keyboard.
 */
import type { RuntimeOptions } from '../src/worker/protocol.ts';
import { FUZZY_PAIRS, type FuzzyPair } from '../src/pinyin/fuzzy.ts';
import { INPUT_SCHEMES, type InputScheme } from '../src/pinyin/input-options.ts';
import { TRADITIONAL_VARIANTS, type TraditionalVariant } from '../src/engine/traditional.ts';

/** Everything the panel sets. */
export interface DemoSettings {
  readonly scheme: InputScheme;
  readonly fuzzy: readonly FuzzyPair[];
  readonly typoTolerance: boolean;
  readonly traditional: TraditionalVariant | false;
  readonly prediction: boolean;
  readonly pageSize: number;
  readonly emoji: boolean;
  readonly english: boolean;
  readonly quickPhrases: boolean;
  /** The user's phrases as typed in the panel: `code = text`, one a line. */
  readonly userPhrases: string;
}

/** Where the settings are kept. */
export const SETTINGS_KEY = 'hanzi-ime-demo-settings';

export const DEFAULT_SETTINGS: DemoSettings = Object.freeze({
  scheme: 'quanpin',
  fuzzy: [],
  typoTolerance: false,
  traditional: false,
  prediction: false,
  pageSize: 5,
  emoji: false,
  english: false,
  quickPhrases: false,
  userPhrases: '',
});

/** The stored settings, each field checked (a bad or missing one takes its default). */
export function loadSettings(): DemoSettings {
  let raw: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? '{}');
    if (parsed && typeof parsed === 'object') raw = parsed as Record<string, unknown>;
  } catch {
    // Unreadable: the defaults.
  }
  const d = DEFAULT_SETTINGS;
  return {
    scheme: INPUT_SCHEMES.includes(raw.scheme as InputScheme) ? (raw.scheme as InputScheme) : d.scheme,
    fuzzy: Array.isArray(raw.fuzzy) ? raw.fuzzy.filter((p): p is FuzzyPair => FUZZY_PAIRS.includes(p as FuzzyPair)) : d.fuzzy,
    typoTolerance: typeof raw.typoTolerance === 'boolean' ? raw.typoTolerance : d.typoTolerance,
    traditional: TRADITIONAL_VARIANTS.includes(raw.traditional as TraditionalVariant) ? (raw.traditional as TraditionalVariant) : d.traditional,
    prediction: typeof raw.prediction === 'boolean' ? raw.prediction : d.prediction,
    pageSize: [5, 7, 9].includes(raw.pageSize as number) ? (raw.pageSize as number) : d.pageSize,
    emoji: typeof raw.emoji === 'boolean' ? raw.emoji : d.emoji,
    english: typeof raw.english === 'boolean' ? raw.english : d.english,
    quickPhrases: typeof raw.quickPhrases === 'boolean' ? raw.quickPhrases : d.quickPhrases,
    userPhrases: typeof raw.userPhrases === 'string' ? raw.userPhrases : d.userPhrases,
  };
}

/** Keeps the settings for the next visit (quietly does nothing where storage is refused). */
export function saveSettings(settings: DemoSettings): void {
  try {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
  } catch {
    // Private mode or storage off: the settings last for this visit only.
  }
}

/** The engine's share of the settings. */
export function runtimeOptions(s: DemoSettings): RuntimeOptions {
  return {
    scheme: s.scheme,
    fuzzy: s.fuzzy,
    typoTolerance: s.typoTolerance,
    traditional: s.traditional,
    prediction: s.prediction,
    emoji: s.emoji,
    english: s.english,
    quickPhrases: s.quickPhrases,
    userPhrases: parseUserPhrases(s.userPhrases),
  };
}

/** `code = text` lines as a map; lines that are not one (a code of letters a–z, some text) are left out. */
export function parseUserPhrases(lines: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines.split('\n')) {
    const m = /^\s*([a-z]{1,16})\s*=\s*(.{1,200}?)\s*$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** The panel's form controls. */
export interface SettingsElements {
  readonly scheme: HTMLSelectElement;
  readonly fuzzy: HTMLElement;
  readonly typo: HTMLInputElement;
  readonly traditional: HTMLSelectElement;
  readonly prediction: HTMLInputElement;
  readonly pageSize: HTMLSelectElement;
  readonly emoji: HTMLInputElement;
  readonly english: HTMLInputElement;
  readonly quickPhrases: HTMLInputElement;
  readonly userPhrases: HTMLTextAreaElement;
}

/** Fills the controls from `settings` (the fuzzy checkboxes are made here, one per pair). */
export function showSettings(el: SettingsElements, settings: DemoSettings): void {
  el.scheme.value = settings.scheme;
  if (el.fuzzy.childElementCount === 0) {
    for (const pair of FUZZY_PAIRS) {
      const label = document.createElement('label');
      label.className = 'check';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = pair;
      box.name = 'fuzzy';
      label.append(box, ` ${pair}`);
      el.fuzzy.append(label);
    }
  }
  for (const box of el.fuzzy.querySelectorAll<HTMLInputElement>('input[name="fuzzy"]')) box.checked = settings.fuzzy.includes(box.value as FuzzyPair);
  el.typo.checked = settings.typoTolerance;
  el.traditional.value = settings.traditional === false ? 'off' : settings.traditional;
  el.prediction.checked = settings.prediction;
  el.pageSize.value = String(settings.pageSize);
  el.emoji.checked = settings.emoji;
  el.english.checked = settings.english;
  el.quickPhrases.checked = settings.quickPhrases;
  el.userPhrases.value = settings.userPhrases;
}

/** The settings as the controls show them. */
export function readSettings(el: SettingsElements): DemoSettings {
  const traditional = el.traditional.value;
  return {
    scheme: el.scheme.value as InputScheme,
    fuzzy: [...el.fuzzy.querySelectorAll<HTMLInputElement>('input[name="fuzzy"]:checked')].map((b) => b.value as FuzzyPair),
    typoTolerance: el.typo.checked,
    traditional: traditional === 'off' ? false : (traditional as TraditionalVariant),
    prediction: el.prediction.checked,
    pageSize: Number(el.pageSize.value),
    emoji: el.emoji.checked,
    english: el.english.checked,
    quickPhrases: el.quickPhrases.checked,
    userPhrases: el.userPhrases.value,
  };
}
