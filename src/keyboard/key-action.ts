/**
 * What a key does, decided from the key alone and whether something is being composed.
 * Pure: no DOM, no engine; the keyboard carries the action out.
 */
import { isPunctuationKey } from './punctuation.ts';

/** Chinese composes pinyin; English leaves every key to the browser. */
export type InputMode = 'chinese' | 'english';

/** The parts of a KeyboardEvent the decision reads. */
export interface KeyInput {
  readonly key: string;
  readonly ctrlKey?: boolean;
  readonly metaKey?: boolean;
  readonly altKey?: boolean;
  readonly shiftKey?: boolean;
  /** True while the operating system's own input method is composing. */
  readonly isComposing?: boolean;
}

/** The keyboard's response to one key. */
export type KeyAction =
  /** Leave the key to the browser (and the page's own handlers). */
  | { readonly kind: 'pass' }
  /** Add letters (or the ' separator) to the composition. */
  | { readonly kind: 'compose'; readonly letters: string }
  /** Pick the candidate in this slot (0-based) of the visible page. */
  | { readonly kind: 'pick'; readonly slot: number }
  /** Pick the highlighted candidate (space). */
  | { readonly kind: 'pickHighlighted' }
  /** Insert the picked text and the remaining letters as they are (Enter, Tab). */
  | { readonly kind: 'commitRaw' }
  /** Drop the composition (Esc). */
  | { readonly kind: 'cancel' }
  /** Edit the composition (Backspace). */
  | { readonly kind: 'backspace' }
  /** Show the next (+1) or previous (-1) page. */
  | { readonly kind: 'page'; readonly delta: 1 | -1 }
  /** Move the highlight by one candidate. */
  | { readonly kind: 'move'; readonly delta: 1 | -1 }
  /** Move the caret in the composition: a syllable left or right, or to its start or end. */
  | { readonly kind: 'caret'; readonly to: -1 | 1 | 'home' | 'end' }
  /** Delete the letter after the caret (Delete). */
  | { readonly kind: 'deleteForward' }
  /** 以词定字: pick the first ([) or last (]) character of the highlighted candidate. */
  | { readonly kind: 'pickCharacter'; readonly which: 'first' | 'last' }
  /** Commit the composition (if any), then insert this key as Chinese punctuation or as itself. */
  | { readonly kind: 'punctuation'; readonly key: string }
  /** Consume the key without effect (it means nothing while composing). */
  | { readonly kind: 'swallow' };

const PASS: KeyAction = { kind: 'pass' };
const SWALLOW: KeyAction = { kind: 'swallow' };

const isLower = (k: string) => k.length === 1 && k >= 'a' && k <= 'z';
const isUpper = (k: string) => k.length === 1 && k >= 'A' && k <= 'Z';
const isPrintableAscii = (k: string) => k.length === 1 && k >= ' ' && k <= '~';

/**
 * Decides what `input` does. Not composing, only lowercase letters (which start a composition)
 * and punctuation (which goes full-width) are taken; every other key passes, so Enter still
 * sends the message and shortcuts keep working.
 */
export function keyAction(input: KeyInput, composing: boolean, mode: InputMode): KeyAction {
  const { key } = input;
  if (mode !== 'chinese') return PASS;
  if (input.isComposing || key === 'Process' || key === 'Dead' || key === 'Unidentified') return PASS;
  if (input.ctrlKey || input.metaKey || input.altKey) return PASS;

  if (!composing) {
    if (isLower(key)) return { kind: 'compose', letters: key };
    if (isPunctuationKey(key)) return { kind: 'punctuation', key };
    return PASS;
  }

  if (isLower(key) || isUpper(key)) return { kind: 'compose', letters: key.toLowerCase() };
  if (key === "'") return { kind: 'compose', letters: "'" };
  if (key.length === 1 && key >= '1' && key <= '9') return { kind: 'pick', slot: key.charCodeAt(0) - 49 };
  switch (key) {
    case ' ':
      return { kind: 'pickHighlighted' };
    case 'Enter':
    // Tab ends the composition as Enter does, instead of moving the focus away from it.
    case 'Tab':
      return { kind: 'commitRaw' };
    case 'Escape':
      return { kind: 'cancel' };
    case 'Backspace':
      return { kind: 'backspace' };
    case '-':
    case 'PageUp':
      return { kind: 'page', delta: -1 };
    case '=':
    case 'PageDown':
      return { kind: 'page', delta: 1 };
    case 'ArrowUp':
      return { kind: 'move', delta: -1 };
    case 'ArrowDown':
      return { kind: 'move', delta: 1 };
    case 'ArrowLeft':
      return { kind: 'caret', to: -1 };
    case 'ArrowRight':
      return { kind: 'caret', to: 1 };
    case 'Home':
      return { kind: 'caret', to: 'home' };
    case 'End':
      return { kind: 'caret', to: 'end' };
    case 'Delete':
      return { kind: 'deleteForward' };
    case '[':
      return { kind: 'pickCharacter', which: 'first' };
    case ']':
      return { kind: 'pickCharacter', which: 'last' };
    case '0':
      return SWALLOW;
  }
  if (isPrintableAscii(key)) return { kind: 'punctuation', key };
  return PASS;
}
