/**
 * The chat keyboard: attach it to a message box and type pinyin. Depends only on the worker
 * protocol; give it the worker client (or the main-thread engine) as its backend.
 *
 * ```ts
 * import { createEngineClient } from 'hanzi-ime/worker';
 * import { attachKeyboard } from 'hanzi-ime/keyboard';
 *
 * // The engine's promise: keys typed while it loads (the packaged data) wait for it.
 * const keyboard = attachKeyboard(document.querySelector('#message')!, { backend: createEngineClient() });
 * keyboard.on('error', ({ message }) => console.warn('pinyin keyboard:', message));
 * // later: keyboard.setOptions({ incognito: true }); keyboard.detach();
 * ```
 *
 * The page keeps its own Enter-sends handler: while nothing is composed every key reaches it
 * unchanged. Theme with the `--hanzi-ime-*` custom properties (see styles.ts).
 */
export {
  attachKeyboard,
  type KeyboardHandle,
  type KeyboardOptions,
  type MutableKeyboardOptions,
  type Placement,
} from './attach.ts';
export { backendFromWorkerApi, type CompositionApi, type IncognitoSwitch, type KeyboardBackend, type KeyboardSession } from './backend.ts';
export type { KeyboardEventMap, KeyboardListener } from './events.ts';
export { keyAction, type InputMode, type KeyAction, type KeyInput } from './key-action.ts';
export { PunctuationMapper, isPunctuationKey } from './punctuation.ts';
export { KEYBOARD_CSS } from './styles.ts';
