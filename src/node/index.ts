/**
 * The package root as Node sees it (the `node` export condition): the engine core
 * (src/core.ts) plus {@link loadEngine}, which reads the packaged data from disk. The
 * IndexedDB history store (HistoryStore, attachHistory, UserControls) is left out: Node has
 * no IndexedDB, and its types would need the DOM library.
 */
export * from '../core.ts';
export {
  loadEngine,
  loadEngineDataFromFiles,
  nodeCodec,
  PACKAGED_LEXICON_PATH,
  PACKAGED_MODEL_PATH,
  type DataPaths,
  type LoadEngineOptions,
} from './load-engine.ts';
