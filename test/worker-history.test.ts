/**
 * User history through the engine host (what the worker exposes): learning from commits,
 * IndexedDB across two hosts (fake-indexeddb), the controls, incognito, storage events, and
 * the main-thread mode that decodes without yielding first.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { readAssets } from '../scripts/lib/node-engine.ts';
import { createEngineHost, type EngineHost } from '../src/worker/engine-host.ts';
import type { CompositionState, EngineInit, HistoryInit } from '../src/worker/protocol.ts';
import { ImeErrorCode, isImeError } from '../src/util/errors.ts';

const assets = readAssets();
const dataInit = (history?: HistoryInit): EngineInit => ({
  lexicon: assets.lexicon,
  model: assets.model,
  ...(history ? { history } : {}),
});

let dbCounter = 0;
const freshName = () => `test-worker-history-${process.pid}-${++dbCounter}`;

const hosts: EngineHost[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.history?.store?.close();
});

async function startHost(init: EngineInit): Promise<EngineHost> {
  const host = createEngineHost({ yieldBeforeDecoding: false });
  hosts.push(host);
  await host.init(init);
  return host;
}

let seq = 0;
/** Picks the candidate with text `text` (it must be among the candidates). */
async function pick(host: EngineHost, state: CompositionState, text: string): Promise<CompositionState> {
  const index = state.candidates.findIndex((c) => c.text === text);
  expect(index, `${text} among ${state.candidates.map((c) => c.text).join(' ')}`).toBeGreaterThanOrEqual(0);
  return host.select(++seq, index);
}

/** Types liyanling and picks 李, 延, 龄 one by one; returns the committed text. */
async function commitLiYanLing(host: EngineHost): Promise<string | undefined> {
  let s = await host.type(++seq, 'liyanling');
  s = await pick(host, s, '李');
  s = await pick(host, s, '延');
  s = await pick(host, s, '龄');
  return s.committed;
}

async function topOf(host: EngineHost, keys: string): Promise<string | undefined> {
  await host.reset(++seq);
  const s = await host.type(++seq, keys);
  await host.reset(++seq);
  return s.candidates[0]?.text;
}

describe('user history in the engine host', () => {
  it('learns a phrase from separate picks, keeps it in IndexedDB, and a new host ranks it first', async () => {
    const name = freshName();
    const first = await startHost(dataInit({ databaseName: name }));
    expect(await topOf(first, 'liyanling')).not.toBe('李延龄');
    expect(await commitLiYanLing(first)).toBe('李延龄');
    expect(await topOf(first, 'liyanling')).toBe('李延龄');
    expect((await first.historyEntries()).map((e) => e.text)).toContain('李延龄');
    await first.flushHistory();
    const status = await first.historyStatus();
    expect(status).toMatchObject({ enabled: true, incognito: false, persistent: true });

    const second = await startHost(dataInit({ databaseName: name }));
    expect(await topOf(second, 'liyanling')).toBe('李延龄');
  });

  it('incognito learns and writes nothing, and learning resumes when it is turned off', async () => {
    const name = freshName();
    const host = await startHost(dataInit({ databaseName: name, incognito: true }));
    expect((await host.historyStatus()).incognito).toBe(true);
    expect(await commitLiYanLing(host)).toBe('李延龄');
    expect(await host.historyEntries()).toEqual([]);
    expect(await topOf(host, 'liyanling')).not.toBe('李延龄');
    await host.flushHistory();
    expect(host.history!.store!.writeCount).toBe(0);
    await host.setIncognito(false);
    await commitLiYanLing(host);
    expect(await topOf(host, 'liyanling')).toBe('李延龄');
  });

  it('export, clear, import, forget', async () => {
    const host = await startHost(dataInit({ persist: false }));
    await commitLiYanLing(host);
    const json = await host.exportHistory();
    expect(JSON.parse(json)).toMatchObject({ units: expect.any(Array) });
    await host.clearHistory();
    expect(await host.historyEntries()).toEqual([]);
    expect(await topOf(host, 'liyanling')).not.toBe('李延龄');
    const imported = await host.importHistory(json);
    expect(imported.units).toBeGreaterThan(0);
    expect(imported.skipped).toBe(0);
    expect(await topOf(host, 'liyanling')).toBe('李延龄');
    expect(await host.forget('李延龄')).toBe(true);
    expect(await host.forget('李延龄')).toBe(false);
    expect((await host.historyEntries()).map((e) => e.text)).not.toContain('李延龄');
    expect(await topOf(host, 'liyanling')).not.toBe('李延龄');
    await expect(host.importHistory('{"not":"an export"}')).rejects.toSatisfy(
      (e: unknown) => isImeError(e) && e.code === ImeErrorCode.InvalidArgument,
    );
  });

  it('without IndexedDB it learns in memory and reports storage-failed once, on the next answer', async () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB')!;
    Reflect.deleteProperty(globalThis, 'indexedDB');
    let host: EngineHost;
    try {
      host = await startHost(dataInit());
    } finally {
      Object.defineProperty(globalThis, 'indexedDB', saved);
    }
    const s = await host.type(++seq, 'ni');
    expect(s.storageEvents).toEqual([expect.objectContaining({ type: 'storage-failed', reason: 'unavailable' })]);
    const again = await host.type(++seq, 'hao');
    expect(again.storageEvents).toBeUndefined();
    await host.reset(++seq);
    await commitLiYanLing(host);
    expect(await topOf(host, 'liyanling')).toBe('李延龄');
    expect(await host.historyStatus()).toMatchObject({ enabled: true, persistent: false, events: [] });
  });

  it('history off: nothing learned, controls answer harmlessly', async () => {
    const host = await startHost(dataInit({ enabled: false }));
    await commitLiYanLing(host);
    expect(await topOf(host, 'liyanling')).not.toBe('李延龄');
    expect(await host.historyStatus()).toEqual({ enabled: false, incognito: false, persistent: false, events: [] });
    expect(await host.historyEntries()).toEqual([]);
    expect(await host.forget('李')).toBe(false);
    await host.flushHistory();
    await host.clearHistory();
    await expect(host.importHistory('{}')).rejects.toSatisfy((e: unknown) => isImeError(e));
  });

  it('history controls before init fail with INVALID_ARGUMENT', async () => {
    const host = createEngineHost();
    await expect(host.historyEntries()).rejects.toSatisfy(
      (e: unknown) => isImeError(e) && e.code === ImeErrorCode.InvalidArgument,
    );
  });

  it('without the yield (main thread) the answer comes before any queued task runs', async () => {
    const host = await startHost(dataInit({ enabled: false }));
    let taskRan = false;
    setTimeout(() => (taskRan = true), 0);
    const s = await host.type(++seq, 'nihao');
    expect(s.candidates[0]?.text).toBe('你好');
    expect(taskRan).toBe(false);
    // With the yield (the worker's default), a queued task runs first.
    const yielding = createEngineHost();
    await yielding.init(dataInit({ enabled: false }));
    taskRan = false;
    setTimeout(() => (taskRan = true), 0);
    await yielding.type(1, 'nihao');
    expect(taskRan).toBe(true);
  });
});
