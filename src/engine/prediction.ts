import type { LanguageModel, ScoreOut } from '../lm/language-model.ts';

/** A likely next word, offered after a commit with nothing typed. */
export interface Prediction {
  /** The text inserted when it is picked. */
  readonly text: string;
  /** Lexicon word id, or -1 for text from a source that has no ids. */
  readonly word: number;
  /** Cost in nats (-ln p of the word coming next); lower is better. */
  readonly cost: number;
  /** Where it came from: `ngram`, or the {@link PredictionSource.name} of an extra source. */
  readonly source: string;
}

/** What prediction knows of the text before the cursor. */
export interface PredictionContext {
  /** Word ids of the recent committed words, oldest first (-1 for text that is no word). */
  readonly words: readonly number[];
  /** The recent committed text (the same words). */
  readonly text: string;
}

/**
 * An extra source of next words, such as the user's history. Costs should be comparable to
 * the n-gram's (-ln p of the next word); the lists are merged by cost, the cheaper kept for a
 * text both offer.
 */
export interface PredictionSource {
  readonly name: string;
  /** Up to `limit` likely next words after `context`, best first. Must not throw for any context. */
  predict(context: PredictionContext, limit: number): readonly { text: string; word?: number; cost: number }[];
}

/** Predictions are words: punctuation and letters the model also predicts are left out. */
const HAN = /\p{Script=Han}/u;

/** How many recent words set the n-gram state (a trigram needs two). */
const CONTEXT_WORDS = 2;

/**
 * Next-word prediction: the likely successors of the committed words from the n-gram model,
 * merged with any extra sources (the user's history), best first and without duplicates.
 */
export class Predictor {
  private readonly out: ScoreOut = { state: 0, cost: 0 };

  /**
   * @param model the n-gram model (without a successor list only the extra sources predict)
   * @param textOf the text of a word id
   * @param sources extra sources, e.g. the user's history
   */
  constructor(
    readonly model: LanguageModel,
    private readonly textOf: (word: number) => string | undefined,
    readonly sources: readonly PredictionSource[] = [],
  ) {}

  /** Up to `limit` next words after `context`. Never throws: a failing source is skipped. */
  predict(context: PredictionContext, limit: number): Prediction[] {
    if (!(limit >= 1) || context.words.length === 0) return [];
    const byText = new Map<string, Prediction>();
    const offer = (p: Prediction) => {
      if (!p.text || !HAN.test(p.text) || !Number.isFinite(p.cost)) return;
      const old = byText.get(p.text);
      if (!old || p.cost < old.cost) byText.set(p.text, p);
    };
    if (this.model.successors) {
      const state = this.stateAfter(context.words);
      // Ask for more than needed: punctuation is dropped afterwards.
      for (const s of this.model.successors(state, limit * 2 + 8)) {
        const text = this.textOf(s.word);
        if (text !== undefined) offer({ text, word: s.word, cost: s.cost, source: 'ngram' });
      }
    }
    for (const source of this.sources) {
      let list: readonly { text: string; word?: number; cost: number }[];
      try {
        list = source.predict(context, limit);
      } catch {
        continue;
      }
      for (const p of list) offer({ text: p.text, word: p.word ?? -1, cost: p.cost, source: source.name });
    }
    return [...byText.values()].sort((a, b) => a.cost - b.cost).slice(0, limit);
  }

  /** The model state after the last few words (a non-word starts over). */
  private stateAfter(words: readonly number[]): number {
    const model = this.model;
    let state = model.beginState;
    for (const w of words.slice(-CONTEXT_WORDS)) {
      if (w < 0 || w >= model.vocabularySize) state = model.beginState;
      else {
        model.score(state, w, this.out);
        state = this.out.state;
      }
    }
    return state;
  }
}
