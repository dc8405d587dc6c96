import { readFileSync } from 'node:fs';
import { createEngine, type Engine } from '../../src/engine/engine.ts';
import { ROOT } from './node-engine.ts';
import type { Session } from '../../src/engine/session.ts';
import { withLearnedHistory } from './learn-from.ts';
import { parseFuzzyPairs, type FuzzyPair } from '../../src/pinyin/fuzzy.ts';
import { INPUT_SCHEMES, isInputScheme, type InputScheme } from '../../src/pinyin/input-options.ts';

/** Options of the batch command line. */
export interface BatchArgs {
  incremental: boolean;
  /** `--scheme NAME`: input lines are keys of this scheme (default full pinyin). */
  scheme: InputScheme;
  /** `--fuzzy z-zh,c-ch,…`: fuzzy pairs switched on. */
  fuzzy: FuzzyPair[];
  /** `--typo`: typo tolerance on. */
  typo: boolean;
  /** `--learn-from FILE`: first learn every clause of FILE (../shared/eval format) as user history. */
  learnFrom?: string;
  /**
   * `--model none|default|PATH`: the n-gram alone, the shipped reranker (models/reranker.onnx)
   * or the model at PATH. Without the flag: {@link DEFAULT_BATCH_MODEL}.
   */
  model: string;
}

/** The reranker used when no `--model` is given. */
export const DEFAULT_BATCH_MODEL = 'default';

/** Parses batch flags; an unknown or malformed flag is an error on stderr and exit code 2. */
export function parseBatchArgs(argv: readonly string[]): BatchArgs {
  const args: BatchArgs = { incremental: false, scheme: 'quanpin', fuzzy: [], typo: false, model: DEFAULT_BATCH_MODEL };
  const fail = (message: string): never => {
    process.stderr.write(`batch: ${message}\n`);
    process.exit(2);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i] ?? fail(`${flag} needs a value`);
    if (flag === '--incremental') args.incremental = true;
    else if (flag === '--typo') args.typo = true;
    else if (flag === '--learn-from') args.learnFrom = value();
    else if (flag === '--model') args.model = value();
    else if (flag === '--scheme') {
      const name = value();
      if (!isInputScheme(name)) fail(`unknown scheme ${name} (known: ${INPUT_SCHEMES.join(', ')})`);
      args.scheme = name as InputScheme;
    } else if (flag === '--fuzzy') {
      try {
        args.fuzzy = parseFuzzyPairs(value());
      } catch (e) {
        fail((e as Error).message);
      }
    } else fail(`unknown option ${a}`);
  }
  return args;
}

/** Applies the options to the engine and returns the session the lines are typed into. */
export async function setupBatchEngine(engine: Engine, args: BatchArgs): Promise<Session> {
  const sessionOptions = { scheme: args.scheme, fuzzy: args.fuzzy, typoTolerance: args.typo };
  if (args.model !== 'none') {
    const path = args.model === 'default' ? `${ROOT}models/reranker.onnx` : args.model;
    // Imported here so runs without a model never load the ONNX runtime.
    const { loadOnnxReranker } = await import('../../src/model/onnx.ts');
    const reranker = await (async () => loadOnnxReranker(readFileSync(path), { name: path }))().catch((e: unknown) => {
      process.stderr.write(`batch: --model ${args.model}: ${(e as Error).message}\n`);
      process.exit(2);
    });
    engine = createEngine({ lexicon: engine.lexicon, model: engine.baseModel }, { ...engine.options, reranker });
  }
  if (args.learnFrom) {
    const file = args.learnFrom;
    try {
      engine = withLearnedHistory(engine, file, sessionOptions);
    } catch (e) {
      process.stderr.write(`batch: --learn-from ${file}: ${fileErrorMessage(e)}\n`);
      process.exit(2);
    }
  }
  return engine.createSession(sessionOptions);
}

/** One line saying why a file could not be used (no stack trace): "no such file", or the error's message. */
export function fileErrorMessage(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not a file';
  return e instanceof Error ? e.message : String(e);
}
