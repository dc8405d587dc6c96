/**
 * The narrow language-model interface the decoder scores with. A state stands for the
 * history that matters (for a trigram model: the last two words, or less once backed off).
 * Costs are negative natural-log probabilities: lower is better. The optional methods are
 * abilities a model may have; callers check for the method and do without it otherwise.
 */
export interface LanguageModel {
  /** The state at the start of a sentence. */
  readonly beginState: number;
  /** Number of word ids the model knows (ids are 0 … vocabularySize-1). */
  readonly vocabularySize: number;
  /**
   * Changes when the model's states change meaning (a staged model upgraded to its full
   * model): whoever keeps states between calls (the decoder's lattice) drops them then.
   * Absent: never changes.
   */
  readonly revision?: number;
  /**
   * Scores `word` after `state`: writes its cost into `out.cost` and the successor state into
   * `out.state`. Must not allocate: it runs for every lattice arc (which is why the cost is
   * not returned: a float returned from a call the JIT does not inline is boxed, one heap
   * number per call).
   */
  score(state: number, word: number, out: ScoreOut): void;
  /** Cost of ending the sentence in `state` (0 for models that do not model the end). */
  endCost(state: number): number;
  /**
   * Cost of `word` with no context at all (not even a sentence start), where the model can
   * tell it: how often the word is used, for ranking the characters of one syllable typed.
   */
  unigramCost?(word: number): number;
  /**
   * The word id `state` ends with, where the model can tell it (the n-gram model can): the
   * user model pairs the user's words through it.
   */
  lastWord?(state: number): number;
  /**
   * Up to `limit` likely next words after `state`, cheapest first, where the model can list
   * them (the n-gram model can): next-word prediction after a commit.
   */
  successors?(state: number, limit: number): readonly { word: number; cost: number }[];
}

/** Reusable output slot for {@link LanguageModel.score}. */
export interface ScoreOut {
  state: number;
  cost: number;
}
