/**
 * Run-time options through the worker protocol (engine host on this thread, as the client
 * runs it where Workers are unavailable): scheme, fuzzy pairs, typo tolerance, traditional
 * output and next-word prediction change for every session; bad values are refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readAssets } from '../scripts/lib/node-engine.ts';
import { createEngineHost, type EngineHost } from '../src/worker/engine-host.ts';
import { ImeErrorCode, isImeError } from '../src/util/errors.ts';

let host: EngineHost;
let seq = 0;
beforeAll(async () => {
  host = createEngineHost({ yieldBeforeDecoding: false });
  const a = readAssets();
  await host.init({ lexicon: new Uint8Array(a.lexicon), model: new Uint8Array(a.model), history: { enabled: false } });
});

const first = async (keys: string) => {
  await host.reset(++seq);
  const state = await host.type(++seq, keys);
  return state.candidates[0]?.text;
};

describe('EngineWorkerApi.setOptions', () => {
  it('switches the scheme, fuzzy pairs and traditional output at run time, and back', async () => {
    expect(await first('nihao')).toBe('你好');
    expect(await host.setOptions({ scheme: 'xiaohe' })).toMatchObject({ scheme: 'xiaohe', fuzzy: [], traditional: false });
    expect(await first('nihc')).toBe('你好');
    await host.setOptions({ scheme: 'quanpin', fuzzy: ['z-zh'], traditional: 't' });
    expect(await first('zongguo')).toBe('中國');
    const all = await host.setOptions({ fuzzy: [], traditional: false });
    expect(all).toEqual({ scheme: 'quanpin', fuzzy: [], typoTolerance: false, traditional: false, prediction: false });
    expect(await first('zhongguo')).toBe('中国');
  });

  it('offers next-word predictions after a commit only while prediction is on', async () => {
    await host.reset(++seq);
    await host.type(++seq, 'nihao');
    expect((await host.commit(++seq)).predictions).toBeUndefined();
    await host.setOptions({ prediction: true });
    await host.type(++seq, 'nihao');
    const state = await host.commit(++seq);
    expect(state.committed).toBe('你好');
    expect(state.predictions!.length).toBeGreaterThan(0);
    const picked = await host.selectPrediction(++seq, 0);
    expect(picked.committed).toBe(state.predictions![0]);
    await host.setOptions({ prediction: false });
  });

  it('refuses unknown values with INVALID_ARGUMENT and keeps the settings', async () => {
    for (const bad of [{ scheme: 'dvorak' }, { fuzzy: ['x-y'] }, { traditional: 'klingon' }]) {
      const error = await host.setOptions(bad as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isImeError(error) && error.code === ImeErrorCode.InvalidArgument).toBe(true);
    }
    expect(await first('nihao')).toBe('你好');
  });
});
