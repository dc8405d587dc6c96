/**
 * The package root as Node sees it (the `node` export condition): everything the portable
 * root exports, plus {@link loadEngine}, which reads the packaged data from disk.
 */
export * from '../index.ts';
export {
  loadEngine,
  loadEngineDataFromFiles,
  nodeCodec,
  PACKAGED_LEXICON_PATH,
  PACKAGED_MODEL_PATH,
  type DataPaths,
  type LoadEngineOptions,
} from './load-engine.ts';
