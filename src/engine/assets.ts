/**
 * The one place in src/ that reads from the network: the engine's data files (lexicon,
 * n-gram model, reranker), fetched only from the page's own origin or from URL prefixes the
 * embedding page configured explicitly. Anything else is refused before a request is made,
 * so no keystroke-dependent or third-party request can start from here. Redirects are
 * refused too (a same-origin URL must not bounce to another host).
 */
import { ImeError, ImeErrorCode, isImeError } from '../util/errors.ts';

/** Which URLs may be fetched. */
export interface AssetPolicy {
  /**
   * URL that relative asset URLs resolve against; its origin is the one allowed. Default:
   * the location of the page or worker (none in Node, where only `allowed` applies).
   */
  readonly base?: string;
  /**
   * Further allowed URL prefixes, each an absolute http(s) URL (e.g. a CDN folder the site
   * owner chose: `https://static.example.com/ime/`). A prefix without a path allows its
   * whole origin.
   */
  readonly allowed?: readonly string[];
  /**
   * How long a download may go without progress (no response yet, or no new bytes) before it
   * fails with ASSET_UNAVAILABLE. Default {@link ASSET_IDLE_TIMEOUT_MS}.
   */
  readonly idleTimeoutMs?: number;
}

/** Default of {@link AssetPolicy.idleTimeoutMs}: a server silent this long is taken as gone. */
export const ASSET_IDLE_TIMEOUT_MS = 30_000;

/** The subset of `fetch` the loader uses (injectable for tests). */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

function defaultBase(): string | undefined {
  const loc = (globalThis as { location?: { href?: string } }).location;
  return typeof loc?.href === 'string' ? loc.href : undefined;
}

const refuse = (url: string, why: string) => new ImeError(ImeErrorCode.AssetRefused, `refused to fetch ${url}: ${why}`);

function parse(url: string, base?: string): URL | undefined {
  try {
    return new URL(url, base);
  } catch {
    return undefined;
  }
}

/**
 * Resolves `url` under `policy` and returns it, or throws {@link ImeError} ASSET_REFUSED when
 * it is neither same-origin nor under a configured prefix.
 */
export function resolveAssetUrl(url: string, policy: AssetPolicy = {}): URL {
  const base = policy.base ?? defaultBase();
  const target = parse(url, base);
  if (!target) throw refuse(url, base ? 'not a URL' : 'not an absolute URL and no base location');
  if (target.protocol !== 'https:' && target.protocol !== 'http:') throw refuse(url, `scheme ${target.protocol} not allowed`);
  if (target.username || target.password) throw refuse(url, 'credentials in URL');
  const origin = base ? parse(base) : undefined;
  if (origin && (origin.protocol === 'https:' || origin.protocol === 'http:') && origin.origin === target.origin) return target;
  for (const prefix of policy.allowed ?? []) {
    const p = parse(prefix);
    if (!p || (p.protocol !== 'https:' && p.protocol !== 'http:')) throw refuse(url, `bad allowed prefix ${prefix}`);
    const folder = p.pathname.endsWith('/') ? p.pathname : `${p.pathname}/`;
    const under = target.pathname === p.pathname || target.pathname.startsWith(folder);
    if (p.origin === target.origin && under && !p.search && !p.hash) return target;
  }
  throw refuse(url, 'not same-origin and not under a configured prefix');
}

/**
 * Fetches an asset allowed by `policy` and returns its bytes. Throws {@link ImeError}
 * ASSET_REFUSED (policy) or ASSET_UNAVAILABLE (network error, HTTP error, redirect, or no
 * progress for {@link AssetPolicy.idleTimeoutMs}).
 */
export async function loadAsset(url: string, policy: AssetPolicy = {}, fetchFn?: FetchFunction): Promise<Uint8Array> {
  const target = resolveAssetUrl(url, policy);
  const get: FetchFunction = fetchFn ?? ((u, init) => fetch(u, init));
  const idle = idleWatch(policy.idleTimeoutMs ?? ASSET_IDLE_TIMEOUT_MS, target.href);
  try {
    let response: Response;
    try {
      response = await idle.race(
        get(target.href, { credentials: 'same-origin', redirect: 'error', referrerPolicy: 'no-referrer', signal: idle.signal }),
      );
    } catch (e) {
      throw isImeError(e) ? e : new ImeError(ImeErrorCode.AssetUnavailable, `could not fetch ${target.href}: ${String(e)}`, { cause: e });
    }
    if (!response.ok) throw new ImeError(ImeErrorCode.AssetUnavailable, `could not fetch ${target.href}: HTTP ${response.status}`);
    try {
      return await readBody(response, idle);
    } catch (e) {
      throw isImeError(e) ? e : new ImeError(ImeErrorCode.AssetUnavailable, `could not read ${target.href}: ${String(e)}`, { cause: e });
    }
  } finally {
    idle.stop();
  }
}

/** A timer that fails the download after `ms` without progress; `race` restarts it. */
interface IdleWatch {
  readonly signal: AbortSignal;
  race<T>(step: Promise<T>): Promise<T>;
  stop(): void;
}

function idleWatch(ms: number, href: string): IdleWatch {
  const controller = new AbortController();
  const error = new ImeError(ImeErrorCode.AssetUnavailable, `could not fetch ${href}: no answer for ${ms} ms`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let fail: ((e: ImeError) => void) | undefined;
  const expired = new Promise<never>((_, reject) => (fail = reject));
  expired.catch(() => undefined);
  return {
    signal: controller.signal,
    race(step) {
      clearTimeout(timer);
      timer = setTimeout(() => {
        fail?.(error);
        controller.abort(error);
      }, ms);
      return Promise.race([step, expired]);
    },
    stop: () => clearTimeout(timer),
  };
}

/** The body's bytes, read chunk by chunk so that a stalled download times out. */
async function readBody(response: Response, idle: IdleWatch): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(await idle.race(response.arrayBuffer()));
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await idle.race(reader.read());
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
  }
  if (chunks.length === 1 && chunks[0]!.byteOffset === 0 && chunks[0]!.byteLength === chunks[0]!.buffer.byteLength) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
