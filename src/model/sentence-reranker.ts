/**
 * A {@link Reranker} over a sentence model: each of the decoder's best K sentences gets a
 * score from the model (a bidirectional GRU over its characters, trained listwise on the
 * engine's own n-best lists by scripts/train_reranker.py), and the new order is by
 * `decoder cost − scale × score`. The network runs behind a {@link SentenceScorer} (ONNX
 * Runtime in src/model/onnx.ts, or anything computing the same function); this file reads
 * the model's metadata, encodes the sentences and keeps recent scores.
 */
import { syllableId } from '../pinyin/syllables.ts';
import { ImeError, ImeErrorCode } from '../util/errors.ts';
import { orderByCost, type Reranker, type RerankItem } from './reranker.ts';

/** Metadata key of the .onnx file holding {@link SentenceModelMetadata} as JSON. */
export const METADATA_KEY = 'hanzi-ime.reranker';
const FORMAT = 'char-sentence-listwise';
const VERSION = 1;

/** What the model file says about itself besides the graph. */
export interface SentenceModelMetadata {
  readonly format: string;
  readonly version: number;
  /** Ids of padding, unknown characters, sentence begin and end. */
  readonly specials: { readonly pad: number; readonly unknown: number; readonly begin: number; readonly end: number };
  /** The vocabulary: character i has id `4 + i` (the specials come first). */
  readonly chars: string;
  /** Weight of the model score (nats) against the decoder cost. */
  readonly scale: number;
  /** Sentences reranked (K). */
  readonly candidates: number;
  /** Longest sentence scored, in characters (longer ones are cut). */
  readonly maxLength: number;
}

/**
 * Computes the model's scores: `ids` holds `n` rows of `width` character ids (padded), `lens`
 * each row's length; the result holds one score per row (higher is better).
 */
export type SentenceScorer = (ids: Int32Array, lens: Int32Array, n: number, width: number) => Promise<Float32Array>;

/** Recent scores kept, by sentence text (a key typed and deleted, a page turned). */
const CACHE_SIZE = 512;

/** Parses and checks the metadata JSON; throws ImeError MODEL_FAILED naming `name`. */
export function parseSentenceModelMetadata(json: string | undefined, name: string): SentenceModelMetadata {
  const fail = (why: string): never => {
    throw new ImeError(ImeErrorCode.ModelFailed, `${name}: ${why}`);
  };
  if (json === undefined) return fail(`not a reranker model (no ${METADATA_KEY} metadata)`);
  let m: Partial<SentenceModelMetadata>;
  try {
    m = JSON.parse(json) as Partial<SentenceModelMetadata>;
  } catch (e) {
    throw new ImeError(ImeErrorCode.ModelFailed, `${name}: its metadata is not JSON`, { cause: e });
  }
  if (typeof m !== 'object' || m === null) return fail('its metadata is not an object');
  if (m.format !== FORMAT) return fail(`unknown model format ${JSON.stringify(m.format)} (want ${FORMAT})`);
  if (m.version !== VERSION) return fail(`model format version ${String(m.version)} is not supported (want ${VERSION})`);
  const s = m.specials;
  const ids = s ? [s.pad, s.unknown, s.begin, s.end] : [];
  if (ids.length !== 4 || !ids.every((i) => Number.isInteger(i) && i >= 0 && i < 4)) return fail('bad special ids');
  if (typeof m.chars !== 'string' || m.chars.length === 0) return fail('no vocabulary');
  if (typeof m.scale !== 'number' || !Number.isFinite(m.scale) || m.scale < 0) return fail('bad scale');
  if (!Number.isInteger(m.candidates) || m.candidates! < 2 || m.candidates! > 64) return fail('bad candidate count');
  if (!Number.isInteger(m.maxLength) || m.maxLength! < 1 || m.maxLength! > 256) return fail('bad maximum length');
  return m as SentenceModelMetadata;
}

/** True when a syllable before the last is not a whole syllable (an initial, `bjdx`). */
function abbreviated(item: RerankItem): boolean {
  const syllables = item.words.flatMap((w) => w.reading.split("'"));
  return syllables.some((s, i) => i < syllables.length - 1 && syllableId(s) < 0);
}

/** Reranks with the sentence model. */
export class SentenceReranker implements Reranker {
  readonly candidates: number;
  /** Weight of the model score against the decoder cost (0 keeps the decoder's order). */
  scale: number;
  private readonly ids = new Map<string, number>();
  private readonly cache = new Map<string, number>();

  constructor(
    readonly metadata: SentenceModelMetadata,
    private readonly scorer: SentenceScorer,
    private readonly release: () => Promise<void> = async () => {},
  ) {
    this.candidates = metadata.candidates;
    this.scale = metadata.scale;
    let id = 4;
    for (const ch of metadata.chars) this.ids.set(ch, id++);
  }

  /** The model's view of a text: begin, character ids (unknown for the rest), end. */
  encode(text: string): number[] {
    const { unknown, begin, end } = this.metadata.specials;
    const chars = [...text].slice(0, this.metadata.maxLength);
    return [begin, ...chars.map((ch) => this.ids.get(ch) ?? unknown), end];
  }

  /**
   * The new order of `items`: decoder cost − scale × model score, equal values keeping the
   * decoder's order. The model scores a sentence alone (`context` is not used). Input read
   * with abbreviated syllables (`bjdx`: initials before the last syllable) keeps the decoder's
   * order: the model learned from whole syllables, and there it lowered top-1 (dev-abbr-news
   * 18.1 → 15.5).
   */
  async rerank(items: readonly RerankItem[], _context: string): Promise<number[]> {
    if (items.length < 2 || this.scale === 0 || abbreviated(items[0]!)) return items.map((_, i) => i);
    const scores = await this.scores(items.map((it) => it.text));
    return orderByCost(items.map((it, i) => it.cost - this.scale * scores[i]!));
  }

  /** The model's score of each text (higher is better); one model run for those not cached. */
  async scores(texts: readonly string[]): Promise<Float64Array> {
    const out = new Float64Array(texts.length);
    const todo: string[] = [];
    for (const t of texts) if (!this.cache.has(t) && !todo.includes(t)) todo.push(t);
    if (todo.length > 0) {
      const rows = todo.map((t) => this.encode(t));
      const width = Math.max(...rows.map((r) => r.length));
      const ids = new Int32Array(rows.length * width).fill(this.metadata.specials.pad);
      const lens = new Int32Array(rows.length);
      rows.forEach((r, i) => {
        ids.set(r, i * width);
        lens[i] = r.length;
      });
      const scored = await this.scorer(ids, lens, rows.length, width);
      if (scored.length !== rows.length) {
        throw new ImeError(ImeErrorCode.ModelFailed, `the model gave ${scored.length} scores for ${rows.length} sentences`);
      }
      todo.forEach((t, i) => this.remember(t, scored[i]!));
    }
    texts.forEach((t, i) => {
      out[i] = this.cache.get(t)!;
    });
    return out;
  }

  async dispose(): Promise<void> {
    this.cache.clear();
    await this.release();
  }

  private remember(text: string, score: number): void {
    if (!Number.isFinite(score)) throw new ImeError(ImeErrorCode.ModelFailed, 'the model gave a score that is not a number');
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(text, score);
  }
}
