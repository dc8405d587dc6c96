/**
 * The demo's settings panel: input scheme, fuzzy pinyin, typo tolerance, traditional output,
 * next-word prediction and candidates per page, kept in localStorage and applied to the engine
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
  return { scheme: s.scheme, fuzzy: s.fuzzy, typoTolerance: s.typoTolerance, traditional: s.traditional, prediction: s.prediction };
}

/** The panel's form controls. */
export interface SettingsElements {
  readonly scheme: HTMLSelectElement;
  readonly fuzzy: HTMLElement;
  readonly typo: HTMLInputElement;
  readonly traditional: HTMLSelectElement;
  readonly prediction: HTMLInputElement;
  readonly pageSize: HTMLSelectElement;
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
  };
}
