import { ImeError, ImeErrorCode } from '../util/errors.ts';
import { HISTORY_DATA_VERSION, HISTORY_FORMAT, SENTENCE_START } from './history.ts';
import { JsonScanError, scanJsonObject } from './json-scan.ts';
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
  /** Records kept (merged). */
  readonly units: number;
  readonly pairs: number;
  /** Records left out because they were malformed (or named units the file lacks). */
  readonly skipped: number;
  /**
   * Well-formed records left out: too weak to count, or new entries beyond the room the
   * history has left (the user's own entries are never dropped for imported ones).
   */
  readonly dropped: number;
  /** Records kept with their weight cut down to what real use can produce. */
  readonly capped: number;
}

/** Records merged between two yields of {@link UserControls.importJson}. */
export const IMPORT_CHUNK = 2000;
/** Longest stretch of reading and checking an import does between two yields, in ms. */
export const IMPORT_SLICE_MS = 8;

/** Gives the event loop a turn (a composition request waiting in a worker goes first). */
const yieldToEvents = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

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
   * same file twice changes nothing). What is merged is checked first
   * ({@link UserHistory.planImport}): weights capped to what real use produces, records too
   * weak to count left out, new entries only as many as fit beside the user's own. Malformed
   * records are skipped and counted; text that is not an export at all rejects with an
   * {@link ImeError} with code InvalidArgument. The records go in {@link IMPORT_CHUNK} at a
   * time with a turn of the event loop between, so keys typed meanwhile are not held up.
   */
  async importJson(json: string, pause: () => Promise<void> = yieldToEvents): Promise<ImportResult> {
    const bad = (why: string) => new ImeError(ImeErrorCode.InvalidArgument, `not a history export: ${why}`);
    if (typeof json !== 'string') throw bad('expected text');
    if (json.length > MAX_IMPORT_CHARS) throw bad('file too large');
    // Read piece by piece, with turns of the event loop between slices of work.
    let sliceStart = performance.now();
    const breathe = async () => {
      if (performance.now() - sliceStart < IMPORT_SLICE_MS) return;
      await pause();
      sliceStart = performance.now();
    };
    const header: Record<string, unknown> = {};
    const records: Record<'units' | 'pairs', unknown[] | undefined> = { units: undefined, pairs: undefined };
    try {
      for (const piece of scanJsonObject(json)) {
        if (piece.kind === 'value') header[piece.key] = piece.value;
        else if (piece.key === 'units' || piece.key === 'pairs') {
          if (piece.kind === 'array') records[piece.key] = [];
          else records[piece.key]!.push(piece.value);
        }
        await breathe();
      }
    } catch (e) {
      if (e instanceof JsonScanError) throw bad(json.trimStart().startsWith('{') ? 'not JSON' : 'not an object');
      throw e;
    }
    if (header.format !== HISTORY_FORMAT) throw bad('wrong format name');
    const version = header.version;
    if (typeof version !== 'number' || version < 1 || version > HISTORY_DATA_VERSION) {
      throw bad(`unsupported version ${String(version)}`);
    }
    if (!records.units || !records.pairs) throw bad('units or pairs missing');
    const tick = header.tick;
    if (typeof tick !== 'number' || !Number.isSafeInteger(tick) || tick < 0) throw bad('bad tick');
    const h = this.learning.history;
    const planner = h.importPlanner(tick);
    for (const raw of records.units) {
      planner.unit(raw);
      await breathe();
    }
    for (const raw of records.pairs) {
      planner.pair(raw);
      await breathe();
    }
    planner.chooseUnits();
    await pause();
    planner.choosePairs();
    await pause();
    const plan = planner.finish();
    for (let i = 0; i < plan.units.length; i += IMPORT_CHUNK) {
      await pause();
      h.merge(plan.units.slice(i, i + IMPORT_CHUNK), [], plan.tick, 'import');
    }
    for (let i = 0; i < plan.pairs.length; i += IMPORT_CHUNK) {
      await pause();
      h.merge([], plan.pairs.slice(i, i + IMPORT_CHUNK), plan.tick, 'import');
    }
    h.sortByUse();
    return { units: plan.units.length, pairs: plan.pairs.length, skipped: plan.skipped, dropped: plan.dropped, capped: plan.capped };
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
