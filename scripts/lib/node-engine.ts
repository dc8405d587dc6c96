import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crc32, inflateSync } from 'node:zlib';
import type { ContainerCodec } from '../../src/util/container.ts';
import { createEngine, type Engine, type EngineData, type EngineOptions } from '../../src/engine/engine.ts';
import { Lexicon } from '../../src/lexicon/lexicon.ts';
import { NGramModel } from '../../src/lm/ngram-model.ts';
import { ScratchFileReader } from './file-source.ts';

/** Repository root (scripts/lib/../..). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The data files read (override with the LEXICON / MODEL environment variables to try a new build). */
export const LEXICON_PATH = process.env.LEXICON ?? `${ROOT}dictionaries/lexicon.bin`;
export const MODEL_PATH = process.env.MODEL ?? `${ROOT}models/ngram.bin`;

/** The shipped data files' bytes, read whole from disk (to hand to a worker, say). */
export function readAssets(): { lexicon: Uint8Array; model: Uint8Array; lexiconName: string; modelName: string } {
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

/**
 * Loads the shipped data files section by section through one scratch buffer (the model
 * first: it has the largest section), with Node's native inflate and CRC.
 */
export function loadNodeData(): EngineData {
  const files = new ScratchFileReader();
  const model = files.read(MODEL_PATH, (source) => NGramModel.fromBytes(source, 'models/ngram.bin', nodeCodec));
  const lexicon = files.read(LEXICON_PATH, (source) => Lexicon.fromBytes(source, 'dictionaries/lexicon.bin', nodeCodec));
  return { lexicon, model };
}

/** An engine over the shipped data, for the command-line tools, benchmarks and tests. */
export function loadNodeEngine(options: EngineOptions = {}): Engine {
  return createEngine(loadNodeData(), options);
}
