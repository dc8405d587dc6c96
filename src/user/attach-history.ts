import { ImeError, ImeErrorCode } from '../util/errors.ts';
import { UserControls } from './controls.ts';
import type { CommitLike } from './learner.ts';
import type { HistoryStore } from './store.ts';
import type { UserLearning } from './user-learning.ts';

/** What {@link attachHistory} needs of the engine (the engine's `onCommit`). */
export interface CommitSource {
  onCommit(listener: (record: CommitLike) => void): () => void;
}

/**
 * Wires user history to an engine: every commit of every session is learned (unless
 * incognito), and the returned controls export, import, forget, clear and flush. The engine
 * must have been created with `learning.engineOptions` so its decoder scores with the user
 * model and searches the learned phrases. Pass a store opened with
 * `HistoryStore.open(learning.history)` to keep the history across reloads; without one it
 * lives in memory only.
 */
export function attachHistory(engine: CommitSource, learning: UserLearning, store?: HistoryStore): UserControls {
  if (!learning.model) throw new ImeError(ImeErrorCode.InvalidArgument, 'attachHistory: create the engine with learning.engineOptions first');
  let detach: () => void = () => {};
  const controls = new UserControls(learning, store, () => detach());
  detach = engine.onCommit((record) => {
    try {
      learning.learner.learn(record);
    } catch (e) {
      // Learning must never break typing.
      console.error('user history: could not learn a commit', e);
    }
  });
  return controls;
}
