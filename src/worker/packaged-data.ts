/**
 * The data files shipped in the package, found relative to this module. Bundlers (Vite,
 * webpack 5, Rollup with an import-meta-assets plugin, Parcel) see the literal
 * `new URL('…', import.meta.url)` and copy the files into the build with a hashed name, so a
 * page needs no configuration to serve them. The URLs stay overridable in EngineInit.
 */
import type { EngineInit } from './protocol.ts';

/** URLs of the packaged lexicon and language model. */
export function packagedDataUrls(): { readonly lexiconUrl: string; readonly modelUrl: string } {
  return {
    lexiconUrl: new URL('../../dictionaries/lexicon.bin', import.meta.url).href,
    modelUrl: new URL('../../models/ngram.bin', import.meta.url).href,
  };
}

/** `init` with the packaged URL for each data file it gives neither bytes nor a URL for. */
export function withPackagedData(init: EngineInit = {}): EngineInit {
  const needLexicon = !init.lexicon && !init.lexiconUrl;
  const needModel = !init.model && !init.modelUrl;
  if (!needLexicon && !needModel) return init;
  const packaged = packagedDataUrls();
  return {
    ...init,
    ...(needLexicon ? { lexiconUrl: packaged.lexiconUrl } : {}),
    ...(needModel ? { modelUrl: packaged.modelUrl } : {}),
  };
}
