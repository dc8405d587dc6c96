/**
 * The chat keyboard: attach it to a message box and type pinyin. Depends only on the worker
 * protocol; give it the worker client (or the main-thread engine) as its backend.
 */
export {
  attachKeyboard,
  type KeyboardHandle,
  type KeyboardOptions,
  type MutableKeyboardOptions,
  type Placement,
} from './attach.ts';
export { backendFromWorkerApi, type CompositionApi, type IncognitoSwitch, type KeyboardBackend } from './backend.ts';
export type { KeyboardEventMap, KeyboardListener } from './events.ts';
export { keyAction, type InputMode, type KeyAction, type KeyInput } from './key-action.ts';
export { PunctuationMapper, isPunctuationKey } from './punctuation.ts';
export { KEYBOARD_CSS } from './styles.ts';
