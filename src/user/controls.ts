import { ImeError, ImeErrorCode } from '../util/errors.ts';
import { HISTORY_DATA_VERSION, HISTORY_FORMAT, SENTENCE_START } from './history.ts';
import type { HistoryStore, StoreListener } from './store.ts';
import type { UserLearning } from './user-learning.ts';

/** One learned unit, for a settings page that lists what was learned. */
export interface LearnedEntry {
  readonly text: string;
  /** Full syllables joined by `'` ('' when unknown). */
  readonly reading: string;
  /** Decayed count now. */
  readonly weight: number;
  /** Commits since it was last used. */
  readonly age: number;
  /** True for phrases learned from partial selections (not in the lexicon). */
  readonly phrase: boolean;
}

/** What an import did. */
export interface ImportResult {
  /** Records merged. */
  readonly units: number;
  readonly pairs: number;
  /** Records left out because they were malformed (or named units the file lacks). */
  readonly skipped: number;
}

/** Largest export accepted by {@link UserControls.importJson}, in characters. */
export const MAX_IMPORT_CHARS = 64 * 1024 * 1024;

/**
 * What the user controls: look at what was learned, export it, import it back (validated and
 * merged), forget one entry, clear everything, and go incognito (nothing learned or written).
 */
export class UserControls {
  constructor(
    readonly learning: UserLearning,
    readonly store?: HistoryStore,
    private readonly unsubscribe: () => void = () => {},
  ) {}

  /** Stops learning from the engine's commits (the history and store stay as they are). */
  detach(): void {
    this.unsubscribe();
  }

  /** While true, commits teach nothing and nothing new is written. */
  get incognito(): boolean {
    return this.learning.learner.incognito;
  }

  set incognito(on: boolean) {
    this.learning.learner.incognito = on;
  }

  /** True while learning reaches IndexedDB (false: in memory only). */
  get persistent(): boolean {
    return this.store?.persistent ?? false;
  }

  /** Subscribes to storage events (e.g. to show "history is not being saved"). */
  onStorageEvent(listener: StoreListener): () => void {
    return this.store ? this.store.onEvent(listener) : () => false;
  }

  /** Everything learned, strongest first. */
  entries(): LearnedEntry[] {
    const h = this.learning.history;
    const out: LearnedEntry[] = [];
    for (const e of h.units()) {
      out.push({ text: e.text, reading: e.reading, weight: h.weightOf(e), age: h.tick - e.t, phrase: e.parts !== undefined });
    }
    return out.sort((a, b) => b.weight - a.weight || (a.text < b.text ? -1 : 1));
  }

  /** The whole history as JSON text (for a file the user keeps). */
  exportJson(): string {
    return JSON.stringify(this.learning.history.save());
  }

  /**
   * Merges an export into the history (an entry keeps the larger weight, so importing the
   * same file twice changes nothing). Malformed records are skipped and counted; text that is
   * not an export at all throws an {@link ImeError} with code InvalidArgument.
   */
  importJson(json: string): ImportResult {
    const bad = (why: string) => new ImeError(ImeErrorCode.InvalidArgument, `not a history export: ${why}`);
    if (typeof json !== 'string') throw bad('expected text');
    if (json.length > MAX_IMPORT_CHARS) throw bad('file too large');
    let data: unknown;
    try {
      data = JSON.parse(json);
    } catch {
      throw bad('not JSON');
    }
    if (typeof data !== 'object' || data === null) throw bad('not an object');
    const d = data as Record<string, unknown>;
    if (d.format !== HISTORY_FORMAT) throw bad('wrong format name');
    if (typeof d.version !== 'number' || d.version < 1 || d.version > HISTORY_DATA_VERSION) {
      throw bad(`unsupported version ${String(d.version)}`);
    }
    if (!Array.isArray(d.units) || !Array.isArray(d.pairs)) throw bad('units or pairs missing');
    if (typeof d.tick !== 'number' || !Number.isSafeInteger(d.tick) || d.tick < 0) throw bad('bad tick');
    const r = this.learning.history.merge(d.units, d.pairs, d.tick, 'import');
    return { units: r.units, pairs: r.pairs, skipped: r.skippedUnits + r.skippedPairs };
  }

  /** Forgets one learned unit (a wrongly learned word or phrase) and its pairs. */
  forget(text: string): boolean {
    if (text === SENTENCE_START) return false;
    return this.learning.history.forget(text);
  }

  /** Forgets everything, in memory and in storage. */
  async clear(): Promise<void> {
    this.learning.history.clear();
    await this.store?.flush();
  }

  /** Writes pending changes now (call before terminating a worker). */
  async flush(): Promise<void> {
    await this.store?.flush();
  }
}
