/** The keyboard's key queue on its own: no DOM, no engine. */
import { describe, expect, it } from 'vitest';
import type { KeyInput } from '../src/keyboard/key-action.ts';
import { KeyQueue, pendingLetters, predictComposing, type Job } from '../src/keyboard/key-queue.ts';

const at = { time: 0 };
const key = (k: string, extra: Partial<KeyInput> = {}): Job => ({ kind: 'key', input: { key: k, ...extra }, held: true, virtual: false, at });
const keys = (text: string): Job[] => [...text].map((k) => key(k));

/** A promise and its resolver. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const label = (job: Job) => (job.kind === 'key' ? job.input.key : job.kind);

describe('KeyQueue', () => {
  it('runs jobs one at a time, in the order they came, including those queued while one runs', async () => {
    const log: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>([['a', gate()]]);
    let running = 0;
    const queue = new KeyQueue({
      run: async (job) => {
        running++;
        expect(running).toBe(1);
        log.push(`start ${label(job)}`);
        await gates.get(label(job))?.promise;
        log.push(`end ${label(job)}`);
        running--;
      },
    });
    queue.push(key('a'));
    queue.push(key('b'));
    expect(queue.busy).toBe(true);
    queue.push({ kind: 'mode', mode: 'english' });
    expect(log).toEqual(['start a']);
    gates.get('a')!.open();
    await queue.settled();
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start mode', 'end mode']);
    expect(queue.busy).toBe(false);
  });

  it('settled() resolves at once when idle, and after the last job otherwise', async () => {
    const g = gate();
    const queue = new KeyQueue({ run: () => g.promise });
    let settled = false;
    await queue.settled();
    queue.push(key('a'));
    void queue.settled().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    g.open();
    await queue.settled();
    expect(settled).toBe(true);
  });

  it('waits until ready; when not ready the jobs stay queued for the caller to clear', async () => {
    const ran: string[] = [];
    let answer = gate();
    let ok = false;
    const queue = new KeyQueue({
      run: (job) => void ran.push(label(job)),
      ready: () => answer.promise.then(() => ok),
    });
    queue.push(key('n'));
    queue.push(key('i'));
    expect(queue.queued.map(label)).toEqual(['n', 'i']);
    answer.open();
    await queue.settled();
    expect(ran).toEqual([]);
    expect(queue.clear().map(label)).toEqual(['n', 'i']);
    answer = gate();
    ok = true;
    queue.push(key('h'));
    answer.open();
    await queue.settled();
    expect(ran).toEqual(['h']);
  });

  it('tells when a job was queued, before it runs', () => {
    const log: string[] = [];
    const queue = new KeyQueue({ run: (job) => void log.push(`run ${label(job)}`), queued: () => log.push('queued') });
    queue.push(key('a'));
    expect(log).toEqual(['queued', 'run a']);
  });

  it('takeLetters takes the composing keys right behind the running one, and stops at any other', async () => {
    const g = gate();
    let taken: ReturnType<KeyQueue['takeLetters']> | undefined;
    const queue = new KeyQueue({
      run: async (job) => {
        if (label(job) !== 'n') return;
        await g.promise;
        taken = queue.takeLetters('chinese');
      },
    });
    for (const job of [...keys('ni'), key("'"), ...keys('h'), key('1'), ...keys('ao')]) queue.push(job);
    g.open();
    await queue.settled();
    expect(taken?.letters).toBe("i'h");
    expect(taken?.stamps).toHaveLength(3);
    // In English mode nothing composes.
    const english = new KeyQueue({ run: () => new Promise(() => {}) });
    english.push(key('x'));
    english.push(key('y'));
    expect(english.takeLetters('english')).toEqual({ letters: '', stamps: [] });
  });

  it('stop() drops what waits, runs nothing more and releases settled()', async () => {
    const g = gate();
    const ran: string[] = [];
    const queue = new KeyQueue({
      run: async (job) => {
        ran.push(label(job));
        await g.promise;
      },
    });
    queue.push(key('a'));
    queue.push(key('b'));
    const settled = queue.settled();
    queue.stop();
    await settled;
    g.open();
    await queue.settled();
    queue.push(key('c'));
    await queue.settled();
    expect(ran).toEqual(['a']);
  });
});

describe('predictComposing', () => {
  const rows: [name: string, jobs: Job[], composing: boolean, expected: boolean | undefined][] = [
    ['nothing queued: as it is', [], true, true],
    ['a letter starts a composition', keys('n'), false, true],
    ['a capital does not start one', [key('N', { shiftKey: true })], false, false],
    ['Enter ends it', [...keys('ni'), key('Enter')], false, false],
    ['Esc ends it', [key('Escape')], true, false],
    ['punctuation ends it', [key(',')], true, false],
    ['a pick may or may not end it', [key('1')], true, undefined],
    ['space may or may not end it', [key(' ')], true, undefined],
    ['backspace may or may not end it', [key('Backspace')], true, undefined],
    ['a letter after an unknown outcome composes', [key(' '), ...keys('h')], true, true],
    ['a tap on a candidate may end it', [{ kind: 'pick', slot: 0, at }], true, undefined],
    ['switching to English ends it', [{ kind: 'mode', mode: 'english' }], true, false],
    ['letters in English do not compose', [{ kind: 'mode', mode: 'english' }, ...keys('ab')], true, false],
  ];
  for (const [name, jobs, composing, expected] of rows) {
    it(name, () => expect(predictComposing(jobs, composing, 'chinese')).toBe(expected));
  }
});

describe('pendingLetters (the bar while the engine starts)', () => {
  const rows: [name: string, jobs: Job[], expected: string][] = [
    ['letters typed so far', keys('nihao'), 'nihao'],
    ['backspace takes one back', [...keys('nih'), key('Backspace')], 'ni'],
    ['a pick or Enter starts over', [...keys('ni'), key(' '), ...keys('ha')], 'ha'],
    ['keys that pass leave them', [...keys('ni'), key('Shift')], 'ni'],
    ['other jobs are not keys', [...keys('ni'), { kind: 'incognito', incognito: true }], 'ni'],
  ];
  for (const [name, jobs, expected] of rows) {
    it(name, () => expect(pendingLetters(jobs, 'chinese')).toBe(expected));
  }
  it('nothing composes in English', () => expect(pendingLetters(keys('ni'), 'english')).toBe(''));
});
