import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openDB } from 'idb';
import { UserHistory, type HistoryData, type LearnedUnit } from '../src/user/history.ts';
import { HISTORY_DB_VERSION, HistoryStore, type HistoryStoreOptions, type StoreEvent } from '../src/user/store.ts';

const u = (text: string, reading = ''): LearnedUnit => ({ text, reading });
const sentence = (...texts: string[]) => ({ runs: [texts.map((t) => u(t))] });

let dbCounter = 0;
const open: HistoryStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

/** A fresh database name per test, so tests never see each other's data. */
function freshName(): string {
  return `test-history-${process.pid}-${++dbCounter}`;
}

async function openStore(history: UserHistory, options: Partial<HistoryStoreOptions>): Promise<{ store: HistoryStore; events: StoreEvent[] }> {
  const events: StoreEvent[] = [];
  const store = await HistoryStore.open(history, { writeInterval: 30, ...options, onEvent: (e) => events.push(e) });
  open.push(store);
  return { store, events };
}

/** History data with its records in a fixed order (IndexedDB returns them by key). */
function sorted(d: HistoryData): HistoryData {
  const key = (r: { text?: string; prev?: string; next?: string }) => `${r.text ?? ''}\t${r.prev ?? ''}\t${r.next ?? ''}`;
  const by = <T extends object>(xs: readonly T[]) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : 1));
  return { ...d, units: by(d.units), pairs: by(d.pairs) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('history store (fake-indexeddb)', () => {
  it('persists what was learned and loads it on reopen', async () => {
    const name = freshName();
    const h = new UserHistory();
    const { store, events } = await openStore(h, { name });
    expect(store.persistent).toBe(true);
    h.add(sentence('你好', '世界'));
    h.add(sentence('你好'));
    await store.close();
    open.length = 0;
    expect(events).toEqual([]);

    const again = new UserHistory();
    await openStore(again, { name });
    expect(sorted(again.save())).toEqual(sorted(h.save()));
  });

  it('writes at most once per interval while typing, and flush() writes at once', async () => {
    const name = freshName();
    const h = new UserHistory();
    const { store } = await openStore(h, { name, writeInterval: 200 });
    const t0 = Date.now();
    while (Date.now() - t0 < 700) {
      h.add(sentence('打字', `${Date.now() % 7}`));
      await sleep(10);
    }
    // ~700 ms of commits every 10 ms: at most one write per 200 ms.
    expect(store.writeCount).toBeLessThanOrEqual(Math.ceil((Date.now() - t0) / 200) + 1);
    expect(store.writeCount).toBeGreaterThanOrEqual(2);
    h.add(sentence('最后'));
    expect(store.pending).toBe(true);
    await store.flush();
    expect(store.pending).toBe(false);
    const db = await openDB(name);
    expect(await db.get('units', '最后')).toMatchObject({ text: '最后', w: 1 });
    db.close();
  });

  it('durable commits: a commit is written at once, and commits during a write go together in the next', async () => {
    const name = freshName();
    const h = new UserHistory();
    const { store } = await HistoryStore.open(h, { name }).then((store) => (open.push(store), { store }));
    h.add(sentence('马上'));
    // The write started within the commit's task: nothing waits for a timer.
    await Promise.resolve();
    await Promise.resolve();
    expect(store.pending).toBe(false);
    for (let i = 0; i < 5; i++) h.add(sentence('一起', `${i}`));
    expect(store.pending).toBe(true);
    const before = store.writeCount;
    for (let i = 0; i < 50 && (store.pending || store.writeCount < before + 2); i++) await sleep(5);
    // The first write, then one more with all five commits made while it was open.
    expect(store.writeCount).toBe(before + 2);
    const db = await openDB(name);
    expect(await db.get('units', '马上')).toMatchObject({ w: 1 });
    expect(await db.get('units', '4')).toMatchObject({ w: 1 });
    db.close();
  });

  it('forget and clear reach the database', async () => {
    const name = freshName();
    const h = new UserHistory();
    const { store } = await openStore(h, { name });
    h.add(sentence('留下', '忘掉'));
    await store.flush();
    h.forget('忘掉');
    await store.flush();
    let db = await openDB(name);
    expect(await db.get('units', '忘掉')).toBeUndefined();
    expect(await db.get('units', '留下')).toBeDefined();
    expect(await db.count('pairs')).toBe(1);
    db.close();
    h.clear();
    await store.flush();
    db = await openDB(name);
    expect(await db.count('units')).toBe(0);
    expect(await db.count('pairs')).toBe(0);
    db.close();
  });

  it('opens a database of an older version: adds the stores it lacks, leaves the rest alone', async () => {
    // No version 1 was ever released, so there is nothing to migrate; an older database by
    // this name (a pre-release build, or another script's) must still open, not be read as ours.
    const name = freshName();
    const raw = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('other', { keyPath: 'text' });
        db.createObjectStore('units', { keyPath: 'text' });
      },
    });
    await raw.put('other', { text: '别人的', count: 3 });
    await raw.put('units', { text: '早有', reading: '', w: 2, t: 0 });
    raw.close();

    const h = new UserHistory();
    const { store, events } = await openStore(h, { name });
    expect(events).toEqual([]);
    expect(store.persistent).toBe(true);
    // What the units store already held is read like any record; the foreign store is not.
    expect(h.unit('早有')).toBeDefined();
    expect(h.unitCount).toBe(1);
    h.add(sentence('新词'));
    await store.flush();
    await store.close();
    open.length = 0;
    const db = await openDB(name);
    expect(db.version).toBe(HISTORY_DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['meta', 'other', 'pairs', 'units']);
    expect(await db.get('other', '别人的')).toEqual({ text: '别人的', count: 3 });
    expect(await db.get('units', '新词')).toBeDefined();
    db.close();
  });

  it('skips corrupt records with a warning and keeps the rest', async () => {
    const name = freshName();
    const h = new UserHistory();
    const { store } = await openStore(h, { name });
    h.add(sentence('好', '词'));
    await store.close();
    open.length = 0;
    const db = await openDB(name);
    await db.put('units', { text: '坏', reading: 42, w: 'x', t: -1 });
    await db.put('pairs', { prev: '好', next: '词', w: Number.NaN, t: 1 });
    db.close();

    const again = new UserHistory();
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...a: unknown[]) => warnings.push(a);
    try {
      const { events } = await openStore(again, { name });
      expect(events).toEqual([{ type: 'corrupt-records', count: 2 }]);
    } finally {
      console.warn = warn;
    }
    expect(warnings).toHaveLength(1);
    expect(again.unit('好')).toBeDefined();
    // The damaged copy of the pair replaced the good one in the database: the pair is gone, nothing else.
    expect(again.pair('好', '词')).toBeUndefined();
    expect(again.pair('', '好')).toBeDefined();
    expect(again.unit('坏')).toBeUndefined();
  });

  it('over quota: keeps learning in memory, emits one event, loses nothing, retries', async () => {
    const name = freshName();
    const h = new UserHistory();
    const { store, events } = await openStore(h, { name, retryInterval: 50 });
    h.add(sentence('存好'));
    await store.flush();
    const proto = IDBObjectStore.prototype;
    const put = proto.put;
    proto.put = function () {
      throw new DOMException('quota', 'QuotaExceededError');
    };
    try {
      h.add(sentence('存不下'));
      await store.flush();
      h.add(sentence('还是存不下'));
      await store.flush();
      expect(events).toEqual([{ type: 'storage-failed', reason: 'quota', error: expect.anything() }]);
      expect(store.persistent).toBe(false);
      expect(h.unit('存不下')).toBeDefined();
      expect(store.pending).toBe(true);
    } finally {
      proto.put = put;
    }
    await sleep(150);
    await store.flush();
    expect(store.persistent).toBe(true);
    const db = await openDB(name);
    expect((await db.getAllKeys('units')).sort()).toEqual(['存不下', '存好', '还是存不下'].sort());
    db.close();
    expect(events).toHaveLength(1);
  });

  it('without IndexedDB: learns in memory and says so once', async () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error simulating a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const h = new UserHistory();
      const { store, events } = await openStore(h, { name: freshName() });
      expect(store.persistent).toBe(false);
      expect(events).toEqual([{ type: 'storage-failed', reason: 'unavailable' }]);
      h.add(sentence('记住'));
      await store.flush();
      expect(h.unit('记住')).toBeDefined();
    } finally {
      globalThis.indexedDB = saved;
    }
  });

  it('blocked by an old connection that will not close: goes on in memory', async () => {
    const name = freshName();
    const old = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('words', { keyPath: 'text' });
      },
    });
    try {
      const h = new UserHistory();
      const { store, events } = await openStore(h, { name, openTimeout: 100 });
      expect(store.persistent).toBe(false);
      expect(events).toEqual([{ type: 'storage-failed', reason: 'blocked' }]);
      h.add(sentence('照样学'));
      expect(h.unit('照样学')).toBeDefined();
    } finally {
      old.close();
    }
  });

  it('two tabs: each sees the other’s writes and neither undoes them', async () => {
    const name = freshName();
    const a = new UserHistory();
    const b = new UserHistory();
    const { store: sa } = await openStore(a, { name });
    const { store: sb, events: eb } = await openStore(b, { name });
    const synced = () =>
      new Promise<void>((resolve) => {
        const off = sb.onEvent((e) => {
          if (e.type === 'synced') {
            off();
            resolve();
          }
        });
      });
    let arrived = synced();
    a.add(sentence('甲方'));
    await sa.flush();
    await arrived;
    expect(b.unit('甲方')).toBeDefined();
    expect(eb.some((e) => e.type === 'synced')).toBe(true);
    // B learns the same word once more: its larger weight wins in both places.
    b.add(sentence('甲方'));
    const backInA = new Promise<void>((resolve) => {
      const off = sa.onEvent((e) => {
        if (e.type === 'synced') {
          off();
          resolve();
        }
      });
    });
    await sb.flush();
    await backInA;
    expect(a.weightOf(a.unit('甲方')!)).toBeCloseTo(b.weightOf(b.unit('甲方')!), 6);
    // A forgets it: B forgets it too, and B's next write does not bring it back.
    arrived = synced();
    a.forget('甲方');
    await sa.flush();
    await arrived;
    expect(b.unit('甲方')).toBeUndefined();
    b.add(sentence('乙方'));
    await sb.flush();
    const db = await openDB(name);
    expect((await db.getAllKeys('units')).sort()).toEqual(['乙方']);
    db.close();
  });
});
