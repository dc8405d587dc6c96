import { Lexicon } from '../lexicon/lexicon.ts';
import { NGramModel } from '../lm/ngram-model.ts';
import type { EngineData } from './engine.ts';
import type { ContainerCodec } from '../util/container.ts';

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
