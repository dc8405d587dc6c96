/**
 * A data server that never answers, or stops halfway, fails the download with
 * ASSET_UNAVAILABLE after the idle timeout (issue 14), so the engine's start rejects and the
 * keyboard falls back to a plain box instead of waiting for ever.
 */
import { describe, expect, it } from 'vitest';
import { loadAsset, type FetchFunction } from '../src/engine/assets.ts';
import { createEngineHost } from '../src/worker/engine-host.ts';
import { ImeErrorCode } from '../src/util/errors.ts';

const PAGE = 'https://chat.example.org/app/';

/** A server that takes the request and never answers; records whether the request was aborted. */
function silentServer(): { fetchFn: FetchFunction; aborted: () => boolean } {
  let signal: AbortSignal | undefined;
  return {
    fetchFn: (_url, init) => {
      signal = init.signal ?? undefined;
      return new Promise<Response>(() => {});
    },
    aborted: () => signal?.aborted === true,
  };
}

describe('asset download timeout', () => {
  it('a server that never answers: ASSET_UNAVAILABLE after the idle time, and the request is aborted', async () => {
    const server = silentServer();
    const started = performance.now();
    await expect(loadAsset('data/ngram.bin', { base: PAGE, idleTimeoutMs: 100 }, server.fetchFn)).rejects.toMatchObject({
      code: ImeErrorCode.AssetUnavailable,
      message: expect.stringContaining('no answer for 100 ms'),
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect(server.aborted()).toBe(true);
  });

  it('a body that stops halfway times out too; a slow one that keeps coming does not', async () => {
    const stalled: FetchFunction = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(Uint8Array.of(1, 2));
          },
        }),
      );
    await expect(loadAsset('x.bin', { base: PAGE, idleTimeoutMs: 100 }, stalled)).rejects.toMatchObject({ code: ImeErrorCode.AssetUnavailable });

    const trickle: FetchFunction = async () => {
      let n = 0;
      return new Response(
        new ReadableStream<Uint8Array>({
          async pull(controller) {
            await new Promise((resolve) => setTimeout(resolve, 40));
            if (n === 5) controller.close();
            else controller.enqueue(Uint8Array.of(n++));
          },
        }),
      );
    };
    // 6 × 40 ms in all, longer than the idle time, but never 100 ms without a byte.
    const bytes = await loadAsset('x.bin', { base: PAGE, idleTimeoutMs: 100 }, trickle);
    expect([...bytes]).toEqual([0, 1, 2, 3, 4]);
  });

  it('EngineInit.assetIdleTimeoutMs sets the idle time of the worker\'s downloads; a bad value is refused', async () => {
    const server = silentServer();
    const host = createEngineHost({ base: PAGE, fetch: server.fetchFn });
    const started = performance.now();
    await expect(host.init({ lexiconUrl: 'data/lexicon.bin', modelUrl: 'data/ngram.bin', assetIdleTimeoutMs: 150 })).rejects.toMatchObject({
      code: ImeErrorCode.AssetUnavailable,
      message: expect.stringContaining('no answer for 150 ms'),
    });
    expect(performance.now() - started).toBeLessThan(10_000);
    for (const bad of [0, -5, Number.NaN, '100' as unknown as number]) {
      await expect(host.init({ lexiconUrl: 'data/lexicon.bin', modelUrl: 'data/ngram.bin', assetIdleTimeoutMs: bad })).rejects.toMatchObject({
        code: ImeErrorCode.InvalidArgument,
      });
    }
  });
});
