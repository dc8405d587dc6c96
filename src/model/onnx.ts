/**
 * Runs the reranking model with ONNX Runtime Web on its WebAssembly backend. The only file
 * that imports onnxruntime-web.
 *
 * In a browser the runtime's .wasm file comes from our own origin: from `wasmPaths` when
 * given (a same-origin path; the caller checks it, see src/worker/), else from next to the
 * bundled runtime script, which the bundler emits with the page. Never from a CDN. One
 * thread, no proxy worker, and one inference at a time.
 */
import * as ort from 'onnxruntime-web/wasm';
import { ImeError, ImeErrorCode } from '../util/errors.ts';
import { METADATA_KEY, parseSentenceModelMetadata, SentenceReranker, type SentenceScorer } from './sentence-reranker.ts';
import { readOnnxMetadata } from './onnx-format.ts';

/** Where and how the runtime runs. */
export interface OnnxOptions {
  /** Same-origin URL prefix (ending in /) holding ort-wasm-simd-threaded.{mjs,wasm}. */
  readonly wasmPaths?: string;
  /** Name used in error messages. */
  readonly name?: string;
  /** Overrides the weight stored in the model (tuning). */
  readonly scale?: number;
  /** Overrides the number of sentences reranked (tuning). */
  readonly candidates?: number;
}

let configured = false;

function configure(options: OnnxOptions): void {
  if (options.wasmPaths !== undefined) ort.env.wasm.wasmPaths = options.wasmPaths;
  if (configured) return;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  configured = true;
}

/** Serialises calls: the next starts when the previous has settled. */
function oneAtATime<A extends unknown[], R>(run: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  let last: Promise<unknown> = Promise.resolve();
  return (...args: A) => {
    const next = last.then(() => run(...args));
    last = next.catch(() => undefined);
    return next;
  };
}

/**
 * Loads a reranker model (.onnx bytes written by scripts/train_reranker.py) and returns a
 * ready {@link SentenceReranker}. Throws {@link ImeError} MODEL_FAILED when the bytes are not
 * such a model or the runtime cannot start.
 */
export async function loadOnnxReranker(bytes: Uint8Array, options: OnnxOptions = {}): Promise<SentenceReranker> {
  const name = options.name ?? 'reranker.onnx';
  let json: string | undefined;
  try {
    json = readOnnxMetadata(bytes)[METADATA_KEY];
  } catch (e) {
    throw new ImeError(ImeErrorCode.ModelFailed, `${name}: not an ONNX model file`, { cause: e });
  }
  const stored = parseSentenceModelMetadata(json, name);
  const metadata = {
    ...stored,
    scale: options.scale ?? stored.scale,
    candidates: options.candidates ?? stored.candidates,
  };
  configure(options);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  } catch (e) {
    throw new ImeError(ImeErrorCode.ModelFailed, `${name}: the runtime could not load it: ${String(e)}`, { cause: e });
  }
  const score: SentenceScorer = oneAtATime(async (ids, lens, n, width) => {
    const feeds = {
      ids: new ort.Tensor('int32', ids, [n, width]),
      lens: new ort.Tensor('int32', lens, [n]),
    };
    try {
      const out = await session.run(feeds);
      return out.scores!.data as Float32Array;
    } catch (e) {
      throw new ImeError(ImeErrorCode.ModelFailed, `${name}: inference failed: ${String(e)}`, { cause: e });
    } finally {
      for (const t of Object.values(feeds)) t.dispose();
    }
  });
  const reranker = new SentenceReranker(metadata, score, oneAtATime(() => session.release()));
  // The first run sets the runtime up (tens of ms); do it now rather than on the first key.
  const warm = reranker.encode('你好');
  await score(Int32Array.from(warm), Int32Array.of(warm.length), 1, warm.length);
  return reranker;
}
