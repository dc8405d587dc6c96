import type { UserModel } from './user-model.ts';

/** A next-word suggestion from the history (the engine's `PredictionSource` item shape). */
export interface UserPrediction {
  readonly text: string;
  readonly word: number;
  /** -ln P(next | last committed word) in the user's own pairs. */
  readonly cost: number;
}

/**
 * Next words the user has typed after the last committed word, most likely first: an extra
 * prediction source for the engine (`predictionSources`). It has the shape of the engine's
 * `PredictionSource`, spelled out here so the user layer does not import the engine.
 */
export class UserPredictions {
  readonly name = 'user';

  constructor(private readonly model: () => UserModel | undefined) {}

  predict(context: { readonly words: readonly number[] }, limit: number): UserPrediction[] {
    const model = this.model();
    const last = context.words[context.words.length - 1];
    if (!model || last === undefined || last < 0 || !(limit >= 1)) return [];
    const out: UserPrediction[] = [];
    model.forEachSuccessor(last, (word, p) => {
      const text = model.textOf(word);
      if (text && p > 0) out.push({ text, word, cost: -Math.log(p) });
    });
    return out.sort((a, b) => a.cost - b.cost || (a.text < b.text ? -1 : 1)).slice(0, limit);
  }
}
