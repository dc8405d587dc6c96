import { ImeError, ImeErrorCode } from '../util/errors.ts';

/**
 * Traditional-character targets (OpenCC's): `t` OpenCC's standard traditional characters,
 * `tw` Taiwan, `twp` Taiwan with Taiwanese phrases (软件 → 軟體), `hk` Hong Kong.
 */
export const TRADITIONAL_VARIANTS = ['t', 'tw', 'twp', 'hk'] as const;
export type TraditionalVariant = (typeof TRADITIONAL_VARIANTS)[number];

/** Converts output text (simplified as decoded) to another script. */
export type TextConverter = (text: string) => string;

/** Conversions remembered per converter: candidate texts repeat from one key to the next. */
const MEMO_SIZE = 4096;

const loading = new Map<TraditionalVariant, Promise<TextConverter>>();

/**
 * The simplified → traditional converter for `variant`, from opencc-js (phrase-aware, so
 * 头发 becomes 頭髮 and 发展 發展). The library and its tables (about 1 MB) load on the first
 * call only, through a dynamic import that bundlers split off, so the engine core stays small;
 * building the tables takes a second or two once. Throws {@link ImeError} (`INVALID_ARGUMENT`)
 * for an unknown variant, (`ASSET_UNAVAILABLE`) when the library cannot be loaded.
 */
export function loadTraditionalConverter(variant: TraditionalVariant = 't'): Promise<TextConverter> {
  if (!(TRADITIONAL_VARIANTS as readonly string[]).includes(variant)) {
    return Promise.reject(
      new ImeError(ImeErrorCode.InvalidArgument, `unknown traditional variant "${String(variant)}" (known: ${TRADITIONAL_VARIANTS.join(', ')})`),
    );
  }
  let pending = loading.get(variant);
  if (!pending) {
    pending = import('opencc-js/cn2t').then(
      (opencc) => remembering(opencc.Converter({ from: 'cn', to: variant })),
      (cause: unknown) => {
        loading.delete(variant);
        throw new ImeError(ImeErrorCode.AssetUnavailable, 'traditional output: opencc-js could not be loaded', { cause });
      },
    );
    loading.set(variant, pending);
  }
  return pending;
}

/** Wraps a converter with a bounded memo of recent conversions. */
function remembering(convert: TextConverter): TextConverter {
  const memo = new Map<string, string>();
  return (text) => {
    let out = memo.get(text);
    if (out === undefined) {
      out = convert(text);
      if (memo.size >= MEMO_SIZE) memo.clear();
      memo.set(text, out);
    }
    return out;
  };
}
