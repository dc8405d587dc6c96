/**
 * The data files shipped in the package, found relative to this module. Bundlers (Vite,
 * webpack 5, Rollup with an import-meta-assets plugin, Parcel) see the literal
 * `new URL('…', import.meta.url)` and copy the files into the build with a hashed name, so a
 * page needs no configuration to serve them. The URLs stay overridable in EngineInit.
 */
import type { EngineInit } from './protocol.ts';

/** URLs of the packaged lexicon, language model and the small model loaded before it. */
export function packagedDataUrls(): { readonly lexiconUrl: string; readonly modelUrl: string; readonly firstModelUrl: string } {
  return {
    lexiconUrl: new URL('../../dictionaries/lexicon.bin', import.meta.url).href,
    modelUrl: new URL('../../models/ngram.bin', import.meta.url).href,
    firstModelUrl: new URL('../../models/ngram-first.bin', import.meta.url).href,
  };
}

/**
 * `init` with the packaged URL for each data file it gives neither bytes nor a URL for. The
 * packaged language model loads in stages (the small first model, then the full one) unless
 * `init` names a model of its own.
 */
export function withPackagedData(init: EngineInit = {}): EngineInit {
  const needLexicon = !init.lexicon && !init.lexiconUrl;
  const needModel = !init.model && !init.modelUrl;
  if (!needLexicon && !needModel) return init;
  const packaged = packagedDataUrls();
  const staged = needModel && !init.firstModel && !init.firstModelUrl;
  return {
    ...init,
    ...(needLexicon ? { lexiconUrl: packaged.lexiconUrl } : {}),
    ...(needModel ? { modelUrl: packaged.modelUrl } : {}),
    ...(staged ? { firstModelUrl: packaged.firstModelUrl } : {}),
  };
}
