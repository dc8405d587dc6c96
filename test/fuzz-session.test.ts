/**
 * Property tests of the Session API under hostile key sequences (issue 7): letters, real
 * syllables, apostrophes, digits, punctuation, capitals, tone marks, any Unicode (lone
 * surrogates included), control characters and long runs, interleaved with backspace, select,
 * commit, commitRaw and reset, under several option sets (full pinyin, shuangpin, fuzzy +
 * typo tolerance, a short input cap). After every operation the candidate list must be
 * consistent with the input, and no operation may take longer than {@link HANG_MS} (that
 * catches hangs, not speed: speed goals live in bench/).
 *
 * Run counts: FUZZ_RUNS (default 80) sequences per property; FUZZ_SEED replays a failure.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecoderOptions } from '../src/decoder/options.ts';
import { DEFAULT_DECODER_OPTIONS } from '../src/decoder/options.ts';
import type { Engine } from '../src/engine/engine.ts';
import type { Session } from '../src/engine/session.ts';
import { SYLLABLES } from '../src/pinyin/syllables.ts';
import { loadNodeEngine } from '../scripts/lib/node-engine.ts';

/** No single operation (one key, a paste, a select…) may take this long: that is a hang. */
const HANG_MS = 2000;
const RUNS = Number(process.env.FUZZ_RUNS ?? 80);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const params = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, ...(SEED === undefined ? {} : { seed: SEED }) });

let engine: Engine;
beforeAll(() => {
  engine = loadNodeEngine();
});

/** What the fuzzing saw, printed at the end (the numbers go into the closing note). */
const stats = { cases: 0, operations: 0, keys: 0, maxMs: 0, maxOp: '', maxKeyMs: 0, maxKeyOp: '' };
afterAll(() => {
  console.log(
    `fuzz-session: ${stats.cases} generated cases, ${stats.operations} operations, ${stats.keys} keys; ` +
      `longest single key ${stats.maxKeyMs.toFixed(1)} ms (${stats.maxKeyOp}); ` +
      `longest operation ${stats.maxMs.toFixed(1)} ms (${stats.maxOp})`,
  );
});

// ---------------------------------------------------------------------------------------------
// Keys

const LETTERS = [...'abcdefghijklmnopqrstuvwxyz'];
const letter = fc.constantFrom(...LETTERS);
const syllable = fc.constantFrom(...SYLLABLES);
const capitals = fc.oneof(fc.constantFrom(...LETTERS.map((c) => c.toUpperCase())), syllable.map((s) => s.toUpperCase()));
const apostrophe = fc.constantFrom("'", '’', "''", "'''");
const digit = fc.constantFrom(...'0123456789');
const punctuation = fc.constantFrom(...',.;:!?-=[]{}()<>/\\|`~@#$%^&*_+" ，。；：！？、“”《》…—'.split(''));
const toneMarked = fc.constantFrom('nǐ', 'hǎo', 'lǜ', 'Lǘ', 'ü', 'Ü', 'u\u0308', 'e\u0301', 'ā', 'ǎ', 'ńg', 'ḿ', 'ê');
const anyUnicode = fc.string({ unit: 'binary', minLength: 1, maxLength: 4 });
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const control = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\u007f', '\u0085', '\u200b', '\u200d', '\u2028', '\ufeff', '\ufffd', '\u202e'),
);
const letterRun = fc.string({ unit: letter, minLength: 50, maxLength: 400 });
const mixedRun = fc.string({ unit: fc.oneof(letter, apostrophe, digit, control), minLength: 50, maxLength: 300 });

/** One key press (or a paste): mostly letters and syllables, everything else now and then. */
const key = fc.oneof(
  { arbitrary: letter, weight: 30 },
  { arbitrary: syllable, weight: 20 },
  { arbitrary: capitals, weight: 4 },
  { arbitrary: apostrophe, weight: 6 },
  { arbitrary: digit, weight: 4 },
  { arbitrary: punctuation, weight: 4 },
  { arbitrary: toneMarked, weight: 3 },
  { arbitrary: anyUnicode, weight: 4 },
  { arbitrary: loneSurrogate, weight: 1 },
  { arbitrary: control, weight: 3 },
  { arbitrary: letterRun, weight: 1 },
  { arbitrary: mixedRun, weight: 1 },
);

type Op =
  | { readonly op: 'type'; readonly keys: string }
  | { readonly op: 'backspace' }
  | { readonly op: 'select'; readonly index: number }
  | { readonly op: 'commit' }
  | { readonly op: 'commitRaw' }
  | { readonly op: 'reset' };

const operation: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: key.map((keys) => ({ op: 'type', keys }) as const), weight: 60 },
  { arbitrary: fc.constant({ op: 'backspace' } as const), weight: 12 },
  { arbitrary: fc.integer({ min: -2, max: 70 }).map((index) => ({ op: 'select', index }) as const), weight: 10 },
  { arbitrary: fc.constant({ op: 'commit' } as const), weight: 3 },
  { arbitrary: fc.constant({ op: 'commitRaw' } as const), weight: 1 },
  { arbitrary: fc.constant({ op: 'reset' } as const), weight: 1 },
);

/** Option sets the sessions are fuzzed under. */
const CONFIGS: readonly (readonly [string, Partial<DecoderOptions>])[] = [
  ['quanpin', {}],
  ['quanpin, input cap 12', { maxInputLength: 12 }],
  ['xiaohe shuangpin', { scheme: 'xiaohe' }],
  ['ziranma shuangpin, fuzzy', { scheme: 'ziranma', fuzzy: ['z-zh', 'in-ing'] }],
  ['fuzzy + typo tolerance', { fuzzy: ['z-zh', 'c-ch', 's-sh', 'l-n', 'an-ang', 'in-ing'], typoTolerance: true, typoCorrectsSyllables: true }],
];
const config = fc.constantFrom(...CONFIGS);

// ---------------------------------------------------------------------------------------------
// Invariants

/** Runs one operation and records its time; `singleKey` when it stands for one key press. */
function timed<T>(label: string, fn: () => T, singleKey = true): T {
  const start = performance.now();
  const out = fn();
  const ms = performance.now() - start;
  const shown = label.length > 80 ? `${label.slice(0, 77)}…` : label;
  if (ms > stats.maxMs) {
    stats.maxMs = ms;
    stats.maxOp = shown;
  }
  if (singleKey && ms > stats.maxKeyMs) {
    stats.maxKeyMs = ms;
    stats.maxKeyOp = shown;
  }
  expect(ms, `${label} took ${ms.toFixed(0)} ms`).toBeLessThan(HANG_MS);
  return out;
}

function describeOp(o: Op): string {
  return o.op === 'type' ? `type(${JSON.stringify(o.keys)})` : o.op === 'select' ? `select(${o.index})` : `${o.op}()`;
}

/** The letters a session of `options` composes with (besides the apostrophe). */
function alphabet(options: Partial<DecoderOptions>): RegExp {
  return (options.scheme ?? 'quanpin') === 'quanpin' ? /^[a-z']*$/ : /^[a-z;']*$/;
}

/** Everything that must hold between operations. */
function checkState(s: Session, options: Partial<DecoderOptions>): void {
  const raw = s.rawInput;
  const rest = s.remainingInput;
  expect(raw).toMatch(alphabet(options));
  expect(raw.endsWith(rest)).toBe(true);
  expect(s.composing).toBe(raw.length > 0);
  expect(rest.startsWith("'"), `remaining input ${JSON.stringify(rest)} starts with a separator`).toBe(false);
  expect(raw.includes("''"), `raw input ${JSON.stringify(raw)} holds a double separator`).toBe(false);
  if (s.pickedText === '') expect(rest, 'with nothing picked, all typed letters remain').toBe(raw);

  const list = s.candidates();
  if (rest === '') {
    expect(list).toEqual([]);
    return;
  }
  expect(list.length, `no candidates for ${JSON.stringify(rest)}`).toBeGreaterThan(0);
  expect(list[0]!.kind, 'the first candidate converts the whole input').toBe('sentence');
  const texts = new Set<string>();
  for (const c of list) {
    expect(c.text.length).toBeGreaterThan(0);
    expect(texts.has(c.text), `duplicate candidate ${c.text}`).toBe(false);
    texts.add(c.text);
    expect(Number.isInteger(c.length)).toBe(true);
    expect(c.length).toBeGreaterThanOrEqual(1);
    expect(c.length).toBeLessThanOrEqual(rest.length);
    if (c.kind === 'sentence') expect(c.length, `sentence ${c.text} covers all of ${rest}`).toBe(rest.length);
    expect(c.words.length).toBeGreaterThan(0);
    expect(c.words.map((w) => w.text).join('')).toBe(c.text);
    expect(c.text).not.toMatch(/[\u0000-\u001f\ud800-\udfff]/);
  }
  const pre = s.preedit();
  expect(pre.startsWith(s.pickedText)).toBe(true);
}

/** Runs one operation, checking what it returns against the state before it. */
function apply(s: Session, o: Op): void {
  const pickedBefore = s.pickedText;
  const rawBefore = s.rawInput;
  const remainingBefore = s.remainingInput;
  const listBefore = s.candidates();
  switch (o.op) {
    case 'type': {
      const accepted = timed(
        describeOp(o),
        () => {
          const n = s.type(o.keys);
          s.candidates();
          return n;
        },
        [...o.keys].length <= 1,
      );
      stats.keys += [...o.keys].length;
      expect(s.rawInput.length).toBe(rawBefore.length + accepted);
      expect(s.rawInput.startsWith(rawBefore)).toBe(true);
      break;
    }
    case 'backspace': {
      const done = timed('backspace()', () => {
        const b = s.backspace();
        s.candidates();
        return b;
      });
      stats.keys++;
      expect(done).toBe(rawBefore.length > 0);
      break;
    }
    case 'select': {
      const chosen = listBefore[o.index];
      const committed = timed(describeOp(o), () => {
        const r = s.select(o.index);
        s.candidates();
        return r;
      });
      stats.keys++;
      if (!chosen) {
        expect(committed).toBeUndefined();
        expect(s.rawInput).toBe(rawBefore);
        expect(s.pickedText).toBe(pickedBefore);
      } else if (committed !== undefined) {
        expect(committed).toBe(pickedBefore + chosen.text);
        expect(s.composing).toBe(false);
      } else {
        expect(s.pickedText).toBe(pickedBefore + chosen.text);
      }
      break;
    }
    case 'commit': {
      const best = listBefore[0];
      const text = timed('commit()', () => s.commit());
      stats.keys++;
      expect(text).toBe(rawBefore ? pickedBefore + (best?.kind === 'sentence' ? best.text : '') : '');
      expect(s.composing).toBe(false);
      break;
    }
    case 'commitRaw': {
      const text = timed('commitRaw()', () => s.commitRaw());
      stats.keys++;
      expect(text).toBe(pickedBefore + remainingBefore.replace(/'/g, ''));
      expect(s.composing).toBe(false);
      break;
    }
    case 'reset':
      s.reset();
      stats.keys++;
      expect(s.composing).toBe(false);
      break;
  }
  stats.operations++;
}

// ---------------------------------------------------------------------------------------------

describe('session under random key sequences', () => {
  it('never throws, stays consistent and answers every key in bounded time', () => {
    fc.assert(
      fc.property(config, fc.array(operation, { minLength: 1, maxLength: 60, size: 'max' }), ([, options], ops) => {
        stats.cases++;
        const s = engine.createSession(options);
        for (const o of ops) {
          apply(s, o);
          checkState(s, options);
        }
        // Whatever happened, the session still converts ordinary input afterwards.
        s.reset();
        s.type('nihao');
        expect(s.candidates()[0]?.text.length).toBeGreaterThan(0);
      }),
      params(RUNS),
    );
  });

  it('reads only letters and separators out of any text, and never throws on it', () => {
    fc.assert(
      fc.property(config, fc.array(fc.oneof(key, fc.string({ unit: 'binary', maxLength: 30 })), { maxLength: 8, size: 'max' }), ([, options], keys) => {
        stats.cases++;
        const s = engine.createSession({ ...options, maxInputLength: 16 });
        for (const k of keys) {
          timed(`type(${JSON.stringify(k)})`, () => s.type(k), [...k].length <= 1);
          stats.keys += [...k].length;
          stats.operations++;
        }
        checkState(s, options);
      }),
      params(RUNS * 4),
    );
  });
});

describe('very long input', () => {
  const cap = DEFAULT_DECODER_OPTIONS.maxInputLength;

  it(`decodes the first ${cap} letters and passes the rest through as typed`, () => {
    fc.assert(
      fc.property(fc.array(syllable, { minLength: 60, maxLength: 200 }), (syllables) => {
        stats.cases++;
        const s = engine.createSession();
        const typed = syllables.join('');
        timed(`type(${typed.length} letters)`, () => s.type(typed), false);
        const [best] = timed(`candidates(${typed.length} letters)`, () => s.candidates(), false);
        stats.keys += typed.length;
        stats.operations++;
        expect(best!.kind).toBe('sentence');
        expect(best!.length).toBe(typed.length);
        if (typed.length > cap) {
          const tail = typed.slice(cap);
          expect(best!.text.endsWith(tail)).toBe(true);
          expect(best!.words.at(-1)).toEqual({ text: tail, reading: tail, word: -1 });
          expect(best!.text.slice(0, -tail.length)).toMatch(/\p{Script=Han}/u);
        } else {
          expect(best!.text).not.toMatch(/[a-z]/);
        }
      }),
      params(Math.max(5, RUNS >> 3)),
    );
  });

  it('takes 10,000 keys pasted at once, then edits and commits', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof({ arbitrary: letter, weight: 8 }, { arbitrary: key, weight: 1 }), minLength: 10_000, maxLength: 10_000 }), (keys) => {
        stats.cases++;
        const s = engine.createSession();
        const n = timed('type(10,000 keys at once)', () => s.type(keys), false);
        stats.keys += keys.length;
        stats.operations++;
        checkState(s, {});
        expect(n).toBe(s.rawInput.length);
        timed('backspace() on a long input', () => {
          s.backspace();
          return s.candidates();
        });
        checkState(s, {});
        const best = s.candidates()[0]!;
        expect(timed('commit() of a long input', () => s.commit())).toBe(best.text);
      }),
      params(3),
    );
  });

  it('types 10,000 keys one at a time with candidates after each, then deletes them', () => {
    const unit = fc.oneof({ arbitrary: letter, weight: 3 }, { arbitrary: key, weight: 1 });
    fc.assert(
      fc.property(fc.array(unit, { minLength: 10_000, maxLength: 10_000 }), (keys) => {
        stats.cases++;
        const s = engine.createSession();
        for (const k of keys) {
          timed(
            `type(${JSON.stringify(k)}) at ${s.rawInput.length} letters`,
            () => {
              s.type(k);
              return s.candidates();
            },
            [...k].length <= 1,
          );
          stats.keys += [...k].length;
          stats.operations++;
        }
        checkState(s, {});
        const length = s.rawInput.length;
        expect(length).toBeGreaterThan(cap);
        for (let i = 0; i < 300; i++) {
          timed(`backspace() at ${s.rawInput.length} letters`, () => {
            s.backspace();
            return s.candidates();
          });
          stats.keys++;
          stats.operations++;
        }
        expect(s.rawInput.length).toBe(Math.max(0, length - 300));
        checkState(s, {});
        expect(s.commit().length).toBeGreaterThan(0);
      }),
      params(1),
    );
  }, 240_000);
});
