/**
 * The narrow language-model interface the decoder scores with. A state stands for the
 * history that matters (for a trigram model: the last two words, or less once backed off).
 * Costs are negative natural-log probabilities: lower is better.
 */
export interface LanguageModel {
  /** The state at the start of a sentence. */
  readonly beginState: number;
  /** Number of word ids the model knows (ids are 0 … vocabularySize-1). */
  readonly vocabularySize: number;
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
}

/** Reusable output slot for {@link LanguageModel.score}. */
export interface ScoreOut {
  state: number;
  cost: number;
}
