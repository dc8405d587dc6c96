import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Lexicon } from '../src/lexicon/lexicon.ts';
import { LEXICON_PATH, nodeCodec } from '../scripts/lib/node-engine.ts';

describe('Lexicon.text', () => {
  it('gives every word its own text whatever order they are asked in (the table of decoded texts is far smaller than the vocabulary)', () => {
    const bytes = readFileSync(LEXICON_PATH);
    const forward = Lexicon.fromBytes(bytes, 'lexicon.bin', nodeCodec);
    const backward = Lexicon.fromBytes(bytes, 'lexicon.bin', nodeCodec);
    const n = forward.size;
    expect(n).toBeGreaterThan(100_000);
    const texts = Array.from({ length: n }, (_, w) => forward.text(w));
    for (let w = n - 1; w >= 0; w--) expect(backward.text(w)).toBe(texts[w]);
    // Asked again, interleaved with words that share table slots: still their own texts.
    for (let w = 0; w < n; w += 7) {
      expect(forward.text(w)).toBe(texts[w]);
      expect(forward.text((w * 31) % n)).toBe(texts[(w * 31) % n]);
    }
    expect(new Set(texts.slice(0, 5000)).size, 'texts differ from word to word').toBeGreaterThan(4000);
  });
});
