import { Lexicon } from '../lexicon/lexicon.ts';
import { NGramModel } from '../lm/ngram-model.ts';
import type { EngineData } from './engine.ts';
import { inflateContainer, type ContainerCodec } from '../util/container.ts';

/** The raw bytes of the two data files, however they were obtained. */
export interface EngineAssets {
  readonly lexicon: Uint8Array;
  readonly model: Uint8Array;
  /** Names used in error messages. */
  readonly lexiconName?: string;
  readonly modelName?: string;
}

/**
 * Parses and verifies the data files. Throws {@link ImeError} naming the damaged file.
 * `codec` lends native inflate/CRC where the host has them (Node's zlib).
 */
export function loadEngineData(assets: EngineAssets, codec?: ContainerCodec): EngineData {
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
 * {@link loadEngineData}, inflating the files with the native DecompressionStream first when
 * the platform has one (several times faster than the portable inflate in a browser Worker).
 */
export async function loadEngineDataAsync(assets: EngineAssets, codec?: ContainerCodec): Promise<EngineData> {
  const inflate = nativeInflater();
  if (!inflate) return loadEngineData(assets, codec);
  const [lexicon, model] = await Promise.all([inflateContainer(assets.lexicon, inflate), inflateContainer(assets.model, inflate)]);
  return loadEngineData({ ...assets, lexicon, model }, codec);
}
