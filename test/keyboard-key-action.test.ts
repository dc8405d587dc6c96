import { describe, expect, it } from 'vitest';
import { keyAction, type KeyAction, type KeyInput } from '../src/keyboard/key-action.ts';

type Row = [name: string, input: KeyInput, composing: boolean, expected: KeyAction];

const rows: Row[] = [
  ['a letter starts a composition', { key: 'n' }, false, { kind: 'compose', letters: 'n' }],
  ['a capital passes when idle (English capitals)', { key: 'N', shiftKey: true }, false, { kind: 'pass' }],
  ['a capital composes (lowered) while composing', { key: 'N', shiftKey: true }, true, { kind: 'compose', letters: 'n' }],
  ['the apostrophe separates syllables while composing', { key: "'" }, true, { kind: 'compose', letters: "'" }],
  ['the apostrophe is a quote when idle', { key: "'" }, false, { kind: 'punctuation', key: "'" }],
  ['digits pass when idle', { key: '3' }, false, { kind: 'pass' }],
  ['digits 1-9 pick a slot', { key: '3' }, true, { kind: 'pick', slot: 2 }],
  ['digit 1 is slot 0', { key: '1' }, true, { kind: 'pick', slot: 0 }],
  ['0 means nothing while composing', { key: '0' }, true, { kind: 'swallow' }],
  ['space picks the highlighted candidate', { key: ' ' }, true, { kind: 'pickHighlighted' }],
  ['space passes when idle', { key: ' ' }, false, { kind: 'pass' }],
  ['Enter inserts the letters while composing', { key: 'Enter' }, true, { kind: 'commitRaw' }],
  ['Enter passes when idle (the page sends)', { key: 'Enter' }, false, { kind: 'pass' }],
  ['Escape cancels', { key: 'Escape' }, true, { kind: 'cancel' }],
  ['Escape passes when idle', { key: 'Escape' }, false, { kind: 'pass' }],
  ['Backspace edits the composition', { key: 'Backspace' }, true, { kind: 'backspace' }],
  ['Backspace passes when idle', { key: 'Backspace' }, false, { kind: 'pass' }],
  ['- pages back', { key: '-' }, true, { kind: 'page', delta: -1 }],
  ['= pages on', { key: '=' }, true, { kind: 'page', delta: 1 }],
  ['PageDown pages on', { key: 'PageDown' }, true, { kind: 'page', delta: 1 }],
  ['PageUp pages back', { key: 'PageUp' }, true, { kind: 'page', delta: -1 }],
  ['ArrowDown moves the highlight', { key: 'ArrowDown' }, true, { kind: 'move', delta: 1 }],
  ['ArrowUp moves the highlight back', { key: 'ArrowUp' }, true, { kind: 'move', delta: -1 }],
  ['ArrowRight moves the caret a syllable right', { key: 'ArrowRight' }, true, { kind: 'caret', to: 1 }],
  ['ArrowLeft moves the caret a syllable left', { key: 'ArrowLeft' }, true, { kind: 'caret', to: -1 }],
  ['Home moves the caret to the start', { key: 'Home' }, true, { kind: 'caret', to: 'home' }],
  ['End moves the caret to the end', { key: 'End' }, true, { kind: 'caret', to: 'end' }],
  ['Delete deletes after the caret', { key: 'Delete' }, true, { kind: 'deleteForward' }],
  ['[ picks the first character of the highlighted word', { key: '[' }, true, { kind: 'pickCharacter', which: 'first' }],
  ['] picks the last character of the highlighted word', { key: ']' }, true, { kind: 'pickCharacter', which: 'last' }],
  ['[ is punctuation when idle', { key: '[' }, false, { kind: 'punctuation', key: '[' }],
  ['Home passes when idle', { key: 'Home' }, false, { kind: 'pass' }],
  ['arrows pass when idle', { key: 'ArrowLeft' }, false, { kind: 'pass' }],
  ['- passes when idle', { key: '-' }, false, { kind: 'pass' }],
  ['a comma is punctuation when idle', { key: ',' }, false, { kind: 'punctuation', key: ',' }],
  ['a comma commits and punctuates while composing', { key: ',' }, true, { kind: 'punctuation', key: ',' }],
  ['other printable keys commit and insert while composing', { key: '/' }, true, { kind: 'punctuation', key: '/' }],
  ['other printable keys pass when idle', { key: '/' }, false, { kind: 'pass' }],
  ['Ctrl+letter is a shortcut', { key: 'a', ctrlKey: true }, false, { kind: 'pass' }],
  ['Ctrl+letter passes even while composing', { key: 'c', ctrlKey: true }, true, { kind: 'pass' }],
  ['Meta+Enter passes', { key: 'Enter', metaKey: true }, true, { kind: 'pass' }],
  ['Alt+letter passes', { key: 'n', altKey: true }, false, { kind: 'pass' }],
  ["the system IME's keys pass", { key: 'Process' }, true, { kind: 'pass' }],
  ['keys during system composition pass', { key: 'n', isComposing: true }, false, { kind: 'pass' }],
  ['function keys pass', { key: 'F5' }, true, { kind: 'pass' }],
  ['Tab ends the composition as Enter does', { key: 'Tab' }, true, { kind: 'commitRaw' }],
  ['Shift+Tab ends the composition too', { key: 'Tab', shiftKey: true }, true, { kind: 'commitRaw' }],
  ['Tab passes when idle (focus moves)', { key: 'Tab' }, false, { kind: 'pass' }],
  ['non-ASCII characters pass', { key: 'é' }, false, { kind: 'pass' }],
];

describe('keyAction', () => {
  it.each(rows)('%s', (_name, input, composing, expected) => {
    expect(keyAction(input, composing, 'chinese')).toEqual(expected);
  });

  it('passes every key in English mode', () => {
    for (const [, input, composing] of rows) expect(keyAction(input, composing, 'english')).toEqual({ kind: 'pass' });
  });
});
