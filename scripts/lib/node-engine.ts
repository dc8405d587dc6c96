import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine, type EngineOptions } from '../../src/engine/engine.ts';
import { loadEngineData, type EngineAssets } from '../../src/engine/load.ts';

/** Repository root (scripts/lib/../..). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const LEXICON_PATH = `${ROOT}dictionaries/lexicon.bin`;
export const MODEL_PATH = `${ROOT}models/ngram.bin`;

/** Reads the shipped data files from disk. */
export function readAssets(): EngineAssets {
  return {
    lexicon: readFileSync(LEXICON_PATH),
    model: readFileSync(MODEL_PATH),
    lexiconName: 'dictionaries/lexicon.bin',
    modelName: 'models/ngram.bin',
  };
}

/** An engine over the shipped data, for the command-line tools, benchmarks and tests. */
export function loadNodeEngine(options: EngineOptions = {}): Engine {
  return createEngine(loadEngineData(readAssets()), options);
}
