/**
 * The keyboard's work in the order it came: keys, taps on candidates, page turns and mode
 * switches, handled one at a time (each may wait for an engine answer). Pure: no DOM, no
 * engine; the keyboard says how a job runs and when the queue may start.
 */
import { keyAction, type InputMode, type KeyInput } from './key-action.ts';

/**
 * When a key arrived (the keydown's timeStamp). Nothing else is done at keydown: asking for a
 * frame there (e.g. a requestAnimationFrame to note the next frame's time) makes the browser
 * start that frame while the engine's answer is on its way from the worker; the answer then
 * waits for the frame's main-thread work and misses it, so the candidates come a frame late.
 */
export interface KeyStamp {
  readonly time: number;
}

/** One piece of the keyboard's work. */
export type Job =
  /** A key: `held` when the keyboard kept it from the browser, `virtual` when tapped on screen. */
  | { readonly kind: 'key'; readonly input: KeyInput; readonly held: boolean; readonly virtual: boolean; readonly at: KeyStamp }
  /** A tap or click on candidate slot `slot` of the shown page. */
  | { readonly kind: 'pick'; readonly slot: number; readonly at: KeyStamp }
  | { readonly kind: 'page'; readonly delta: 1 | -1; readonly at: KeyStamp }
  | { readonly kind: 'mode'; readonly mode: InputMode }
  | { readonly kind: 'incognito'; readonly incognito: boolean }
  /**
   * The engine answers again after an outage: hand it what was composed meanwhile. `committed`:
   * text it committed for the request the keyboard had given up on (its answer came late).
   */
  | { readonly kind: 'resync'; readonly committed?: string };

/** How the queue runs its jobs. */
export interface KeyQueueHooks {
  /** Runs one job; the next starts once it has finished. */
  run(job: Job): Promise<void> | void;
  /**
   * Whether jobs may run now: `true`, or a promise of it (e.g. the engine starting). When it
   * comes out false the queue stops draining; the jobs stay queued (see {@link KeyQueue.clear}).
   */
  ready?(): true | Promise<boolean>;
  /** Called after a job was queued, before it runs. */
  queued?(): void;
}

/** The jobs of one keyboard, run one at a time in order. */
export class KeyQueue {
  private readonly jobs: Job[] = [];
  private current: Job | undefined;
  private draining = false;
  private stopped = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly hooks: KeyQueueHooks) {}

  /** True while a job runs or waits. */
  get busy(): boolean {
    return this.draining || this.jobs.length > 0;
  }

  /** The jobs waiting, in order (the running one not included). */
  get queued(): readonly Job[] {
    return this.jobs;
  }

  /** The running job (if any), then the ones waiting. */
  get pending(): readonly Job[] {
    return this.current ? [this.current, ...this.jobs] : this.jobs;
  }

  /** Queues `job` and runs the queue unless it is already running. Does nothing once stopped. */
  push(job: Job): void {
    if (this.stopped) return;
    this.jobs.push(job);
    this.hooks.queued?.();
    void this.drain();
  }

  /**
   * Takes the keys waiting right behind the running job that compose under `mode` (letters
   * typed while the last answer was on its way): their letters, and when each arrived.
   */
  takeLetters(mode: InputMode): { letters: string; stamps: KeyStamp[] } {
    let letters = '';
    const stamps: KeyStamp[] = [];
    for (let next = this.jobs[0]; next?.kind === 'key'; next = this.jobs[0]) {
      const action = keyAction(next.input, true, mode);
      if (action.kind !== 'compose') break;
      letters += action.letters;
      stamps.push(next.at);
      this.jobs.shift();
    }
    return { letters, stamps };
  }

  /** Removes and returns the jobs waiting. */
  clear(): Job[] {
    return this.jobs.splice(0);
  }

  /** Drops what waits and runs nothing more (the keyboard was detached); waiters are released. */
  stop(): void {
    this.stopped = true;
    this.jobs.length = 0;
    this.release();
  }

  /** Resolves once every job so far has run. */
  settled(): Promise<void> {
    if (!this.draining && this.jobs.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      const ready = this.hooks.ready?.() ?? true;
      if (ready !== true && !(await ready)) return;
      while (this.jobs.length > 0 && !this.stopped) {
        const job = this.jobs.shift()!;
        this.current = job;
        await this.hooks.run(job);
        this.current = undefined;
      }
    } finally {
      this.current = undefined;
      this.draining = false;
      this.release();
    }
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/**
 * Whether something will be composed once `jobs` have run, starting from `composing` in
 * `mode`; undefined when that depends on answers not yet in (a pick may or may not finish
 * the composition).
 */
export function predictComposing(jobs: readonly Job[], composing: boolean, mode: InputMode): boolean | undefined {
  let result: boolean | undefined = composing;
  for (const job of jobs) {
    if (job.kind === 'mode') {
      mode = job.mode;
      if (mode === 'english') result = false;
    } else if (job.kind === 'pick') {
      if (result !== false) result = undefined;
    } else if (job.kind === 'key') {
      const action = keyAction(job.input, result ?? true, mode);
      switch (action.kind) {
        case 'compose':
          if (result !== undefined || job.input.key === job.input.key.toLowerCase()) result = true;
          break;
        case 'commitRaw':
        case 'cancel':
        case 'punctuation':
          result = false;
          break;
        case 'pick':
        case 'pickHighlighted':
        case 'pickCharacter':
        case 'backspace':
        case 'deleteForward':
          if (result !== false) result = undefined;
          break;
      }
    }
  }
  return result;
}

/** The letters the keys among `jobs` compose in `mode` (what the bar shows while the engine starts). */
export function pendingLetters(jobs: readonly Job[], mode: InputMode): string {
  let letters = '';
  for (const job of jobs) {
    if (job.kind !== 'key') continue;
    const action = keyAction(job.input, letters !== '', mode);
    if (action.kind === 'compose') letters += action.letters;
    else if (action.kind === 'backspace') letters = letters.slice(0, -1);
    else if (action.kind !== 'pass' && action.kind !== 'swallow') letters = '';
  }
  return letters;
}
