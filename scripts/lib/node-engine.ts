import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crc32, inflateSync } from 'node:zlib';
import type { ContainerCodec } from '../../src/util/container.ts';
import { createEngine, type Engine, type EngineOptions } from '../../src/engine/engine.ts';
import { loadEngineData, type EngineAssets } from '../../src/engine/load.ts';

/** Repository root (scripts/lib/../..). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The data files read (override with the LEXICON / MODEL environment variables to try a new build). */
export const LEXICON_PATH = process.env.LEXICON ?? `${ROOT}dictionaries/lexicon.bin`;
export const MODEL_PATH = process.env.MODEL ?? `${ROOT}models/ngram.bin`;

/** Reads the shipped data files from disk. */
export function readAssets(): EngineAssets {
  return {
    lexicon: readFileSync(LEXICON_PATH),
    model: readFileSync(MODEL_PATH),
    lexiconName: 'dictionaries/lexicon.bin',
    modelName: 'models/ngram.bin',
  };
}

/** Node's native zlib for the data files (same results as the portable code, faster). */
export const nodeCodec: ContainerCodec = {
  inflate: (stored, rawLength) => {
    // One output chunk of the known size: no concatenation copy at the end.
    const out = inflateSync(stored, { maxOutputLength: rawLength, chunkSize: Math.max(64 * 1024, rawLength) });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  },
  crc32: (bytes) => crc32(bytes),
};

/** An engine over the shipped data, for the command-line tools, benchmarks and tests. */
export function loadNodeEngine(options: EngineOptions = {}): Engine {
  return createEngine(loadEngineData(readAssets(), nodeCodec), options);
}
