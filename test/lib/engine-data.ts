import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll } from 'vitest';

/** The shipped lexicon and n-gram model, as the bytes an engine is initialised with. */
export interface EngineData {
  readonly lexicon: Uint8Array;
  readonly model: Uint8Array;
}

/**
 * Reads the shipped data files before the file's tests. Read the fields inside tests (they
 * are set once `beforeAll` has run). The files are found by path, not `import.meta.url`,
 * because happy-dom replaces `URL`.
 */
export function useEngineData(): EngineData {
  const data = {} as { lexicon: Uint8Array; model: Uint8Array };
  beforeAll(() => {
    const root = join(__dirname, '..', '..');
    data.lexicon = new Uint8Array(readFileSync(join(root, 'dictionaries/lexicon.bin')));
    data.model = new Uint8Array(readFileSync(join(root, 'models/ngram.bin')));
  });
  return data;
}
