/**
 * The optional on-screen keyboard for touch screens: QWERTY letters with shift and the
 * apostrophe (the pinyin separator), a layer of digits and symbols, and the keys a chat needs
 * (mode switch, punctuation, space, backspace, enter). Its buttons never take the focus, so
 * the message box keeps its caret; each press is reported as the key it stands for.
 */
import type { InputMode } from './key-action.ts';

/** Key values reported for the special keys (the same `key` names KeyboardEvent uses). */
export const VIRTUAL_MODE_KEY = 'Shift';

/** Keys handled inside the on-screen keyboard itself (never reported). */
const SHIFT = 'hanzi-ime:shift';
const LAYER = 'hanzi-ime:layer';

/** The layers: letters, and digits with symbols. */
export type KeyLayer = 'letters' | 'symbols';

interface KeySpec {
  readonly key: string;
  readonly label: string;
  readonly aria?: string;
  readonly className?: string;
}

const plain = (keys: string): KeySpec[] => [...keys].map((k) => ({ key: k, label: k }));

const BACKSPACE: KeySpec = { key: 'Backspace', label: '⌫', aria: 'Backspace', className: 'wide' };
const ENTER: KeySpec = { key: 'Enter', label: '⏎', aria: 'Enter', className: 'wide' };
const SPACE: KeySpec = { key: ' ', label: 'space', aria: 'Space', className: 'space' };
const MODE: KeySpec = { key: VIRTUAL_MODE_KEY, label: '中', aria: 'Switch Chinese / English', className: 'wide' };

const LETTERS: KeySpec[][] = [
  plain('qwertyuiop'),
  plain('asdfghjkl'),
  [{ key: SHIFT, label: '⇧', aria: 'Shift', className: 'wide shift' }, ...plain('zxcvbnm'), { key: "'", label: "'", aria: 'Apostrophe (syllable separator)' }, BACKSPACE],
  [
    { key: LAYER, label: '123', aria: 'Digits and symbols', className: 'wide layer' },
    MODE,
    { key: ',', label: '，', aria: 'Comma' },
    SPACE,
    { key: '.', label: '。', aria: 'Full stop' },
    { key: '?', label: '？', aria: 'Question mark' },
    ENTER,
  ],
];

const SYMBOLS: KeySpec[][] = [
  plain('1234567890'),
  plain('-/:;()$&@"'),
  [...plain(".,?!'%*#+="), BACKSPACE],
  [{ key: LAYER, label: 'ABC', aria: 'Letters', className: 'wide layer' }, MODE, plain('~')[0]!, SPACE, plain('_')[0]!, ENTER],
];

/** The on-screen key grid. */
export class OnScreenKeyboard {
  readonly element: HTMLElement;
  private readonly layers: Record<KeyLayer, HTMLElement>;
  private readonly modeKeys: HTMLElement[] = [];
  private readonly letterKeys: HTMLElement[] = [];
  private readonly shiftKey: HTMLElement;
  private layer: KeyLayer = 'letters';
  private shifted = false;

  /** Builds the grid; `onKey` receives the `key` value of each press. */
  constructor(doc: Document, onKey: (key: string) => void) {
    const root = doc.createElement('div');
    root.className = 'keys';
    root.setAttribute('role', 'group');
    root.setAttribute('aria-label', 'On-screen keyboard');
    this.layers = { letters: this.build(doc, LETTERS, 'letters'), symbols: this.build(doc, SYMBOLS, 'symbols') };
    this.layers.symbols.hidden = true;
    root.append(this.layers.letters, this.layers.symbols);
    this.shiftKey = this.layers.letters.querySelector<HTMLElement>(`[data-key="${SHIFT}"]`)!;
    root.addEventListener('click', (event) => {
      const button = (event.target as Element | null)?.closest?.('button');
      const key = button?.dataset.key;
      if (key === undefined) return;
      if (key === SHIFT) return this.setShift(!this.shifted);
      if (key === LAYER) return this.showLayer(this.layer === 'letters' ? 'symbols' : 'letters');
      if (this.shifted && key.length === 1 && key >= 'a' && key <= 'z') {
        this.setShift(false);
        return onKey(key.toUpperCase());
      }
      onKey(key);
    });
    this.element = root;
  }

  private build(doc: Document, rows: readonly KeySpec[][], name: KeyLayer): HTMLElement {
    const layer = doc.createElement('div');
    layer.className = 'layer-keys';
    layer.dataset.layer = name;
    for (const specs of rows) {
      const row = doc.createElement('div');
      row.className = 'krow';
      for (const spec of specs) {
        const button = doc.createElement('button');
        button.type = 'button';
        button.tabIndex = -1;
        button.className = spec.className ? `key ${spec.className}` : 'key';
        button.textContent = spec.label;
        button.dataset.key = spec.key;
        if (spec.aria) button.setAttribute('aria-label', spec.aria);
        if (spec.key === VIRTUAL_MODE_KEY) this.modeKeys.push(button);
        if (name === 'letters' && spec.key.length === 1 && spec.key >= 'a' && spec.key <= 'z') this.letterKeys.push(button);
        row.append(button);
      }
      layer.append(row);
    }
    return layer;
  }

  /** Shows the letters or the digits and symbols. */
  showLayer(layer: KeyLayer): void {
    this.layer = layer;
    this.layers.letters.hidden = layer !== 'letters';
    this.layers.symbols.hidden = layer !== 'symbols';
    this.setShift(false);
  }

  /** The layer shown. */
  get currentLayer(): KeyLayer {
    return this.layer;
  }

  /** Shift on: the next letter goes in as a capital (an English capital, or a capital while composing). */
  private setShift(on: boolean): void {
    this.shifted = on;
    this.shiftKey.setAttribute('aria-pressed', String(on));
    for (const key of this.letterKeys) key.textContent = on ? key.dataset.key!.toUpperCase() : key.dataset.key!;
  }

  /** Shows the current mode on the mode keys. */
  showMode(mode: InputMode): void {
    for (const key of this.modeKeys) {
      key.textContent = mode === 'chinese' ? '中' : 'En';
      key.setAttribute('aria-pressed', String(mode === 'chinese'));
    }
  }
}
