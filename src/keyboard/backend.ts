/**
 * What the keyboard needs from the engine: the composition requests of the worker protocol,
 * each answering with the new {@link CompositionState}. The worker client, or the engine run on
 * the main thread, sits behind it.
 */
import type { CompositionRequests, CompositionState, EditingRequests, EngineWorkerApi } from '../worker/protocol.ts';

/**
 * The engine as the keyboard drives it. Requests are issued one at a time, in key order.
 * The editing requests are optional: without them the caret keys, Delete and [ ] do nothing,
 * and predictions are not offered.
 */
export interface KeyboardBackend extends CompositionRequests, Partial<EditingRequests> {
  /**
   * Optional: turns learning off (incognito) or back on. Backends without learning leave it out;
   * the keyboard then has nothing to switch.
   */
  setIncognito?(incognito: boolean): Promise<void> | void;
  /**
   * Optional: a composition of its own for one box (the worker client offers it). The keyboard
   * opens one per attached box, so two boxes on one engine never share letters or incognito.
   */
  openSession?(): KeyboardSession;
  /**
   * Optional: the keyboard gave up on the requests still unanswered (it handled their keys
   * itself); their effects must not show up in later answers.
   */
  abandon?(): void;
}

/** A backend for one box; {@link KeyboardSession.release} lets it go when the box is detached. */
export interface KeyboardSession extends KeyboardBackend {
  release?(): void;
}

/** The composition requests of {@link EngineWorkerApi}, as a comlink `Remote` also offers them. */
export type CompositionApi = Pick<EngineWorkerApi, 'type' | 'backspace' | 'select' | 'commit' | 'commitRaw' | 'reset'> &
  Partial<Pick<EngineWorkerApi, 'moveCaret' | 'deleteForward' | 'selectCharacter' | 'selectPrediction'>>;

/** Something that can switch learning off; the worker client or history store may offer it. */
export interface IncognitoSwitch {
  setIncognito(incognito: boolean): Promise<void> | void;
}

/**
 * Adapts an {@link EngineWorkerApi} (the worker itself through comlink, or its main-thread
 * twin) to a {@link KeyboardBackend}, numbering the requests.
 */
export function backendFromWorkerApi(api: CompositionApi & Partial<IncognitoSwitch>): KeyboardBackend {
  let seq = 0;
  const backend: KeyboardBackend = {
    type: (keys) => api.type(++seq, keys),
    backspace: () => api.backspace(++seq),
    select: (index) => api.select(++seq, index),
    commit: () => api.commit(++seq),
    commitRaw: () => api.commitRaw(++seq),
    reset: () => api.reset(++seq),
  };
  if (api.moveCaret && api.deleteForward && api.selectCharacter) {
    const { moveCaret, deleteForward, selectCharacter } = api;
    backend.moveCaret = (to) => moveCaret.call(api, ++seq, to);
    backend.deleteForward = () => deleteForward.call(api, ++seq);
    backend.selectCharacter = (index, which) => selectCharacter.call(api, ++seq, index, which);
  }
  if (api.selectPrediction) {
    const { selectPrediction } = api;
    backend.selectPrediction = (index) => selectPrediction.call(api, ++seq, index);
  }
  if (typeof api.setIncognito === 'function') {
    const setIncognito = api.setIncognito.bind(api);
    backend.setIncognito = (incognito) => setIncognito(incognito);
  }
  return backend;
}
