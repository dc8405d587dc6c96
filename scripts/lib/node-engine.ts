import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine, type EngineData, type EngineOptions } from '../../src/engine/engine.ts';
import { loadEngineDataFromFiles, PACKAGED_LEXICON_PATH, PACKAGED_MODEL_PATH } from '../../src/node/load-engine.ts';

export { nodeCodec } from '../../src/node/load-engine.ts';

/** Repository root (scripts/lib/../..). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The data files read (override with the LEXICON / MODEL environment variables to try a new build). */
export const LEXICON_PATH = process.env.LEXICON ?? PACKAGED_LEXICON_PATH;
export const MODEL_PATH = process.env.MODEL ?? PACKAGED_MODEL_PATH;

/** The data files' bytes, read whole from disk (to hand to a worker, say). */
export function readAssets(): { lexicon: Uint8Array; model: Uint8Array; lexiconName: string; modelName: string } {
  return {
    lexicon: readFileSync(LEXICON_PATH),
    model: readFileSync(MODEL_PATH),
    lexiconName: 'dictionaries/lexicon.bin',
    modelName: 'models/ngram.bin',
  };
}

/** The data files as the package's loadEngine reads them (src/node/load-engine.ts). */
export function loadNodeData(): EngineData {
  return loadEngineDataFromFiles({ lexiconPath: LEXICON_PATH, modelPath: MODEL_PATH });
}

/** An engine over the data, for the command-line tools, benchmarks and tests (synchronous). */
export function loadNodeEngine(options: EngineOptions = {}): Engine {
  return createEngine(loadNodeData(), options);
}
