import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine/engine.ts';
import type { CommitRecord } from '../src/engine/candidate.ts';
import { readFileSync } from 'node:fs';
import { loadNodeEngine, ROOT } from '../scripts/lib/node-engine.ts';

let engine: Engine;
beforeAll(() => {
  engine = loadNodeEngine();
});

describe('session', () => {
  it('picks a prefix word and continues on the rest', () => {
    const s = engine.createSession();
    s.type('nihao');
    const ni = s.candidates().findIndex((c) => c.text === '你' && c.length === 2);
    expect(ni).toBeGreaterThanOrEqual(0);
    expect(s.select(ni)).toBeUndefined();
    expect(s.remainingInput).toBe('hao');
    expect(s.preedit().startsWith('你')).toBe(true);
    const hao = s.candidates().findIndex((c) => c.text === '好');
    expect(s.select(hao)).toBe('你好');
    expect(s.composing).toBe(false);
  });

  it('commit takes the picked pieces and the best sentence for the rest', () => {
    const s = engine.createSession();
    s.type('woaibeijing');
    const wo = s.candidates().findIndex((c) => c.text === '我');
    s.select(wo);
    expect(s.commit()).toBe('我爱北京');
  });

  it('backspace edits letters, then un-picks pieces', () => {
    const s = engine.createSession();
    s.type('nihaoa');
    expect(s.backspace()).toBe(true);
    expect(s.rawInput).toBe('nihao');
    s.select(s.candidates().findIndex((c) => c.text === '你'));
    s.select(s.candidates().findIndex((c) => c.text === '好'));
    // committed: nothing left
    expect(s.backspace()).toBe(false);
    s.type('nihao');
    s.select(s.candidates().findIndex((c) => c.text === '你'));
    expect(s.remainingInput).toBe('hao');
    s.backspace();
    s.backspace();
    expect(s.remainingInput).toBe('h');
    // Deleting the last letter after the piece un-picks it: letters and candidates, never an
    // empty composition with nothing to convert.
    s.backspace();
    expect(s.remainingInput).toBe('ni');
    expect(s.candidates().map((c) => c.text)).toContain('你');
    s.backspace();
    expect(s.remainingInput).toBe('n');
  });

  it('preedit separates syllables', () => {
    const s = engine.createSession();
    s.type('nihao');
    expect(s.preedit()).toBe("ni'hao");
  });

  it('tells commit listeners what was picked', () => {
    const seen: CommitRecord[] = [];
    const off = engine.onCommit((r) => seen.push(r));
    const s = engine.createSession();
    s.type('nihao');
    s.select(s.candidates().findIndex((c) => c.text === '你'));
    s.select(s.candidates().findIndex((c) => c.text === '好'));
    off();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.text).toBe('你好');
    expect(seen[0]!.pieces.map((p) => p.text)).toEqual(['你', '好']);
  });

  it('typing key by key gives the same candidates as typing at once', () => {
    const a = engine.createSession();
    const b = engine.createSession();
    const input = 'jintiantianqizhenhaowomenquguangjiebaxiangchiduoshaochiduoshao';
    for (const ch of input) {
      a.type(ch);
      a.candidates();
    }
    for (let k = 0; k < 7; k++) {
      a.backspace();
      a.candidates();
    }
    a.type('aoshao');
    b.type(input.slice(0, -7) + 'aoshao');
    expect(a.candidates().map((c) => c.text)).toEqual(b.candidates().map((c) => c.text));
  });

  it('incremental decoding equals decoding from scratch on real clauses', () => {
    const lines = readFileSync(`${ROOT}../shared/eval/dev-chat.tsv`, 'utf8')
      .split('\n')
      .filter((l) => l.includes('\t'))
      .slice(0, 60)
      .map((l) => l.split('\t')[0]!);
    const a = engine.createSession();
    for (const line of lines) {
      const b = engine.createSession();
      a.reset();
      for (const ch of line) {
        a.type(ch);
        a.candidates();
      }
      b.type(line);
      expect(a.candidates().map((c) => c.text)).toEqual(b.candidates().map((c) => c.text));
    }
  });

  it('an apostrophe typed as a key of its own separates syllables (x i \' a n → 西安)', () => {
    const s = engine.createSession();
    for (const k of ['x', 'i', "'", 'a', 'n']) s.type(k);
    expect(s.rawInput).toBe("xi'an");
    expect(s.candidates()[0]!.text).toBe('西安');
    // A second separator, or one with nothing typed, still adds nothing.
    s.type("'");
    s.type("'");
    expect(s.rawInput).toBe("xi'an'");
    const t = engine.createSession();
    expect(t.type("'")).toBe(0);
    expect(t.composing).toBe(false);
  });

  it('commitRaw after a partial pick keeps the picked text and the remaining letters', () => {
    const s = engine.createSession();
    s.type('woxiangchifan');
    const woxiang = s.candidates().findIndex((c) => c.text === '我想' && c.kind === 'word');
    expect(woxiang).toBeGreaterThanOrEqual(0);
    expect(s.select(woxiang)).toBeUndefined();
    expect(s.commitRaw()).toBe('我想chifan');
    expect(s.composing).toBe(false);
  });

  /** The preedit with a | where the caret is. */
  const withCaret = (s: ReturnType<Engine['createSession']>) => {
    const p = s.preedit();
    const c = s.preeditCaret();
    return `${p.slice(0, c)}|${p.slice(c)}`;
  };

  it('moves a caret by syllable and edits at it', () => {
    const s = engine.createSession();
    s.type('woxiangchifan');
    expect(withCaret(s)).toBe("wo'xiang'chi'fan|");
    expect(s.moveCaret(-1)).toBe(true);
    expect(withCaret(s)).toBe("wo'xiang'chi'|fan");
    s.moveCaret(-1);
    s.moveCaret(-1);
    expect(withCaret(s)).toBe("wo'|xiang'chi'fan");
    expect(s.caret).toBe(2);
    // Backspace deletes before the caret, typing inserts at it.
    s.backspace();
    s.type('o');
    expect(s.rawInput).toBe('woxiangchifan');
    expect(s.caret).toBe(2);
    s.moveCaret('home');
    expect(s.caret).toBe(0);
    expect(s.moveCaret(-1)).toBe(false);
    expect(s.backspace()).toBe(false);
    // Delete removes the letter after the caret.
    expect(s.deleteForward()).toBe(true);
    expect(s.rawInput).toBe('oxiangchifan');
    s.type('w');
    s.moveCaret(1);
    expect(withCaret(s)).toBe("wo'|xiang'chi'fan");
    s.moveCaret('end');
    expect(s.deleteForward()).toBe(false);
    expect(withCaret(s)).toBe("wo'xiang'chi'fan|");
    expect(s.candidates()[0]!.text).toBe('我想吃饭');
  });

  it('changes a syllable in the middle: the candidates follow the edited input', () => {
    const s = engine.createSession();
    s.type('woxiangchifan');
    s.moveCaret(-1); // before fan
    for (let i = 0; i < 3; i++) s.backspace(); // chi
    s.type('he');
    expect(s.rawInput).toBe('woxianghefan');
    const fresh = engine.createSession();
    fresh.type('woxianghefan');
    expect(s.candidates().map((c) => c.text)).toEqual(fresh.candidates().map((c) => c.text));
    expect(s.candidates()[0]!.text).toBe('我想盒饭');
  });

  it('以词定字: picks the first or last character of a word for all its letters', () => {
    const s = engine.createSession();
    s.type('ciyu');
    expect(s.candidates()[0]!.text).toBe('词语');
    expect(s.selectCharacter(0, 'last')).toBe('语');
    s.type('ciyuhao');
    const ciyu = s.candidates().findIndex((c) => c.text === '词语');
    expect(s.selectCharacter(ciyu, 'first')).toBeUndefined();
    expect(s.preedit()).toBe('词hao');
  });

  it('commitRaw returns the letters and reset clears', () => {
    const s = engine.createSession();
    s.type("xi'an");
    expect(s.commitRaw()).toBe('xian');
    s.type('abc');
    s.reset();
    expect(s.composing).toBe(false);
    expect(s.candidates()).toEqual([]);
  });
});
