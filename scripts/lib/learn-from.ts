import { readFileSync } from 'node:fs';
import type { DecoderOptions } from '../../src/decoder/options.ts';
import { createEngine, type Engine } from '../../src/engine/engine.ts';
import type { Session } from '../../src/engine/session.ts';
import { attachHistory } from '../../src/user/attach-history.ts';
import type { Learner } from '../../src/user/learner.ts';
import { UserLearning } from '../../src/user/user-learning.ts';

/** How a clause was learned. */
export type LearnedHow = 'picked' | 'fallback' | 'skipped';

/**
 * Types `pinyin` into `session` and picks candidates that build `gold`, the way a user would:
 * the longest candidate whose text starts the rest of the gold text. The engine's commit
 * listeners (the user history) learn from the commit. When no candidate fits, the composition
 * is dropped and the clause is learned from its syllables instead.
 */
export function learnClause(session: Session, learner: Learner, pinyin: string, gold: string, syllables: readonly string[]): LearnedHow {
  session.reset();
  session.type(pinyin);
  let rest = gold;
  for (let guard = 0; guard < 4 * gold.length + 4 && session.composing; guard++) {
    const cands = session.candidates();
    let best = -1;
    for (let i = 0; i < cands.length; i++) {
      const c = cands[i]!;
      if (c.kind === 'raw' || !c.text || !rest.startsWith(c.text)) continue;
      // A candidate that finishes the input must finish the gold text too.
      if (c.length >= session.remainingInput.length && c.text !== rest) continue;
      if (best < 0 || c.text.length > cands[best]!.text.length) best = i;
    }
    if (best < 0) break;
    const text = cands[best]!.text;
    const committed = session.select(best);
    rest = rest.slice(text.length);
    if (committed !== undefined) return committed === gold ? 'picked' : fallback();
  }
  return fallback();

  function fallback(): LearnedHow {
    session.reset();
    return learner.learnText(gold, syllables) ? 'fallback' : 'skipped';
  }
}

/** Learns every clause of a file in the ../shared/eval format (pinyin, gold, syllables). */
export function learnFromFile(session: Session, learner: Learner, file: string): Record<LearnedHow, number> {
  const counts: Record<LearnedHow, number> = { picked: 0, fallback: 0, skipped: 0 };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [pinyin, gold, syllables] = line.split('\t');
    if (!pinyin || !gold) continue;
    counts[learnClause(session, learner, pinyin, gold, (syllables ?? '').split("'").filter(Boolean))]++;
  }
  return counts;
}

/**
 * A copy of `engine` with user history on, taught every clause of `file` through sessions
 * created with `sessionOptions` (in memory only). Prints a one-line summary on stderr.
 */
export function withLearnedHistory(engine: Engine, file: string, sessionOptions: Partial<DecoderOptions> = {}): Engine {
  const learning = new UserLearning(engine.lexicon);
  const learned = createEngine(
    { lexicon: engine.lexicon, model: engine.baseModel },
    { ...engine.options, ...learning.engineOptions },
  );
  attachHistory(learned, learning);
  const t0 = performance.now();
  const counts = learnFromFile(learned.createSession(sessionOptions), learning.learner, file);
  const ms = performance.now() - t0;
  process.stderr.write(
    `learned ${file}: ${counts.picked} picked, ${counts.fallback} from syllables, ${counts.skipped} skipped ` +
      `(${learning.history.unitCount} units, ${learning.history.pairCount} pairs, ${learning.words.size} phrases; ${Math.round(ms)} ms)\n`,
  );
  return learned;
}
