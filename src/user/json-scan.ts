/**
 * Reads a JSON object piece by piece: its scalar properties whole, its array properties one
 * element at a time, so a large history export can be taken in with turns of the event loop
 * in between (one `JSON.parse` of 26 MB holds a worker up for ~0.4 s). Each piece is parsed
 * with `JSON.parse`, so what is accepted is exactly JSON.
 */
import { ImeError, ImeErrorCode } from '../util/errors.ts';

/** One piece of the top-level object. */
export type JsonPiece =
  /** A property whose value is not an array. */
  | { readonly kind: 'value'; readonly key: string; readonly value: unknown }
  /** One element of an array property, in order. */
  | { readonly kind: 'element'; readonly key: string; readonly value: unknown }
  /** An array property was opened (also sent for an empty array). */
  | { readonly kind: 'array'; readonly key: string };

/** Thrown for text that is not a JSON object (an {@link ImeError} with code INVALID_ARGUMENT). */
export class JsonScanError extends ImeError {
  constructor(message: string) {
    super(ImeErrorCode.InvalidArgument, message);
    this.name = 'JsonScanError';
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * The pieces of the JSON object `text`, in order. Throws {@link JsonScanError} (possibly after
 * some pieces were yielded) when `text` is not one JSON object.
 */
export function* scanJsonObject(text: string): Generator<JsonPiece, void, undefined> {
  let i = 0;
  const n = text.length;
  const fail = (why: string): never => {
    throw new JsonScanError(`${why} at offset ${i}`);
  };
  const skipSpace = () => {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
  };
  const expect = (ch: string) => {
    skipSpace();
    if (text[i] !== ch) fail(`expected '${ch}'`);
    i++;
  };
  /** The end (exclusive) of the string starting at `from` (a quote). */
  const stringEnd = (from: number): number => {
    let j = from + 1;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === BACKSLASH) j += 2;
      else if (c === QUOTE) return j + 1;
      else j++;
    }
    i = j;
    return fail('unterminated string');
  };
  /** The end (exclusive) of the value starting at `from`. */
  const valueEnd = (from: number): number => {
    const c = text[from];
    if (c === '"') return stringEnd(from);
    if (c === '{' || c === '[') {
      let depth = 0;
      let j = from;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === QUOTE) {
          j = stringEnd(j);
          continue;
        }
        if (d === 0x7b || d === 0x5b) depth++;
        else if (d === 0x7d || d === 0x5d) {
          depth--;
          if (depth === 0) return j + 1;
        }
        j++;
      }
      i = j;
      return fail('unterminated value');
    }
    let j = from;
    while (j < n && !',}] \n\r\t'.includes(text[j]!)) j++;
    return j;
  };
  const parse = (from: number, to: number): unknown => {
    try {
      return JSON.parse(text.slice(from, to));
    } catch {
      i = from;
      return fail('bad value');
    }
  };

  expect('{');
  skipSpace();
  if (text[i] === '}') {
    i++;
  } else {
    for (;;) {
      skipSpace();
      if (text[i] !== '"') fail('expected a key');
      const keyEnd = stringEnd(i);
      const key = parse(i, keyEnd) as string;
      i = keyEnd;
      expect(':');
      skipSpace();
      if (text[i] === '[') {
        i++;
        yield { kind: 'array', key };
        skipSpace();
        if (text[i] === ']') i++;
        else {
          for (;;) {
            skipSpace();
            const end = valueEnd(i);
            const value = parse(i, end);
            i = end;
            yield { kind: 'element', key, value };
            skipSpace();
            if (text[i] === ',') i++;
            else if (text[i] === ']') {
              i++;
              break;
            } else fail("expected ',' or ']'");
          }
        }
      } else {
        const end = valueEnd(i);
        const value = parse(i, end);
        i = end;
        yield { kind: 'value', key, value };
      }
      skipSpace();
      if (text[i] === ',') i++;
      else if (text[i] === '}') {
        i++;
        break;
      } else fail("expected ',' or '}'");
    }
  }
  skipSpace();
  if (i !== n) fail('text after the object');
}
