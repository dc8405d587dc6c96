import { ImeError, ImeErrorCode } from '../util/errors.ts';
import type { LanguageModel, ScoreOut } from './language-model.ts';
import type { NGramModel } from './ngram-model.ts';

/**
 * An n-gram model loaded in stages: a small model over the same words answers first, and the
 * full model takes its place once it has arrived ({@link upgrade}). States of the two models
 * mean different things, so every upgrade bumps {@link revision}; a decoder seeing a new
 * revision drops its cached lattice and decodes the input again with the full model.
 */
export class StagedModel implements LanguageModel {
  private current: NGramModel;
  private stage = 0;

  constructor(first: NGramModel) {
    this.current = first;
  }

  /** Bumped by every {@link upgrade}; states of an earlier revision must not be scored. */
  get revision(): number {
    return this.stage;
  }

  /** The model answering now. */
  get model(): NGramModel {
    return this.current;
  }

  get beginState(): number {
    return this.current.beginState;
  }

  get vocabularySize(): number {
    return this.current.vocabularySize;
  }

  /**
   * Puts `next` in the place of the model in use. Throws {@link ImeError} INVALID_ARGUMENT
   * (keeping the model in use) unless `next` is over the same words: the same vocabulary
   * size, sentence boundary and unigram costs, which the build gives every model pruned from
   * the same counts.
   */
  upgrade(next: NGramModel): void {
    const now = this.current;
    const V = now.vocabularySize;
    let same = next.vocabularySize === V && next.beginState === now.beginState;
    for (let w = 0; same && w < V; w++) same = next.unigramCost(w) === now.unigramCost(w);
    if (!same) throw new ImeError(ImeErrorCode.InvalidArgument, 'the full language model is not over the same words as the first one (rebuild both)');
    this.current = next;
    this.stage++;
  }

  score(state: number, word: number, out: ScoreOut): void {
    this.current.score(state, word, out);
  }

  endCost(state: number): number {
    return this.current.endCost(state);
  }

  unigramCost(word: number): number {
    return this.current.unigramCost(word);
  }

  lastWord(state: number): number {
    return this.current.lastWord(state);
  }

  successors(state: number, limit: number): { word: number; cost: number }[] {
    return this.current.successors(state, limit);
  }
}
