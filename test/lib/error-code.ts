import { isImeError, type ImeErrorCode } from '../../src/util/errors.ts';

/**
 * The code of the ImeError `run` throws, or undefined when it throws nothing. Any other
 * error is thrown on, so a test expecting a code fails on it.
 */
export function codeOf(run: () => unknown): ImeErrorCode | undefined {
  try {
    run();
  } catch (e) {
    if (isImeError(e)) return e.code;
    throw e;
  }
  return undefined;
}
