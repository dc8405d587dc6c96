import { describe, expect, it } from 'vitest';
import { JsonScanError, scanJsonObject } from '../src/user/json-scan.ts';

/** What the pieces rebuild: scalars as they are, arrays from their elements. */
function rebuild(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of scanJsonObject(text)) {
    if (p.kind === 'value') out[p.key] = p.value;
    else if (p.kind === 'array') out[p.key] = [];
    else (out[p.key] as unknown[]).push(p.value);
  }
  return out;
}

describe('scanJsonObject (import read piece by piece)', () => {
  it.each([
    '{}',
    ' { "a" : 1 , "b":[ ] }',
    '{"format":"x","tick":3,"units":[{"text":"你\\"好]","w":1e-3,"parts":[{"a":[1,2]}]},{"text":"}{"}],"pairs":[1,"s",null,true,[[]]],"o":{"k":[1]}}',
  ])('gives back what JSON.parse gives for %s', (text) => {
    expect(rebuild(text)).toEqual(JSON.parse(text));
  });

  it.each(['', '[]', '{', '{"a":}', '{"a":[1,}', '{"a":"x}', '{"a":1} x', '{"a":[1 2]}', '{a:1}', '{"a":tru}'])(
    'refuses %j, which is not a JSON object',
    (text) => {
      expect(() => rebuild(text)).toThrow(JsonScanError);
    },
  );
});
