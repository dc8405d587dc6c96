/**
 * Keeps the user history in IndexedDB (the only file that imports idb). Works in a page and
 * in a Worker. The history stays the source of truth in memory: this store loads it once,
 * then writes what changed as soon as it changed: a commit's write transaction is opened,
 * filled and committed (`IDBTransaction.commit()`) before the engine answers the keystroke,
 * so a reload or a closed tab a moment later keeps it. Commits made while a write is in
 * flight go together in the next one (and `writeInterval`, 0 by default, can space writes
 * out). `flush()`, `visibilitychange` to hidden and `pagehide` write at once too. If IndexedDB is
 * unavailable, blocked, over quota or a write fails, learning goes on in memory and a
 * `storage-failed` event is emitted once; records already stored are never deleted because
 * of a failure.
 *
 * Two tabs (or a tab and a worker): after each write the store posts the records it wrote
 * on a BroadcastChannel; other stores merge them (larger weight wins, so nothing doubles)
 * without writing them back. Deletions (forget, clear) travel the same way.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import {
  HISTORY_DATA_VERSION,
  HISTORY_FORMAT,
  type HistoryChange,
  type PairRecord,
  type UnitRecord,
  type UserHistory,
} from './history.ts';

/** Schema version of the database. */
export const HISTORY_DB_VERSION = 2;
/** Default database name. */
export const HISTORY_DB_NAME = 'hanzi-ime-user-history';

/**
 * Version 2 (current): units by text, pairs by [prev, next], and the clock in meta.
 */
export interface HistoryDbSchema extends DBSchema {
  units: { key: string; value: UnitRecord };
  pairs: { key: [string, string]; value: PairRecord };
  meta: { key: 'clock'; value: { tick: number } };
}

/** Why storage stopped working (learning continues in memory). */
export type StorageFailure = 'unavailable' | 'blocked' | 'quota' | 'write-failed' | 'superseded' | 'closed';

/** What the store tells the UI. */
export type StoreEvent =
  /** Emitted once: storage stopped working; the history lives on in memory. */
  | { readonly type: 'storage-failed'; readonly reason: StorageFailure; readonly error?: unknown }
  /** Records that could not be read were skipped (left in the database untouched). */
  | { readonly type: 'corrupt-records'; readonly count: number }
  /** Another tab's writes were merged in. */
  | { readonly type: 'synced'; readonly units: number; readonly pairs: number };

/** Listener for {@link StoreEvent}s. */
export type StoreListener = (event: StoreEvent) => void;

/** Store options; every field has a default. */
export interface HistoryStoreOptions {
  /** Database name (default {@link HISTORY_DB_NAME}). */
  readonly name: string;
  /** Least time between the starts of two writes, in ms (default 0: a change is written at once unless a write is in flight). */
  readonly writeInterval: number;
  /** Time to wait for a blocked open before going on in memory, in ms (default 3000). */
  readonly openTimeout: number;
  /** Time before retrying after a failed write, in ms (default 30000). */
  readonly retryInterval: number;
  /** Share writes with other tabs over a BroadcastChannel (default true). */
  readonly broadcast: boolean;
  /** Listeners registered before anything can happen (events during open). */
  readonly onEvent?: StoreListener;
}

const DEFAULT_OPTIONS: Readonly<Omit<HistoryStoreOptions, 'onEvent'>> = Object.freeze({
  name: HISTORY_DB_NAME,
  writeInterval: 0,
  openTimeout: 3000,
  retryInterval: 30000,
  broadcast: true,
});

/** Origins of history changes the store writes (others came from the store itself). */
const PERSISTED = new Set(['learn', 'forget', 'import', 'prune', 'clear']);

/** What one write sends to other tabs. */
interface SyncMessage {
  readonly format: typeof HISTORY_FORMAT;
  readonly tick: number;
  readonly cleared: boolean;
  readonly units: readonly UnitRecord[];
  readonly pairs: readonly PairRecord[];
  readonly removedUnits: readonly string[];
  readonly removedPairs: readonly string[];
}

type Db = IDBPDatabase<HistoryDbSchema>;

/**
 * The persistent side of a {@link UserHistory}. Create with {@link HistoryStore.open}, which
 * never throws: without working storage it returns a store that only keeps things in memory.
 */
export class HistoryStore {
  readonly options: Omit<HistoryStoreOptions, 'onEvent'>;
  private db: Db | undefined;
  private readonly listeners = new Set<StoreListener>();
  private failed = false;
  private everFailed = false;
  private closed = false;
  private channel: BroadcastChannel | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** A write is planned for the end of the current task (after the commit's last change). */
  private queued = false;
  /** A write transaction is open; changes meanwhile wait for it to finish. */
  private inFlight = false;
  private lastWrite = -Infinity;
  private writing: Promise<void> = Promise.resolve();
  private cleared = false;
  private readonly dirtyUnits = new Set<string>();
  private readonly dirtyPairs = new Set<string>();
  private readonly removedUnits = new Set<string>();
  private readonly removedPairs = new Set<string>();
  private writes = 0;
  private readonly unsubscribe: () => void;
  private readonly onHidden = () => {
    if (typeof document === 'undefined' || document.visibilityState === 'hidden') void this.flush();
  };

  private constructor(
    readonly history: UserHistory,
    options: Partial<HistoryStoreOptions>,
  ) {
    const { onEvent, ...rest } = options;
    this.options = { ...DEFAULT_OPTIONS, ...rest };
    if (onEvent) this.listeners.add(onEvent);
    this.unsubscribe = history.onChange((c) => this.track(c));
  }

  /**
   * Opens (creating or upgrading) the database and loads it into `history`, merging with
   * whatever the history already holds. Never throws; check {@link persistent}.
   */
  static async open(history: UserHistory, options: Partial<HistoryStoreOptions> = {}): Promise<HistoryStore> {
    const store = new HistoryStore(history, options);
    await store.connect();
    return store;
  }

  /** True while writes reach IndexedDB. */
  get persistent(): boolean {
    return this.db !== undefined && !this.failed && !this.closed;
  }

  /** Number of write transactions so far (for tests and benchmarks). */
  get writeCount(): number {
    return this.writes;
  }

  /** True when changes wait to be written. */
  get pending(): boolean {
    return this.cleared || this.dirtyUnits.size + this.dirtyPairs.size + this.removedUnits.size + this.removedPairs.size > 0;
  }

  /** Subscribes to store events; returns a function that unsubscribes. */
  onEvent(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Writes pending changes now, even after a failure (it tries again). Call before a worker
   * is terminated (the page tells the worker; workers get no visibilitychange). Resolves when
   * written (or failed: then the changes stay queued and a retry is planned).
   */
  flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  /** Flushes, then closes the database and the channel. The history stays usable in memory. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    this.unsubscribe();
    this.detachLifecycle();
    this.channel?.close();
    this.channel = undefined;
    this.db?.close();
    this.db = undefined;
  }

  private async connect(): Promise<void> {
    let available: boolean;
    try {
      available = typeof indexedDB !== 'undefined' && indexedDB !== null;
    } catch (error) {
      // Sandboxed frames and opaque origins throw a SecurityError from the getter itself.
      this.fail('unavailable', error);
      return;
    }
    if (!available) {
      this.fail('unavailable');
      return;
    }
    let timedOut = false;
    let timeout: ReturnType<typeof setTimeout> | undefined;
    let opening: Promise<Db>;
    try {
      opening = openDB<HistoryDbSchema>(this.options.name, HISTORY_DB_VERSION, {
        upgrade: (db, oldVersion) => upgradeSchema(db, oldVersion),
        blocking: () => {
          // A newer version wants the database: let it have it, and stop writing here.
          this.db?.close();
          this.db = undefined;
          this.fail('superseded');
        },
        terminated: () => {
          this.db = undefined;
          this.fail('closed');
        },
      });
    } catch (error) {
      // indexedDB.open itself throws where storage is denied (SecurityError).
      this.fail('unavailable', error);
      return;
    }
    try {
      const db = await Promise.race([
        opening,
        new Promise<undefined>((resolve) => {
          timeout = setTimeout(() => {
            timedOut = true;
            resolve(undefined);
          }, this.options.openTimeout);
        }),
      ]);
      if (!db) {
        opening.then((late) => late.close()).catch(() => {});
        this.fail('blocked');
        return;
      }
      this.db = db;
      await this.load(db);
    } catch (error) {
      if (!timedOut) this.fail(isQuota(error) ? 'quota' : 'unavailable', error);
      this.db?.close();
      this.db = undefined;
      return;
    } finally {
      clearTimeout(timeout);
    }
    this.attachLifecycle();
    if (this.options.broadcast && typeof BroadcastChannel !== 'undefined') {
      this.channel = new BroadcastChannel(`${this.options.name}:sync`);
      this.channel.onmessage = (e: MessageEvent) => this.receive(e.data);
    }
    if (this.pending) this.schedule();
  }

  /** Reads every record and merges it into the history (what was in memory wins ties). */
  private async load(db: Db): Promise<void> {
    const tx = db.transaction(['units', 'pairs', 'meta'], 'readonly');
    const [units, pairs, clock] = await Promise.all([
      tx.objectStore('units').getAll(),
      tx.objectStore('pairs').getAll(),
      tx.objectStore('meta').get('clock'),
      tx.done,
    ]);
    const tick = clock && Number.isSafeInteger(clock.tick) && clock.tick >= 0 ? clock.tick : maxTick(units, pairs);
    const h = this.history;
    const empty = h.unitCount === 0 && h.pairCount === 0;
    let skipped: number;
    if (empty) skipped = h.load({ format: HISTORY_FORMAT, version: HISTORY_DATA_VERSION, tick, units, pairs }, 'load');
    else {
      const r = h.merge(units, pairs, tick, 'import');
      skipped = r.skippedUnits + r.skippedPairs;
    }
    if (skipped > 0) {
      console.warn(`user history: skipped ${skipped} unreadable record(s) in IndexedDB`);
      this.emit({ type: 'corrupt-records', count: skipped });
    }
  }

  private track(c: HistoryChange): void {
    if (!PERSISTED.has(c.origin)) return;
    if (c.type === 'reset') {
      this.cleared = true;
      this.dirtyUnits.clear();
      this.dirtyPairs.clear();
      this.removedUnits.clear();
      this.removedPairs.clear();
    } else if (c.type === 'unit') {
      (c.entry ? this.dirtyUnits : this.removedUnits).add(c.key);
      (c.entry ? this.removedUnits : this.dirtyUnits).delete(c.key);
    } else {
      (c.entry ? this.dirtyPairs : this.removedPairs).add(c.key);
      (c.entry ? this.removedPairs : this.dirtyPairs).delete(c.key);
    }
    this.schedule();
  }

  /**
   * Plans one write: at the end of the current task's microtasks (so all the changes of one
   * commit go in one transaction, before the engine answers), unless a write is in flight
   * (its end plans the next) or `writeInterval` asks to wait.
   */
  private schedule(): void {
    if (this.timer !== undefined || this.queued || this.inFlight || this.closed || !this.db || this.failed) return;
    const wait = this.lastWrite + this.options.writeInterval - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, wait);
      return;
    }
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      void this.flush();
    });
  }

  private async write(): Promise<void> {
    const db = this.db;
    if (!db || this.closed || !this.pending) return;
    this.inFlight = true;
    try {
      await this.writePending(db);
    } finally {
      this.inFlight = false;
    }
    // What changed while the transaction was open goes in the next one.
    if (this.pending) this.schedule();
  }

  /** One transaction with every pending change. */
  private async writePending(db: Db): Promise<void> {
    const h = this.history;
    const cleared = this.cleared;
    const unitKeys = [...this.dirtyUnits];
    const pairKeys = [...this.dirtyPairs];
    const goneUnits = [...this.removedUnits];
    const gonePairs = [...this.removedPairs];
    this.cleared = false;
    this.dirtyUnits.clear();
    this.dirtyPairs.clear();
    this.removedUnits.clear();
    this.removedPairs.clear();
    const units: UnitRecord[] = [];
    for (const k of unitKeys) {
      const e = h.unit(k);
      if (e) units.push(h.unitRecord(e));
      else goneUnits.push(k);
    }
    const pairs: PairRecord[] = [];
    for (const k of pairKeys) {
      const e = h.pairByKey(k);
      if (e) pairs.push(h.pairRecord(e));
      else gonePairs.push(k);
    }
    this.lastWrite = Date.now();
    let tx: IDBPTransaction<HistoryDbSchema, ('units' | 'pairs' | 'meta')[], 'readwrite'> | undefined;
    const ops: Promise<unknown>[] = [];
    try {
      tx = db.transaction(['units', 'pairs', 'meta'], 'readwrite');
      const u = tx.objectStore('units');
      const p = tx.objectStore('pairs');
      if (cleared) ops.push(u.clear(), p.clear());
      for (const k of goneUnits) ops.push(u.delete(k));
      for (const k of gonePairs) ops.push(p.delete(splitPairKey(k)));
      for (const r of units) ops.push(u.put(r));
      for (const r of pairs) ops.push(p.put(r));
      ops.push(tx.objectStore('meta').put({ tick: h.tick }, 'clock'));
      // Commit now rather than when the requests are done: once asked, the database finishes
      // the transaction even if this page or worker goes away (a reload right after a commit).
      tx.commit?.();
      await Promise.all([...ops, tx.done]);
      this.writes++;
      this.failed = false;
    } catch (error) {
      // A request that threw at once leaves the earlier ones to reject unheard.
      for (const op of ops) op.catch(() => {});
      tx?.done.catch(() => {});
      // Nothing is lost: the changes go back in the queue for a later try.
      if (cleared) this.cleared = true;
      for (const k of unitKeys) if (!this.removedUnits.has(k)) this.dirtyUnits.add(k);
      for (const k of pairKeys) if (!this.removedPairs.has(k)) this.dirtyPairs.add(k);
      for (const k of goneUnits) if (!this.dirtyUnits.has(k)) this.removedUnits.add(k);
      for (const k of gonePairs) if (!this.dirtyPairs.has(k)) this.removedPairs.add(k);
      // A transaction aborted by the quota fails its requests with AbortError; the cause is on tx.error.
      const cause = isQuota(error) ? error : (tx?.error ?? error);
      this.fail(isQuota(cause) ? 'quota' : 'write-failed', cause);
      this.retryLater();
      return;
    }
    this.channel?.postMessage({
      format: HISTORY_FORMAT,
      tick: h.tick,
      cleared,
      units,
      pairs,
      removedUnits: goneUnits,
      removedPairs: gonePairs,
    } satisfies SyncMessage);
  }

  /** After a failed write: try again later (the event was emitted once already). */
  private retryLater(): void {
    if (this.closed || !this.db) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.retryInterval);
  }

  /** Merges another tab's write (not written back: it is in the database already). */
  private receive(data: unknown): void {
    const m = data as Partial<SyncMessage> | null;
    if (!m || m.format !== HISTORY_FORMAT || typeof m.tick !== 'number') return;
    const h = this.history;
    if (m.cleared) h.clear('sync');
    for (const k of Array.isArray(m.removedPairs) ? m.removedPairs : []) if (typeof k === 'string') h.removePair(k, 'sync');
    for (const k of Array.isArray(m.removedUnits) ? m.removedUnits : []) if (typeof k === 'string') h.removeUnit(k, 'sync');
    const units = Array.isArray(m.units) ? m.units : [];
    const pairs = Array.isArray(m.pairs) ? m.pairs : [];
    h.merge(units, pairs, m.tick, 'sync');
    this.emit({ type: 'synced', units: units.length, pairs: pairs.length });
  }

  private attachLifecycle(): void {
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.onHidden);
    if (typeof window !== 'undefined') window.addEventListener('pagehide', this.onHidden);
  }

  private detachLifecycle(): void {
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.onHidden);
    if (typeof window !== 'undefined') window.removeEventListener('pagehide', this.onHidden);
  }

  /** Records a failure; the event goes out once per store. */
  private fail(reason: StorageFailure, error?: unknown): void {
    const first = !this.everFailed;
    this.everFailed = true;
    this.failed = true;
    if (first) this.emit(error === undefined ? { type: 'storage-failed', reason } : { type: 'storage-failed', reason, error });
  }

  private emit(event: StoreEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (e) {
        console.error('user history: store listener failed', e);
      }
    }
  }
}

/**
 * Creates the schema, one version step at a time. Version 2 is the first this code ever wrote
 * (no version 1 was released): a database below it gets the stores it lacks, and whatever
 * else it holds is left alone. Synchronous, so nothing in it can reject unheard.
 */
function upgradeSchema(db: IDBPDatabase<HistoryDbSchema>, oldVersion: number): void {
  if (oldVersion < 2) {
    if (!db.objectStoreNames.contains('units')) db.createObjectStore('units', { keyPath: 'text' });
    if (!db.objectStoreNames.contains('pairs')) db.createObjectStore('pairs', { keyPath: ['prev', 'next'] });
    if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta');
  }
}

function isQuota(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'QuotaExceededError';
}

function splitPairKey(key: string): [string, string] {
  const tab = key.indexOf('\t');
  return [key.slice(0, tab), key.slice(tab + 1)];
}

function maxTick(units: readonly { t?: unknown }[], pairs: readonly { t?: unknown }[]): number {
  let m = 0;
  for (const r of [...units, ...pairs]) if (typeof r?.t === 'number' && Number.isSafeInteger(r.t)) m = Math.max(m, r.t);
  return m;
}

