/**
 * The optional on-screen keyboard for touch screens: QWERTY letters with the keys a chat needs
 * (mode switch, punctuation, space, backspace, enter). Its buttons never take the focus, so
 * the message box keeps its caret; each press is reported as the key it stands for.
 */
import type { InputMode } from './key-action.ts';

const LETTER_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** Key values reported for the special keys (the same `key` names KeyboardEvent uses). */
export const VIRTUAL_MODE_KEY = 'Shift';

interface KeySpec {
  readonly key: string;
  readonly label: string;
  readonly aria?: string;
  readonly className?: string;
}

/** The on-screen key grid. */
export class OnScreenKeyboard {
  readonly element: HTMLElement;
  private readonly modeKey: HTMLElement;

  /** Builds the grid; `onKey` receives the `key` value of each press. */
  constructor(doc: Document, onKey: (key: string) => void) {
    const root = doc.createElement('div');
    root.className = 'keys';
    root.setAttribute('role', 'group');
    root.setAttribute('aria-label', 'On-screen keyboard');
    const rows: KeySpec[][] = LETTER_ROWS.map((r) => [...r].map((k) => ({ key: k, label: k })));
    rows[2]!.unshift({ key: VIRTUAL_MODE_KEY, label: '中', aria: 'Switch Chinese / English', className: 'wide' });
    rows[2]!.push({ key: 'Backspace', label: '⌫', aria: 'Backspace', className: 'wide' });
    rows.push([
      { key: ',', label: '，', aria: 'Comma' },
      { key: ' ', label: 'space', aria: 'Space', className: 'space' },
      { key: '.', label: '。', aria: 'Full stop' },
      { key: '?', label: '？', aria: 'Question mark' },
      { key: 'Enter', label: '⏎', aria: 'Enter', className: 'wide' },
    ]);
    let modeKey: HTMLElement | undefined;
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
        if (spec.key === VIRTUAL_MODE_KEY) modeKey = button;
        row.append(button);
      }
      root.append(row);
    }
    root.addEventListener('click', (event) => {
      const button = (event.target as Element | null)?.closest?.('button');
      const key = button?.dataset.key;
      if (key !== undefined) onKey(key);
    });
    this.element = root;
    this.modeKey = modeKey!;
  }

  /** Shows the current mode on the mode key. */
  showMode(mode: InputMode): void {
    this.modeKey.textContent = mode === 'chinese' ? '中' : 'En';
    this.modeKey.setAttribute('aria-pressed', String(mode === 'chinese'));
  }
}
