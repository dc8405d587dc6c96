/** How one clause scored. */
export interface ClauseScore {
  top1: boolean;
  top5: boolean;
  /** Gold characters, and those the top candidate got right at the same position. */
  chars: number;
  charsRight: number;
}

/**
 * Scores the sentence candidates of one clause against the gold text. Character accuracy
 * compares the top candidate position by position (candidates of another length count their
 * common positions after alignment by edit distance).
 */
export function scoreClause(sentences: readonly string[], gold: string): ClauseScore {
  const g = [...gold];
  const t = [...(sentences[0] ?? '')];
  return {
    top1: sentences[0] === gold,
    top5: sentences.slice(0, 5).includes(gold),
    chars: g.length,
    charsRight: g.length - Math.min(g.length, editDistance(g, t)),
  };
}

function editDistance(a: readonly string[], b: readonly string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
