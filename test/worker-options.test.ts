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
    expect(all).toMatchObject({ scheme: 'quanpin', fuzzy: [], typoTolerance: false, traditional: false, prediction: false, emoji: false });
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

  it('switches the chat extras: emoji never first, English, quick phrases, user phrases first', async () => {
    await host.setOptions({ emoji: true, english: true, quickPhrases: true, userPhrases: { dz: '北京市海淀区' } });
    const texts = async (keys: string) => {
      await host.reset(++seq);
      return (await host.type(++seq, keys)).candidates.map((c) => c.text);
    };
    const haha = await texts('haha');
    expect(haha[0]).toBe('哈哈');
    expect(haha.slice(1, 4)).toContain('😄');
    expect((await texts('wifi'))[0]).toBe('wifi');
    // A good Chinese sentence stays first.
    expect((await texts('like'))[0]).toBe('立刻');
    expect(await texts('like')).toContain('like');
    expect((await texts('rq')).some((t) => /^\d{4}年\d{1,2}月\d{1,2}日$/.test(t))).toBe(true);
    expect((await texts('sj')).some((t) => /^\d\d:\d\d$/.test(t))).toBe(true);
    expect((await texts('dz'))[0]).toBe('北京市海淀区');
    await host.reset(++seq);
    await host.type(++seq, 'dz');
    expect((await host.select(++seq, 0)).committed).toBe('北京市海淀区');
    await host.setOptions({ emoji: false, english: false, quickPhrases: false, userPhrases: {} });
    expect(await texts('haha')).not.toContain('😄');
    expect((await texts('dz'))[0]).not.toBe('北京市海淀区');
  });

  it('refuses unknown values with INVALID_ARGUMENT and keeps the settings', async () => {
    for (const bad of [{ scheme: 'dvorak' }, { fuzzy: ['x-y'] }, { traditional: 'klingon' }, { userPhrases: { 'D Z': 'x' } }, { userPhrases: { dz: '' } }]) {
      const error = await host.setOptions(bad as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isImeError(error) && error.code === ImeErrorCode.InvalidArgument).toBe(true);
    }
    expect(await first('nihao')).toBe('你好');
  });
});
