import { describe, expect, it } from 'vitest';
import * as OpenCC from 'opencc-js/t2cn';
import { loadNodeEngine } from '../scripts/lib/node-engine.ts';

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

describe('shipped data types simplified Chinese', () => {
  const session = loadNodeEngine().createSession();

  // Before the build left traditional spellings out, 中國, 謝謝 and 我愛北京天安门 were in the top 5.
  it.each(['zhongguo', 'xiexie', 'woaibeijingtiananmen', 'guojia', 'dianhua', 'xuexiao', 'shijian', 'aiqing'])(
    '%s: no traditional spelling among the first ten candidates',
    (input) => {
      session.reset();
      session.type(input);
      const texts = session.candidates().slice(0, 10).map((c) => c.text);
      expect(texts.length).toBeGreaterThan(5);
      expect(texts.filter((t) => toSimplified(t) !== t)).toEqual([]);
    },
  );

  it('keeps a traditional-looking character where its reading differs (乾坤)', () => {
    session.reset();
    session.type('qiankun');
    expect(session.candidates()[0]!.text).toBe('乾坤');
  });
});
