/** Error codes raised by the engine. Stable strings: callers may switch on them. */
export const ImeErrorCode = {
  /** A data file is shorter than its header says. */
  Truncated: 'DATA_TRUNCATED',
  /** A data file does not start with the expected magic bytes. */
  BadMagic: 'DATA_BAD_MAGIC',
  /** A data file was written by a newer (or unknown) format version. */
  UnsupportedVersion: 'DATA_UNSUPPORTED_VERSION',
  /** A data file's checksum does not match its content. */
  ChecksumMismatch: 'DATA_CHECKSUM_MISMATCH',
  /** A data file is structurally inconsistent (missing section, bad counts). */
  Corrupt: 'DATA_CORRUPT',
  /** An argument is out of range or of the wrong kind. */
  InvalidArgument: 'INVALID_ARGUMENT',
  /** An asset URL was refused by the privacy policy (not same-origin, not configured). */
  AssetRefused: 'ASSET_REFUSED',
  /** An asset could not be read. */
  AssetUnavailable: 'ASSET_UNAVAILABLE',
  /** The optional reranking model failed to load or run. */
  ModelFailed: 'MODEL_FAILED',
  /** The engine did not answer in time, or its worker died (the client restarts it). */
  EngineUnavailable: 'ENGINE_UNAVAILABLE',
} as const;

/** One of the {@link ImeErrorCode} values. */
export type ImeErrorCode = (typeof ImeErrorCode)[keyof typeof ImeErrorCode];

/** The one error type the engine throws; `code` says what went wrong. */
export class ImeError extends Error {
  readonly code: ImeErrorCode;

  constructor(code: ImeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImeError';
    this.code = code;
  }
}

/** True when `e` is an {@link ImeError}, optionally with the given code. */
export function isImeError(e: unknown, code?: ImeErrorCode): e is ImeError {
  return e instanceof ImeError && (code === undefined || e.code === code);
}
