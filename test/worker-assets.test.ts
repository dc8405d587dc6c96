import { describe, expect, it, vi } from 'vitest';
import { loadAsset, resolveAssetUrl, type AssetPolicy, type FetchFunction } from '../src/engine/assets.ts';
import { ImeErrorCode, isImeError } from '../src/util/errors.ts';

const PAGE = 'https://chat.example.org/app/index.html';

const allowedCases: [string, AssetPolicy, string][] = [
  ['data/lexicon.bin', { base: PAGE }, 'https://chat.example.org/app/data/lexicon.bin'],
  ['/models/ngram.bin', { base: PAGE }, 'https://chat.example.org/models/ngram.bin'],
  ['https://chat.example.org/x.bin', { base: PAGE }, 'https://chat.example.org/x.bin'],
  ['https://static.example.net/ime/lexicon.bin', { base: PAGE, allowed: ['https://static.example.net/ime/'] }, 'https://static.example.net/ime/lexicon.bin'],
  ['https://static.example.net/ime/a/b.bin', { base: PAGE, allowed: ['https://static.example.net/ime'] }, 'https://static.example.net/ime/a/b.bin'],
  ['https://static.example.net/any.bin', { allowed: ['https://static.example.net'] }, 'https://static.example.net/any.bin'],
];

const refusedCases: [string, AssetPolicy][] = [
  ['https://evil.example.com/lexicon.bin', { base: PAGE }],
  ['http://chat.example.org/x.bin', { base: PAGE }], // other scheme, other origin
  ['https://chat.example.org:8443/x.bin', { base: PAGE }], // other port
  ['https://static.example.net/imevil/x.bin', { base: PAGE, allowed: ['https://static.example.net/ime'] }],
  ['https://static.example.net/other/x.bin', { base: PAGE, allowed: ['https://static.example.net/ime/'] }],
  ['https://static.example.net/ime/../secret.bin', { base: PAGE, allowed: ['https://static.example.net/ime/'] }],
  ['https://static.example.net.evil.com/ime/x.bin', { base: PAGE, allowed: ['https://static.example.net/'] }],
  ['data:application/octet-stream;base64,AAAA', { base: PAGE }],
  ['javascript:alert(1)', { base: PAGE }],
  ['file:///etc/passwd', { base: 'file:///app/index.html' }],
  ['https://user:pw@chat.example.org/x.bin', { base: PAGE }],
  ['lexicon.bin', {}], // relative, and Node has no location to resolve against
  ['https://chat.example.org/x.bin', {}], // no base: no origin is "own"
];

describe('asset URL policy', () => {
  it.each(allowedCases)('allows %s', (url, policy, expected) => {
    expect(resolveAssetUrl(url, policy).href).toBe(expected);
  });

  it.each(refusedCases)('refuses %s', (url, policy) => {
    let error: unknown;
    try {
      resolveAssetUrl(url, policy);
    } catch (e) {
      error = e;
    }
    expect(isImeError(error, ImeErrorCode.AssetRefused)).toBe(true);
  });
});

describe('loadAsset', () => {
  const ok = (bytes: number[]): FetchFunction => vi.fn(async () => new Response(new Uint8Array(bytes)));

  it('returns the bytes of an allowed URL, fetched without redirects or cross-origin credentials', async () => {
    const fetchFn = ok([1, 2, 3]);
    const bytes = await loadAsset('data/lexicon.bin', { base: PAGE }, fetchFn);
    expect([...bytes]).toEqual([1, 2, 3]);
    expect(fetchFn).toHaveBeenCalledWith('https://chat.example.org/app/data/lexicon.bin', expect.objectContaining({ redirect: 'error', credentials: 'same-origin' }));
  });

  it('never calls fetch for a refused URL', async () => {
    const fetchFn = ok([1]);
    await expect(loadAsset('https://tracker.example.com/x', { base: PAGE }, fetchFn)).rejects.toMatchObject({ code: ImeErrorCode.AssetRefused });
    expect(fetchFn).not.toHaveBeenCalled();
  });

  it('reports HTTP errors and network failures as ASSET_UNAVAILABLE', async () => {
    const notFound: FetchFunction = async () => new Response('no', { status: 404 });
    await expect(loadAsset('x.bin', { base: PAGE }, notFound)).rejects.toMatchObject({ code: ImeErrorCode.AssetUnavailable, message: expect.stringContaining('404') });
    const offline: FetchFunction = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(loadAsset('x.bin', { base: PAGE }, offline)).rejects.toMatchObject({ code: ImeErrorCode.AssetUnavailable });
  });
});
