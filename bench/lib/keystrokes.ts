import type { Session } from '../../src/engine/session.ts';

/** Per-key times of one clause typed letter by letter (ms), reading candidates after each key. */
export function typeClause(session: Session, letters: string): number[] {
  session.reset();
  const times: number[] = [];
  for (const ch of letters) {
    const t0 = performance.now();
    session.type(ch);
    session.candidates();
    times.push(performance.now() - t0);
  }
  session.reset();
  return times;
}

/** Time to decode a whole clause at once from a reset session (ms). */
export function decodeClause(session: Session, letters: string): number {
  const t0 = performance.now();
  session.reset();
  session.type(letters);
  session.candidates();
  const t = performance.now() - t0;
  session.reset();
  return t;
}
