/**
 * Errors across the worker boundary. comlink sends a thrown Error as name, message and stack
 * only, so an {@link ImeError}'s code would be lost: the worker throws a plain
 * {@link WireError} object instead (comlink clones it as is), and the client turns it back
 * into an ImeError with the same code.
 */
import { ImeError, ImeErrorCode } from '../util/errors.ts';
import type { WireError } from './protocol.ts';

const WIRE_NAME = 'ImeError';
const CODES = new Set<string>(Object.values(ImeErrorCode));

/** What the worker throws for `e`: a WireError for an ImeError, else `e` unchanged. */
export function toWireError(e: unknown): unknown {
  if (e instanceof ImeError) return { name: WIRE_NAME, code: e.code, message: e.message } satisfies WireError & { name: string };
  return e;
}

/** What the client rethrows for something the worker threw: an ImeError for a WireError. */
export function fromWireError(e: unknown): unknown {
  if (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === WIRE_NAME) {
    const { code, message } = e as Partial<WireError>;
    if (typeof code === 'string' && CODES.has(code) && typeof message === 'string') {
      return new ImeError(code as ImeErrorCode, message);
    }
  }
  return e;
}

/** Calls `run`, rethrowing what it throws as {@link toWireError} gives it. */
export async function throwingWireErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw toWireError(e);
  }
}
