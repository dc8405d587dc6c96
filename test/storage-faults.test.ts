/**
 * Storage faults with the whole stack (issue 7): the real engine learning through
 * attachHistory into a HistoryStore on fake-indexeddb, with IndexedDB failing in the ways
 * browsers make it fail. In every case: typing and learning go on (in memory), what was
 * stored before stays stored, and the failure is reported once.
 *
 * test/user-store.test.ts covers the store alone (a put that throws over quota, no
 * IndexedDB, an old connection blocking the open, malformed records); this goes further.
 */
import 'fake-indexeddb/auto';
import { forceCloseDatabase } from 'fake-indexeddb';
import { openDB, unwrap, type IDBPDatabase } from 'idb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEngine, type Engine, type EngineData } from '../src/engine/engine.ts';
import { loadEngineData } from '../src/engine/load.ts';
import { attachHistory } from '../src/user/attach-history.ts';
import type { UserControls } from '../src/user/controls.ts';
import { HISTORY_DB_VERSION, HistoryStore, type HistoryStoreOptions, type StoreEvent } from '../src/user/store.ts';
import { UserLearning } from '../src/user/user-learning.ts';
import { nodeCodec, readAssets } from '../scripts/lib/node-engine.ts';

let data: EngineData;
beforeAll(() => {
  data = loadEngineData(readAssets(), nodeCodec);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let counter = 0;
const freshName = () => `storage-faults-${process.pid}-${++counter}`;

interface Stack {
  readonly engine: Engine;
  readonly learning: UserLearning;
  readonly store: HistoryStore;
  readonly controls: UserControls;
  readonly events: StoreEvent[];
}

const stacks: Stack[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of stacks.splice(0)) await s.store.close().catch(() => {});
});

/** The engine with user learning, persisted under `name`. */
async function openStack(name: string, options: Partial<HistoryStoreOptions> = {}): Promise<Stack> {
  const learning = new UserLearning(data.lexicon);
  const engine = createEngine(data, learning.engineOptions);
  const events: StoreEvent[] = [];
  const store = await HistoryStore.open(learning.history, {
    name,
    writeInterval: 10,
    retryInterval: 60_000,
    openTimeout: 500,
    broadcast: false,
    ...options,
    onEvent: (e) => events.push(e),
  });
  const stack = { engine, learning, store, controls: attachHistory(engine, learning, store), events };
  stacks.push(stack);
  return stack;
}

/** Types `input` and picks `pieces` one by one from the candidates (learning a phrase). */
function pick(engine: Engine, input: string, pieces: readonly string[]): string | undefined {
  const s = engine.createSession();
  s.type(input);
  let committed: string | undefined;
  for (const piece of pieces) {
    const i = s.candidates().findIndex((c) => c.text === piece);
    expect(i, `${piece} among the candidates for ${s.remainingInput}`).toBeGreaterThanOrEqual(0);
    committed = s.select(i);
  }
  return committed;
}

function top(engine: Engine, input: string): string | undefined {
  const s = engine.createSession();
  s.type(input);
  return s.candidates()[0]?.text;
}

/** The engine still converts and still learns: a phrase picked piece by piece ranks first. */
function expectEngineWorks(engine: Engine, phrase: { input: string; pieces: string[] }): void {
  expect(top(engine, 'nihao')).toBe('你好');
  expect(pick(engine, phrase.input, phrase.pieces)).toBe(phrase.pieces.join(''));
  expect(top(engine, phrase.input)).toBe(phrase.pieces.join(''));
}

const LIYANLING = { input: 'liyanling', pieces: ['李', '延', '龄'] };
const ZHAOYIMING = { input: 'zhaoyiming', pieces: ['赵', '一', '鸣'] };

/** Stores 李延龄 under `name` with working storage, and closes. */
async function storeFirstPhrase(name: string): Promise<void> {
  const first = await openStack(name);
  expect(top(first.engine, LIYANLING.input), 'not known before learning').not.toBe('李延龄');
  pick(first.engine, LIYANLING.input, LIYANLING.pieces);
  await first.controls.flush();
  expect(first.store.writeCount).toBeGreaterThan(0);
  await first.store.close();
}

async function storedUnits(name: string): Promise<string[]> {
  const db = await openDB(name);
  try {
    return ((await db.getAllKeys('units')) as string[]).sort();
  } finally {
    db.close();
  }
}

const failures = (events: readonly StoreEvent[]) => events.filter((e) => e.type === 'storage-failed');

describe('opening fails', () => {
  it('indexedDB.open throws (a sandboxed frame, storage disabled): in memory, reported once, stored data kept', async () => {
    const name = freshName();
    await storeFirstPhrase(name);
    const open = vi.spyOn(indexedDB, 'open').mockImplementation(() => {
      throw new DOMException('access to storage is denied', 'SecurityError');
    });
    const s = await openStack(name);
    expect(open).toHaveBeenCalled();
    expect(s.store.persistent).toBe(false);
    expect(failures(s.events)).toEqual([{ type: 'storage-failed', reason: 'unavailable', error: expect.objectContaining({ name: 'SecurityError' }) }]);
    expectEngineWorks(s.engine, ZHAOYIMING);
    await s.controls.flush();
    expect(failures(s.events)).toHaveLength(1);
    open.mockRestore();
    expect(await storedUnits(name)).toContain('李延龄');
  });

  it('the indexedDB getter itself throws (an opaque origin): in memory, reported once', async () => {
    const own = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB')!;
    Object.defineProperty(globalThis, 'indexedDB', {
      configurable: true,
      get() {
        throw new DOMException('access to the IndexedDB API is denied in this context', 'SecurityError');
      },
    });
    let s: Stack;
    try {
      s = await openStack(freshName());
    } finally {
      Object.defineProperty(globalThis, 'indexedDB', own);
    }
    expect(s.store.persistent).toBe(false);
    expect(failures(s.events)).toEqual([{ type: 'storage-failed', reason: 'unavailable', error: expect.objectContaining({ name: 'SecurityError' }) }]);
    expectEngineWorks(s.engine, ZHAOYIMING);
    await s.controls.flush();
    expect(failures(s.events)).toHaveLength(1);
  });

  it('the open request fails (a newer app version upgraded the database): in memory, the newer data untouched', async () => {
    const name = freshName();
    await storeFirstPhrase(name);
    const newer = await openDB(name, HISTORY_DB_VERSION + 1, {
      upgrade(db) {
        db.createObjectStore('future');
      },
    });
    newer.close();
    const s = await openStack(name);
    expect(s.store.persistent).toBe(false);
    expect(failures(s.events)).toEqual([{ type: 'storage-failed', reason: 'unavailable', error: expect.objectContaining({ name: 'VersionError' }) }]);
    expectEngineWorks(s.engine, ZHAOYIMING);
    await s.controls.flush();
    const db = await openDB(name);
    expect(db.version).toBe(HISTORY_DB_VERSION + 1);
    expect(await db.getAllKeys('units')).toContain('李延龄');
    db.close();
  });

  it('reading the stored history fails: in memory, reported once, nothing deleted', async () => {
    const name = freshName();
    await storeFirstPhrase(name);
    const getAll = vi.spyOn(IDBObjectStore.prototype, 'getAll').mockImplementation(() => {
      throw new DOMException('the disk said no', 'UnknownError');
    });
    const s = await openStack(name);
    expect(s.store.persistent).toBe(false);
    expect(failures(s.events)).toEqual([{ type: 'storage-failed', reason: 'unavailable', error: expect.objectContaining({ name: 'UnknownError' }) }]);
    expectEngineWorks(s.engine, ZHAOYIMING);
    getAll.mockRestore();
    expect(await storedUnits(name)).toContain('李延龄');
  });

  it('a listener that throws does not break the store or the engine', async () => {
    vi.spyOn(indexedDB, 'open').mockImplementation(() => {
      throw new DOMException('no', 'SecurityError');
    });
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const learning = new UserLearning(data.lexicon);
    const engine = createEngine(data, learning.engineOptions);
    const store = await HistoryStore.open(learning.history, {
      name: freshName(),
      broadcast: false,
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    stacks.push({ engine, learning, store, controls: attachHistory(engine, learning, store), events: [] });
    expect(error).toHaveBeenCalledTimes(1);
    expectEngineWorks(engine, LIYANLING);
  });
});

describe('writing fails', () => {
  /** Makes every write transaction abort with `errorName` once its requests are queued. */
  function abortWrites(errorName: string | null) {
    const put = IDBObjectStore.prototype.put;
    const aborted = new WeakSet<IDBTransaction>();
    return vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      const request = put.apply(this, args);
      const tx = this.transaction;
      if (!aborted.has(tx)) {
        aborted.add(tx);
        queueMicrotask(() => {
          // The store commits its transaction right after the requests (tx.commit()), so the
          // page itself can no longer abort it: fail it as the database would.
          const internal = tx as unknown as { _abort(name: string | null): void };
          internal._abort(errorName);
        });
      }
      return request;
    });
  }

  it.each([
    ['over quota (the transaction aborts with QuotaExceededError)', 'QuotaExceededError', 'quota'],
    ['a transaction aborted by an I/O error', 'UnknownError', 'write-failed'],
    ['a transaction aborted without an error', null, 'write-failed'],
  ] as const)('%s: learning goes on, earlier data stays, one report, written once storage is back', async (_what, errorName, reason) => {
    const name = freshName();
    await storeFirstPhrase(name);
    const s = await openStack(name, { retryInterval: 80 });
    expect(top(s.engine, LIYANLING.input), 'loaded from storage').toBe('李延龄');
    const failing = abortWrites(errorName);
    expectEngineWorks(s.engine, ZHAOYIMING);
    await s.controls.flush();
    for (let i = 0; i < 5; i++) {
      pick(s.engine, 'nihao', ['你好']);
      await s.controls.flush();
    }
    expect(failing).toHaveBeenCalled();
    expect(failures(s.events)).toEqual([{ type: 'storage-failed', reason, error: expect.anything() }]);
    expect(s.store.persistent).toBe(false);
    expect(s.store.pending, 'what failed to be written waits').toBe(true);
    // The aborted transactions rolled back; what was stored before is all there.
    expect(await storedUnits(name)).toContain('李延龄');
    expect(await storedUnits(name)).not.toContain('赵一鸣');
    failing.mockRestore();
    await sleep(200);
    await s.controls.flush();
    expect(s.store.persistent).toBe(true);
    expect(s.store.pending).toBe(false);
    expect(await storedUnits(name)).toEqual(expect.arrayContaining(['李延龄', '赵一鸣', '你好']));
    expect(failures(s.events), 'still reported once').toHaveLength(1);
  });

  it('the connection is closed under the engine (site data cleared): in memory, reported once', async () => {
    const name = freshName();
    const s = await openStack(name);
    pick(s.engine, LIYANLING.input, LIYANLING.pieces);
    await s.controls.flush();
    const db = (s.store as unknown as { db: IDBPDatabase }).db;
    forceCloseDatabase(unwrap(db) as never);
    await sleep(20);
    expect(failures(s.events)).toEqual([{ type: 'storage-failed', reason: 'closed' }]);
    expect(s.store.persistent).toBe(false);
    expectEngineWorks(s.engine, ZHAOYIMING);
    await s.controls.flush();
    expect(failures(s.events)).toHaveLength(1);
    expect(await storedUnits(name)).toContain('李延龄');
  });
});

describe('a newer version wants the database (blocked upgrade)', () => {
  it('the engine gives the database up at once, goes on in memory, and the upgrade keeps the data', async () => {
    const name = freshName();
    const s = await openStack(name);
    pick(s.engine, LIYANLING.input, LIYANLING.pieces);
    await s.controls.flush();
    let blocked = false;
    const upgrade = openDB(name, HISTORY_DB_VERSION + 1, {
      upgrade(db) {
        db.createObjectStore('future');
      },
      blocked() {
        blocked = true;
      },
    });
    const newer = await Promise.race([upgrade, sleep(2000).then(() => undefined)]);
    expect(newer, 'the upgrade was not kept waiting').toBeDefined();
    expect(blocked).toBe(false);
    expect(failures(s.events)).toEqual([{ type: 'storage-failed', reason: 'superseded' }]);
    expect(s.store.persistent).toBe(false);
    expectEngineWorks(s.engine, ZHAOYIMING);
    await s.controls.flush();
    expect(failures(s.events)).toHaveLength(1);
    expect(await newer!.getAllKeys('units')).toContain('李延龄');
    newer!.close();
  });
});

describe('corrupt records', () => {
  it('are skipped with one report; the rest loads, the engine works, the damaged records stay as they were', async () => {
    const name = freshName();
    await storeFirstPhrase(name);
    const db = await openDB(name);
    const junkUnits: unknown[] = [
      { text: '坏1', reading: 42, w: 1, t: 1 },
      { text: '坏2', reading: 'huai', w: 'x', t: 1 },
      { text: '坏3', reading: 'huai', w: Number.POSITIVE_INFINITY, t: 1 },
      { text: '坏4', reading: 'huai', w: -3, t: 1 },
      { text: '坏5', reading: 'huai', w: 1, t: -1 },
      { text: '坏6', reading: 'huai', w: 1, t: 1.5 },
      { text: '坏7', reading: 'HUAI!', w: 1, t: 1 },
      { text: '坏8', reading: 'huai', w: 1, t: 1, parts: 'nope' },
      { text: '坏9', reading: 'huai', w: 1, t: 1, parts: [{ text: '别的', reading: 'bie', id: 1 }] },
      { text: '坏\t10', reading: 'huai', w: 1, t: 1 },
      { text: '坏11', reading: 'huai', w: 1e300, t: 1 },
      { text: '坏12', reading: 'huai', w: 1, t: 1, id: -7 },
    ];
    for (const u of junkUnits) await db.put('units', u as never);
    await db.put('pairs', { prev: '坏', next: 7, w: 1, t: 1 } as never);
    await db.put('pairs', { prev: '李延龄', next: '坏', w: Number.NaN, t: 1 } as never);
    // A record from the future (its tick past the clock) is valid and must not take over.
    await db.put('units', { text: '未来', reading: 'wei\'lai', w: 1, t: Number.MAX_SAFE_INTEGER } as never);
    db.close();

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const s = await openStack(name);
    expect(s.events).toEqual([{ type: 'corrupt-records', count: junkUnits.length + 2 }]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(s.store.persistent).toBe(true);
    expect(top(s.engine, LIYANLING.input), 'the good record loaded').toBe('李延龄');
    expect(top(s.engine, 'weilai')).toBe('未来');
    expectEngineWorks(s.engine, ZHAOYIMING);
    await s.controls.flush();
    const units = await storedUnits(name);
    for (const u of junkUnits) expect(units, 'left as it was').toContain((u as { text: string }).text);
    expect(units).toEqual(expect.arrayContaining(['李延龄', '赵一鸣']));
    expect(failures(s.events)).toEqual([]);
  });

  it('a damaged clock falls back to the records’ own ticks', async () => {
    for (const clock of [{ tick: 'soon' }, { tick: -5 }, { tick: 1e308 }, null, 'tick']) {
      const name = freshName();
      await storeFirstPhrase(name);
      const db = await openDB(name);
      await db.put('meta', clock as never, 'clock');
      db.close();
      const s = await openStack(name);
      expect(failures(s.events), JSON.stringify(clock)).toEqual([]);
      expect(top(s.engine, LIYANLING.input), JSON.stringify(clock)).toBe('李延龄');
      expectEngineWorks(s.engine, ZHAOYIMING);
      expect(Number.isSafeInteger(s.learning.history.tick)).toBe(true);
      await s.store.close();
    }
  });
});
