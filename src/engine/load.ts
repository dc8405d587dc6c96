import { Lexicon } from '../lexicon/lexicon.ts';
import { NGramModel } from '../lm/ngram-model.ts';
import type { EngineData } from './engine.ts';
import type { ByteSource } from '../util/byte-source.ts';
import { readContainerAsync, type ContainerCodec } from '../util/container.ts';

/** The two data files, however they were obtained: bytes in memory, or files read piece by piece. */
export interface EngineAssets {
  readonly lexicon: Uint8Array | ByteSource;
  readonly model: Uint8Array | ByteSource;
  /** Names used in error messages. */
  readonly lexiconName?: string;
  readonly modelName?: string;
}

/** Engine data as read from the files: the model is the n-gram model itself. */
export interface LoadedEngineData extends EngineData {
  readonly model: NGramModel;
}

/**
 * Parses and verifies the data files. Throws {@link ImeError} naming the damaged file.
 * `codec` lends native inflate/CRC where the host has them (Node's zlib).
 */
export function loadEngineData(assets: EngineAssets, codec?: ContainerCodec): LoadedEngineData {
  return {
    lexicon: Lexicon.fromBytes(assets.lexicon, assets.lexiconName ?? 'lexicon.bin', codec),
    model: NGramModel.fromBytes(assets.model, assets.modelName ?? 'ngram.bin', codec),
  };
}

/**
 * Inflates with the platform's native DecompressionStream (browsers, Workers, Node ≥ 18)
 * where it exists; undefined elsewhere, and readers fall back to fflate.
 */
export function nativeInflater(): ((stored: Uint8Array) => Promise<Uint8Array>) | undefined {
  if (typeof DecompressionStream === 'undefined') return undefined;
  return async (stored) => {
    const stream = new Blob([stored as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  };
}

/**
 * {@link loadEngineData}, inflating the sections with the native DecompressionStream when the
 * platform has one (several times faster than the portable inflate in a browser Worker).
 */
export async function loadEngineDataAsync(assets: EngineAssets, codec?: ContainerCodec): Promise<LoadedEngineData> {
  const inflate = nativeInflater();
  const { lexicon, model } = assets;
  if (!inflate || !(lexicon instanceof Uint8Array) || !(model instanceof Uint8Array)) return loadEngineData(assets, codec);
  const lexiconName = assets.lexiconName ?? 'lexicon.bin';
  const modelName = assets.modelName ?? 'ngram.bin';
  const [lexiconFile, languageModel] = await Promise.all([
    readContainerAsync(lexicon, Lexicon.spec(lexiconName, codec), inflate),
    loadLanguageModelAsync(model, modelName, codec),
  ]);
  return { lexicon: Lexicon.fromContainer(lexiconFile, lexiconName), model: languageModel };
}

/**
 * Parses and verifies an n-gram model file (as {@link loadEngineDataAsync} does, with the
 * native inflate where there is one): the full model of a staged load, say.
 */
export async function loadLanguageModelAsync(bytes: Uint8Array, name = 'ngram.bin', codec?: ContainerCodec): Promise<NGramModel> {
  const inflate = nativeInflater();
  if (!inflate) return NGramModel.fromBytes(bytes, name, codec);
  return NGramModel.fromContainer(await readContainerAsync(bytes, NGramModel.spec(name, codec), inflate), name);
}
