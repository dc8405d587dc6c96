import type { Session } from '../../src/engine/session.ts';

const FIELDS = 5;

/** Keeps a field free of tabs and newlines so the output stays one line of six columns. */
function clean(text: string): string {
  return text.replace(/[\t\r\n]/g, ' ');
}

/**
 * Converts one batch line; never rejects (a failure gives empty fields). Candidates come from
 * Session.rankedCandidates: the engine's reranker when it has one (`--model`), else as before.
 */
export async function convertLine(session: Session, line: string, incremental: boolean): Promise<string> {
  try {
    // The whole-input n-best (reranked with --model), not the shorter list a keyboard shows.
    const sentences = async () => {
      await session.rankedCandidates();
      return session.sentenceCandidates().slice(0, FIELDS).map((c) => clean(c.text));
    };
    const pad = (xs: string[]) => [...xs, ...Array<string>(FIELDS - xs.length).fill('')];
    if (!incremental) {
      const t0 = performance.now();
      session.reset();
      session.type(line);
      const cands = await sentences();
      const us = Math.round((performance.now() - t0) * 1000);
      session.reset();
      return [...pad(cands), String(us)].join('\t');
    }
    session.reset();
    let total = 0;
    let max = 0;
    let keys = 0;
    let cands: string[] = [];
    for (const ch of line) {
      const t0 = performance.now();
      session.type(ch);
      cands = await sentences();
      const us = (performance.now() - t0) * 1000;
      total += us;
      max = Math.max(max, us);
      keys++;
    }
    session.reset();
    return [...pad(cands), String(Math.round(keys ? total / keys : 0)), String(Math.round(max))].join('\t');
  } catch {
    session.reset();
    return [...Array<string>(FIELDS).fill(''), ...(incremental ? ['0', '0'] : ['0'])].join('\t');
  }
}
