/** Public API for pages and workers: the engine core (core.ts) and the user history kept in IndexedDB. */
export * from './core.ts';
export { attachHistory } from './user/attach-history.ts';
export { UserControls, type LearnedEntry, type ImportResult } from './user/controls.ts';
export { HistoryStore, type HistoryStoreOptions, type StoreEvent, type StorageFailure } from './user/store.ts';
