import { ImeError, ImeErrorCode } from '../util/errors.ts';
import type { WordTrie } from '../lexicon/word-trie.ts';
import type { LanguageModel } from '../lm/language-model.ts';
import { UserHistory, type HistoryOptions } from './history.ts';
import { Learner, type LearnerOptions, type LexiconLike } from './learner.ts';
import { MAX_USER_MODEL_WORD_ID, UserModel, type UserModelOptions } from './user-model.ts';
import { UserPredictions } from './user-predictions.ts';
import { UserWords } from './user-words.ts';

/** Options of the whole learning setup; every field has a default. */
export interface UserLearningOptions {
  readonly history?: Partial<HistoryOptions>;
  readonly model?: Partial<UserModelOptions>;
  readonly learner?: Partial<LearnerOptions>;
}

/**
 * The in-memory side of user history, wired together: the history, the phrases it taught
 * (a word trie the decoder searches), the learner that turns commits into history and the
 * language model that blends it in. Hand {@link UserLearning.engineOptions} to `createEngine`,
 * then `attachHistory(engine, learning, store?)`.
 *
 * ```ts
 * const learning = new UserLearning(data.lexicon);
 * const engine = createEngine(data, { ...learning.engineOptions });
 * // Optional: keeps the history in IndexedDB across reloads (without it, in memory only).
 * const store = await HistoryStore.open(learning.history);
 * const controls = attachHistory(engine, learning, store);
 * ```
 */
export class UserLearning {
  readonly history: UserHistory;
  readonly words: UserWords;
  readonly learner: Learner;
  /** Next words from the history, for the engine's prediction after a commit. */
  readonly predictions: UserPredictions;
  private userModel: UserModel | undefined;

  constructor(
    readonly lexicon: LexiconLike,
    readonly options: UserLearningOptions = {},
  ) {
    this.history = new UserHistory(options.history);
    this.words = new UserWords(lexicon.size, MAX_USER_MODEL_WORD_ID + 1);
    this.learner = new Learner(this.history, lexicon, options.learner);
    this.predictions = new UserPredictions(() => this.userModel);
  }

  /** The user model, once the engine has built it (through {@link engineOptions}). */
  get model(): UserModel | undefined {
    return this.userModel;
  }

  /** Engine options that put the user model, the learned phrases and the history's predictions in. */
  get engineOptions(): {
    languageModel: (base: LanguageModel) => LanguageModel;
    extraWords: () => readonly WordTrie[];
    predictionSources: () => readonly UserPredictions[];
  } {
    return {
      languageModel: (base) => this.wrap(base),
      extraWords: () => [this.words],
      predictionSources: () => [this.predictions],
    };
  }

  /** The user model over `base` (one per learning setup). */
  wrap(base: LanguageModel): UserModel {
    if (this.userModel) {
      if (this.userModel.base !== base) throw new ImeError(ImeErrorCode.InvalidArgument, 'UserLearning already wraps another base model');
      return this.userModel;
    }
    this.userModel = new UserModel(base, this.history, this.lexicon, this.words, this.options.model);
    return this.userModel;
  }
}
