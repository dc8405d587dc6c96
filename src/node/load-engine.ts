/**
 * The engine in Node (command-line tools, servers, tests): reads the data files from disk,
 * one compressed section at a time through a shared scratch buffer, with Node's native zlib.
 * Without paths it reads the data shipped in the package, found relative to this module.
 */
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';
import { createEngine, type Engine, type EngineData, type EngineOptions } from '../engine/engine.ts';
import { Lexicon } from '../lexicon/lexicon.ts';
import { NGramModel } from '../lm/ngram-model.ts';
import type { ContainerCodec } from '../util/container.ts';
import { ScratchFileReader } from './file-source.ts';

/** The lexicon shipped in the package (dictionaries/lexicon.bin). */
export const PACKAGED_LEXICON_PATH = fileURLToPath(new URL('../../dictionaries/lexicon.bin', import.meta.url));
/** The language model shipped in the package (models/ngram.bin). */
export const PACKAGED_MODEL_PATH = fileURLToPath(new URL('../../models/ngram.bin', import.meta.url));

/** Where {@link loadEngine} reads the data files from; each defaults to the packaged file. */
export interface DataPaths {
  /** Path or file: URL of a lexicon.bin. */
  readonly lexiconPath?: string | URL;
  /** Path or file: URL of an ngram.bin. */
  readonly modelPath?: string | URL;
}

/** Options of {@link loadEngine}: the data files, and the options of createEngine. */
export interface LoadEngineOptions extends DataPaths, EngineOptions {}

/** Node's native zlib for the data files (same results as the portable code, faster). */
export const nodeCodec: ContainerCodec = {
  inflate: (stored, rawLength) => {
    // One output chunk of the known size: no concatenation copy at the end.
    const out = zlib.inflateSync(stored, { maxOutputLength: rawLength, chunkSize: Math.max(64 * 1024, rawLength) });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  },
  // zlib.crc32 is Node ≥ 20.15; older Nodes use the portable CRC.
  ...(typeof zlib.crc32 === 'function' ? { crc32: (bytes: Uint8Array) => zlib.crc32(bytes) } : {}),
};

const pathOf = (p: string | URL) => (p instanceof URL ? fileURLToPath(p) : p);

/**
 * Reads and verifies the data files (the model first: it has the largest section, so the
 * scratch buffer grows once). Throws {@link ImeError} naming a damaged file; a missing file
 * throws Node's ENOENT error.
 */
export function loadEngineDataFromFiles(paths: DataPaths = {}): EngineData {
  const lexiconPath = pathOf(paths.lexiconPath ?? PACKAGED_LEXICON_PATH);
  const modelPath = pathOf(paths.modelPath ?? PACKAGED_MODEL_PATH);
  const files = new ScratchFileReader();
  const model = files.read(modelPath, (source) => NGramModel.fromBytes(source, nameOf(modelPath), nodeCodec));
  const lexicon = files.read(lexiconPath, (source) => Lexicon.fromBytes(source, nameOf(lexiconPath), nodeCodec));
  return { lexicon, model };
}

/** A short name for error messages: the packaged files by their place in the package. */
function nameOf(path: string): string {
  if (path === PACKAGED_LEXICON_PATH) return 'dictionaries/lexicon.bin';
  if (path === PACKAGED_MODEL_PATH) return 'models/ngram.bin';
  return path;
}

/**
 * A ready engine over the packaged data (or the files in `options`).
 *
 * ```ts
 * import { loadEngine } from 'hanzi-ime';
 * const session = (await loadEngine()).createSession();
 * session.type('nihao');
 * session.candidates()[0]?.text; // '你好'
 * ```
 */
export async function loadEngine(options: LoadEngineOptions = {}): Promise<Engine> {
  const { lexiconPath, modelPath, ...engineOptions } = options;
  return createEngine(
    loadEngineDataFromFiles({ ...(lexiconPath ? { lexiconPath } : {}), ...(modelPath ? { modelPath } : {}) }),
    engineOptions,
  );
}
