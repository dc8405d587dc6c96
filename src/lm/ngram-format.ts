/** Magic and version of the compact n-gram file. Layout: src/lm/FORMAT.md. */
export const NGRAM_MAGIC = 'HZLM';
export const NGRAM_VERSION = 4;

/** Contents of the `meta` section. */
export interface NGramMeta {
  vocabularySize: number;
  unigrams: number;
  bigrams: number;
  trigrams: number;
  /** Bigrams that have trigram continuations (the only ones with a stored back-off weight). */
  historyBigrams: number;
  /** Lengths of the gap-coded id streams `bw2` and `tw3` in bytes. */
  bigramIdBytes: number;
  trigramIdBytes: number;
  /** Bits of a bigram cost level, a trigram cost level and a back-off level (1–8). */
  bigramCostBits: number;
  trigramCostBits: number;
  backoffBits: number;
  /** Unigram costs and back-offs are `base + step · n` for a 16-bit n (see FORMAT.md). */
  unigramStep: number;
  unigramCostBase: number;
  unigramBackoffBase: number;
  /** Level of the `qbbow` codebook that is exactly 0 (back-off weight 1). */
  zeroBackoffLevel: number;
  /** Word id of the sentence boundary (begin and end). */
  boundaryId: number;
  /** Where the model came from, for people reading the file. */
  source: string;
}
