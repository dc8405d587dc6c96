import { ImeError, ImeErrorCode } from '../util/errors.ts';
/**
 * The user's typing history as a pure in-memory object: decayed counts of the words (units)
 * the user committed and of adjacent pairs of them, plus the phrases the user built from
 * partial selections. No storage, no lexicon, no DOM: {@link UserHistory.save} and
 * {@link UserHistory.load} turn it into plain data and back; storage is `store.ts`'s job.
 *
 * Recency: every commit is one tick; a count loses half its weight every `halfLife` ticks.
 * Weights are kept scaled by a common growing factor, so ageing everything costs nothing and
 * sums (per context, in total) stay exact under decay.
 */

/** Name written into exported data. */
export const HISTORY_FORMAT = 'hanzi-ime-history';
/** Version of {@link HistoryData}. */
export const HISTORY_DATA_VERSION = 1;

/** Key of the sentence start in pair records (`prev` of a commit's first unit). */
export const SENTENCE_START = '';

/** One word of a learned phrase, as a lexicon word. */
export interface PartRecord {
  readonly text: string;
  /** Full syllables joined by `'`. */
  readonly reading: string;
  /** Lexicon word id when learned (a hint: checked against the text on load). */
  readonly id: number;
}

/** A unit the user committed: a lexicon word, or a phrase learned from partial selections. */
export interface UnitRecord {
  readonly text: string;
  /** Full syllables joined by `'`, or '' when not known. */
  readonly reading: string;
  /** Weight (decayed count) at tick `t`. */
  readonly w: number;
  /** Tick of the last use. */
  readonly t: number;
  /** Word id when learned (a hint only: ids change when the lexicon is rebuilt). */
  readonly id?: number;
  /** Present for learned phrases: the lexicon words it is made of. */
  readonly parts?: readonly PartRecord[];
}

/** Two units committed one after the other (`prev` is {@link SENTENCE_START} at the start). */
export interface PairRecord {
  readonly prev: string;
  readonly next: string;
  readonly w: number;
  readonly t: number;
}

/** Everything the history holds, as plain JSON-able data. */
export interface HistoryData {
  readonly format: typeof HISTORY_FORMAT;
  readonly version: number;
  /** The tick (commit count) when saved. */
  readonly tick: number;
  readonly units: readonly UnitRecord[];
  readonly pairs: readonly PairRecord[];
}

/** A unit as the learner hands it in. */
export interface LearnedUnit {
  readonly text: string;
  readonly reading: string;
  readonly id?: number;
  readonly parts?: readonly PartRecord[];
}

/** What one commit teaches. */
export interface LearnedCommit {
  /** Runs of consecutive units; each run starts a new context (a sentence start). */
  readonly runs: readonly (readonly LearnedUnit[])[];
  /** A phrase spanning the whole commit, learned as a unit of its own. */
  readonly phrase?: LearnedUnit;
}

/** In-memory unit entry; `scaled` changes in place. */
export interface UnitEntry {
  readonly text: string;
  reading: string;
  id: number | undefined;
  parts: readonly PartRecord[] | undefined;
  scaled: number;
  t: number;
}

/** In-memory pair entry; `scaled` changes in place. */
export interface PairEntry {
  readonly prev: string;
  readonly next: string;
  scaled: number;
  t: number;
}

/** Outgoing weight of one context (sum over its pairs). */
export interface ContextEntry {
  scaled: number;
}

/** Why the history changed. Storage persists 'learn', 'forget', 'import', 'prune' and 'clear'. */
export type ChangeOrigin = 'learn' | 'forget' | 'import' | 'prune' | 'clear' | 'load' | 'sync';

/** One change, for listeners (the user model's index, the store). */
export type HistoryChange =
  | { readonly type: 'unit'; readonly key: string; readonly entry: UnitEntry | undefined; readonly origin: ChangeOrigin }
  | { readonly type: 'pair'; readonly key: string; readonly entry: PairEntry | undefined; readonly origin: ChangeOrigin }
  /** Everything was replaced (load) or removed (clear). */
  | { readonly type: 'reset'; readonly origin: ChangeOrigin };

/** What a merge took in. */
export interface MergeResult {
  /** Valid records read (merged, or already known with a larger weight). */
  readonly units: number;
  readonly pairs: number;
  /** Malformed records left out. */
  readonly skippedUnits: number;
  readonly skippedPairs: number;
}

/**
 * An import checked and cut to size by {@link UserHistory.planImport}: the records to merge
 * (weights capped, new entries only as many as fit) and what was left out.
 */
export interface ImportPlan {
  /** The tick of the data the records come from (their ages are measured from it). */
  readonly tick: number;
  readonly units: readonly UnitRecord[];
  readonly pairs: readonly PairRecord[];
  /** Malformed records. */
  readonly skipped: number;
  /** Well-formed records left out: too weak to count, or no room left beside the user's own history. */
  readonly dropped: number;
  /** Records whose weight was more than real use can produce, cut down to that. */
  readonly capped: number;
}

/** Listener for {@link HistoryChange}s. */
export type HistoryListener = (change: HistoryChange) => void;

/** History options; every field has a default. */
export interface HistoryOptions {
  /** Commits after which a count weighs half (default 5000). */
  readonly halfLife: number;
  /** Most units kept (default 30000); beyond it, those used longest ago are dropped. */
  readonly maxUnits: number;
  /** Most pairs kept (default 60000). */
  readonly maxPairs: number;
}

export const DEFAULT_HISTORY_OPTIONS: Readonly<HistoryOptions> = Object.freeze({
  halfLife: 5000,
  maxUnits: 30000,
  maxPairs: 60000,
});

/** Imported records weaker than this once aged (a word used once, ~33,000 commits ago) are left out. */
export const MIN_IMPORT_WEIGHT = 0.01;

/** Scaled weights are renormalised before the scale factor grows past this. */
const MAX_SCALE = 2 ** 300;

/** Key of a pair in maps and stores. */
export function pairKey(prev: string, next: string): string {
  return `${prev}\t${next}`;
}

/**
 * Decayed counts of the units and pairs the user committed. Listeners hear of every change.
 */
export class UserHistory {
  readonly options: HistoryOptions;
  private readonly unitMap = new Map<string, UnitEntry>();
  private readonly pairMap = new Map<string, PairEntry>();
  private readonly contextMap = new Map<string, ContextEntry>();
  private readonly listeners = new Set<HistoryListener>();
  private currentTick = 0;
  /** Per-tick growth factor 2^(1/halfLife). */
  private readonly growth: number;
  private total = 0;
  /** Multiplier from scaled to effective weights at the current tick. */
  private effectiveFactor = 1;

  constructor(options: Partial<HistoryOptions> = {}) {
    this.options = { ...DEFAULT_HISTORY_OPTIONS, ...options };
    if (!(this.options.halfLife > 0)) throw new ImeError(ImeErrorCode.InvalidArgument, 'halfLife must be positive');
    this.growth = 2 ** (1 / this.options.halfLife);
  }

  /** Commits learned so far (the clock of the decay). */
  get tick(): number {
    return this.currentTick;
  }

  /** Multiplies a scaled weight into its effective (decayed) weight now. */
  get factor(): number {
    return this.effectiveFactor;
  }

  /** Sum of all scaled unit weights. */
  get totalScaled(): number {
    return this.total;
  }

  get unitCount(): number {
    return this.unitMap.size;
  }

  get pairCount(): number {
    return this.pairMap.size;
  }

  /** Subscribes to changes; returns a function that unsubscribes. */
  onChange(listener: HistoryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  unit(text: string): UnitEntry | undefined {
    return this.unitMap.get(text);
  }

  pair(prev: string, next: string): PairEntry | undefined {
    return this.pairMap.get(pairKey(prev, next));
  }

  pairByKey(key: string): PairEntry | undefined {
    return this.pairMap.get(key);
  }

  context(prev: string): ContextEntry | undefined {
    return this.contextMap.get(prev);
  }

  /** All units (live entries; do not modify). */
  units(): IterableIterator<UnitEntry> {
    return this.unitMap.values();
  }

  /** All pairs (live entries; do not modify). */
  pairs(): IterableIterator<PairEntry> {
    return this.pairMap.values();
  }

  /** Effective (decayed) weight of an entry now. */
  weightOf(entry: { scaled: number }): number {
    return entry.scaled * this.effectiveFactor;
  }

  /** Learns one commit: one tick, +1 for each unit and each adjacent pair. */
  add(commit: LearnedCommit): void {
    this.advance();
    const one = 1 / this.effectiveFactor;
    for (const run of commit.runs) {
      let prev = SENTENCE_START;
      for (const u of run) {
        if (!u.text) continue;
        this.bumpUnit(u, one);
        this.bumpPair(prev, u.text, one);
        prev = u.text;
      }
    }
    if (commit.phrase && commit.phrase.text) {
      this.bumpUnit(commit.phrase, one);
      this.bumpPair(SENTENCE_START, commit.phrase.text, one);
    }
    this.prune();
  }

  /**
   * Forgets a unit: its counts, every pair it is part of, and the pairs that spelled it piece
   * by piece (李→延 and 延→龄 for 李延龄, picked one character at a time), so the phrase stops
   * coming first. The pieces' own counts stay. Returns true when anything was known.
   */
  forget(text: string, origin: ChangeOrigin = 'forget'): boolean {
    const doomed: string[] = [];
    for (const [key, p] of this.pairMap) {
      const spelled = p.prev !== SENTENCE_START && text.includes(p.prev + p.next);
      if (p.prev === text || p.next === text || spelled) doomed.push(key);
    }
    for (const key of doomed) this.removePair(key, origin);
    return this.removeUnit(text, origin) || doomed.length > 0;
  }

  /** Removes one unit record only (its pairs stay; for applying another tab's deletions). */
  removeUnit(text: string, origin: ChangeOrigin): boolean {
    const e = this.unitMap.get(text);
    if (!e) return false;
    this.unitMap.delete(text);
    this.total -= e.scaled;
    this.emit({ type: 'unit', key: text, entry: undefined, origin });
    return true;
  }

  /** Removes one pair (for applying another tab's deletions). */
  removePair(key: string, origin: ChangeOrigin): boolean {
    const e = this.pairMap.get(key);
    if (!e) return false;
    this.pairMap.delete(key);
    const c = this.contextMap.get(e.prev);
    if (c) {
      c.scaled -= e.scaled;
      if (c.scaled <= 1e-12 * Math.max(1, e.scaled)) this.contextMap.delete(e.prev);
    }
    this.emit({ type: 'pair', key, entry: undefined, origin });
    return true;
  }

  /** Forgets everything. */
  clear(origin: ChangeOrigin = 'clear'): void {
    this.unitMap.clear();
    this.pairMap.clear();
    this.contextMap.clear();
    this.total = 0;
    this.emit({ type: 'reset', origin });
  }

  /** Everything as plain data (weights decayed to now, each with its last-use tick). */
  save(): HistoryData {
    const units: UnitRecord[] = [];
    for (const e of this.unitMap.values()) units.push(this.unitRecord(e));
    const pairs: PairRecord[] = [];
    for (const e of this.pairMap.values()) pairs.push(this.pairRecord(e));
    return { format: HISTORY_FORMAT, version: HISTORY_DATA_VERSION, tick: this.currentTick, units, pairs };
  }

  /** The stored form of one unit. */
  unitRecord(e: UnitEntry): UnitRecord {
    const r: { -readonly [K in keyof UnitRecord]: UnitRecord[K] } = {
      text: e.text,
      reading: e.reading,
      w: this.recordWeight(e),
      t: e.t,
    };
    if (e.id !== undefined) r.id = e.id;
    if (e.parts) r.parts = e.parts;
    return r;
  }

  /** The stored form of one pair. */
  pairRecord(e: PairEntry): PairRecord {
    return { prev: e.prev, next: e.next, w: this.recordWeight(e), t: e.t };
  }

  /**
   * Replaces everything with `data` (validated: bad records are skipped and counted).
   * Returns the number of records skipped.
   */
  load(data: HistoryData, origin: ChangeOrigin = 'load'): number {
    this.unitMap.clear();
    this.pairMap.clear();
    this.contextMap.clear();
    this.total = 0;
    this.currentTick = Number.isSafeInteger(data.tick) && data.tick >= 0 ? data.tick : 0;
    this.effectiveFactor = 1;
    // Oldest first, so the maps start out in order of last use.
    const byUse = (xs: readonly unknown[]) =>
      (Array.isArray(xs) ? [...xs] : []).sort((a, b) => recordTick(a) - recordTick(b));
    const r = this.mergeRecords(byUse(data.units), byUse(data.pairs), data.tick, false, origin);
    this.emit({ type: 'reset', origin });
    return r.skippedUnits + r.skippedPairs;
  }

  /**
   * Merges records from elsewhere (an import, another tab's writes): an entry keeps the larger
   * of the two weights and the later use, so merging the same data twice changes nothing.
   * Records are aged by their distance to `tick` (the tick of the data they come from).
   */
  merge(units: readonly unknown[], pairs: readonly unknown[], tick: number, origin: ChangeOrigin): MergeResult {
    const r = this.mergeRecords(units, pairs, tick, true, origin);
    this.prune();
    return r;
  }

  /**
   * The heaviest weight real use can give an entry: one use at every commit, decayed; for
   * data `ticks` commits old (default: forever), the sum over those commits.
   */
  maxWeight(ticks = Number.POSITIVE_INFINITY): number {
    const n = Math.max(1, Math.min(ticks, Number.MAX_SAFE_INTEGER));
    return (1 - this.growth ** -n) / (1 - 1 / this.growth);
  }

  /**
   * Checks an import and cuts it to what may be merged without hurting the history (see
   * {@link ImportPlanner}); all records at once.
   */
  planImport(units: readonly unknown[], pairs: readonly unknown[], tick: number): ImportPlan {
    const planner = this.importPlanner(tick);
    for (const raw of Array.isArray(units) ? units : []) planner.unit(raw);
    for (const raw of Array.isArray(pairs) ? pairs : []) planner.pair(raw);
    return planner.finish();
  }

  /** A planner for an import from data at `tick`, fed one record at a time. */
  importPlanner(tick: number): ImportPlanner {
    return new ImportPlanner(this, tick, this.growth, (text) => this.unitMap.has(text), (key) => this.pairMap.has(key));
  }

  /**
   * Puts the entries back in order of last use (merged entries went in at the end), so that
   * pruning drops the ones used longest ago, whatever their origin.
   */
  sortByUse(): void {
    const sorted = <E extends { t: number }>(map: Map<string, E>) => {
      const entries = [...map];
      let ordered = true;
      for (let i = 1; i < entries.length && ordered; i++) ordered = entries[i - 1]![1].t <= entries[i]![1].t;
      if (ordered) return;
      entries.sort((a, b) => a[1].t - b[1].t);
      map.clear();
      for (const [k, e] of entries) map.set(k, e);
    };
    sorted(this.unitMap);
    sorted(this.pairMap);
  }

  private mergeRecords(
    units: readonly unknown[],
    pairs: readonly unknown[],
    tick: number,
    notify: boolean,
    origin: ChangeOrigin,
  ): MergeResult {
    let skippedUnits = 0;
    let skippedPairs = 0;
    const sourceTick = Number.isFinite(tick) ? tick : this.currentTick;
    const cap = this.maxWeight();
    const unitList = Array.isArray(units) ? units : [];
    const pairList = Array.isArray(pairs) ? pairs : [];
    for (const raw of unitList) {
      const r = validUnitRecord(raw);
      if (!r) {
        skippedUnits++;
        continue;
      }
      const t = this.localTick(r.t, sourceTick);
      const scaled = this.scaledAt(Math.min(r.w, cap), t);
      const e = this.unitMap.get(r.text);
      if (!e) {
        const entry: UnitEntry = { text: r.text, reading: r.reading, id: r.id, parts: r.parts, scaled, t };
        this.unitMap.set(r.text, entry);
        this.total += scaled;
        if (notify) this.emit({ type: 'unit', key: r.text, entry, origin });
      } else if (scaled > e.scaled || t > e.t) {
        if (scaled > e.scaled) {
          this.total += scaled - e.scaled;
          e.scaled = scaled;
        }
        e.t = Math.max(e.t, t);
        if (!e.reading && r.reading) e.reading = r.reading;
        if (!e.parts && r.parts) e.parts = r.parts;
        if (notify) this.emit({ type: 'unit', key: r.text, entry: e, origin });
      }
    }
    for (const raw of pairList) {
      const r = validPairRecord(raw);
      if (!r) {
        skippedPairs++;
        continue;
      }
      const t = this.localTick(r.t, sourceTick);
      const scaled = this.scaledAt(Math.min(r.w, cap), t);
      const key = pairKey(r.prev, r.next);
      const e = this.pairMap.get(key);
      if (!e) {
        const entry: PairEntry = { prev: r.prev, next: r.next, scaled, t };
        this.pairMap.set(key, entry);
        this.contextOf(r.prev).scaled += scaled;
        if (notify) this.emit({ type: 'pair', key, entry, origin });
      } else if (scaled > e.scaled || t > e.t) {
        if (scaled > e.scaled) {
          this.contextOf(r.prev).scaled += scaled - e.scaled;
          e.scaled = scaled;
        }
        e.t = Math.max(e.t, t);
        if (notify) this.emit({ type: 'pair', key, entry: e, origin });
      }
    }
    return {
      units: unitList.length - skippedUnits,
      pairs: pairList.length - skippedPairs,
      skippedUnits,
      skippedPairs,
    };
  }

  /** A record's tick moved into this history's clock (same age relative to now). */
  private localTick(t: number, sourceTick: number): number {
    const age = Math.max(0, sourceTick - t);
    return Math.max(0, this.currentTick - age);
  }

  /** Scaled weight of a record with weight `w` last used at local tick `t`. */
  private scaledAt(w: number, t: number): number {
    // Effective now = w decayed over (now - t); scaled = effective now / factor.
    const age = this.currentTick - t;
    return (w * this.growth ** -age) / this.effectiveFactor;
  }

  /** Weight of an entry at its own last-use tick (what records store). */
  private recordWeight(e: { scaled: number; t: number }): number {
    // Twelve significant digits: save → load → save gives the same numbers.
    return Number((e.scaled * this.effectiveFactor * this.growth ** (this.currentTick - e.t)).toPrecision(12));
  }

  private advance(): void {
    this.currentTick++;
    this.effectiveFactor /= this.growth;
    if (1 / this.effectiveFactor > MAX_SCALE) this.renormalise();
  }

  /** Rescales every weight so the scale factor starts again from 1. */
  private renormalise(): void {
    const f = this.effectiveFactor;
    for (const e of this.unitMap.values()) e.scaled *= f;
    for (const e of this.pairMap.values()) e.scaled *= f;
    for (const e of this.contextMap.values()) e.scaled *= f;
    this.total *= f;
    this.effectiveFactor = 1;
  }

  private bumpUnit(u: LearnedUnit, one: number): void {
    let e = this.unitMap.get(u.text);
    if (!e) {
      e = { text: u.text, reading: u.reading, id: u.id, parts: u.parts, scaled: 0, t: this.currentTick };
    } else {
      if (u.reading) e.reading = u.reading;
      if (u.id !== undefined) e.id = u.id;
      if (u.parts) e.parts = u.parts;
      this.unitMap.delete(u.text);
    }
    // Re-inserted: the map stays in order of last use.
    this.unitMap.set(u.text, e);
    e.scaled += one;
    e.t = this.currentTick;
    this.total += one;
    this.emit({ type: 'unit', key: u.text, entry: e, origin: 'learn' });
  }

  private bumpPair(prev: string, next: string, one: number): void {
    const key = pairKey(prev, next);
    let e = this.pairMap.get(key);
    if (!e) e = { prev, next, scaled: 0, t: this.currentTick };
    else this.pairMap.delete(key);
    this.pairMap.set(key, e);
    e.scaled += one;
    e.t = this.currentTick;
    this.contextOf(prev).scaled += one;
    this.emit({ type: 'pair', key, entry: e, origin: 'learn' });
  }

  private contextOf(prev: string): ContextEntry {
    let c = this.contextMap.get(prev);
    if (!c) {
      c = { scaled: 0 };
      this.contextMap.set(prev, c);
    }
    return c;
  }

  /**
   * Keeps the history bounded: past a limit, the entries used longest ago go. Maps keep
   * entries in order of last use (an update moves an entry to the end), so this costs
   * O(entries removed). Pairs of a removed unit stay until they age out themselves (they
   * count for nothing while the unit is gone, and come back to life if it is learned again).
   */
  private prune(): void {
    const { maxUnits, maxPairs } = this.options;
    if (this.unitMap.size > maxUnits) {
      const doomed: string[] = [];
      for (const text of this.unitMap.keys()) {
        if (doomed.length >= this.unitMap.size - maxUnits) break;
        doomed.push(text);
      }
      for (const text of doomed) this.removeUnit(text, 'prune');
    }
    if (this.pairMap.size > maxPairs) {
      const doomed: string[] = [];
      for (const key of this.pairMap.keys()) {
        if (doomed.length >= this.pairMap.size - maxPairs) break;
        doomed.push(key);
      }
      for (const key of doomed) this.removePair(key, 'prune');
    }
  }

  private emit(change: HistoryChange): void {
    for (const l of this.listeners) l(change);
  }
}

/**
 * Checks the records of an import one at a time and decides what may be merged: weights are
 * capped at what real use produces in the file's own number of commits
 * ({@link UserHistory.maxWeight}), records too weak to count once aged (below
 * {@link MIN_IMPORT_WEIGHT}) are left out, and new entries only fill the room the history has
 * left, most recently used first, so the user's own entries are never pruned to make room for
 * imported ones. Entries the history already has are always kept (the larger weight wins).
 */
export class ImportPlanner {
  private readonly tick: number;
  private readonly cap: number;
  private readonly knownUnits: UnitRecord[] = [];
  private freshUnits: UnitRecord[] = [];
  private readonly knownPairs: PairRecord[] = [];
  private freshPairs: PairRecord[] = [];
  private unitsChosen = false;
  private pairsChosen = false;
  private skipped = 0;
  private dropped = 0;
  private capped = 0;

  constructor(
    private readonly history: UserHistory,
    tick: number,
    private readonly growth: number,
    private readonly hasUnit: (text: string) => boolean,
    private readonly hasPair: (key: string) => boolean,
  ) {
    this.tick = validTick(tick) ? tick : history.tick;
    this.cap = history.maxWeight(this.tick);
  }

  /** Takes one unit record (anything: malformed ones are counted as skipped). */
  unit(raw: unknown): void {
    const r = this.check(validUnitRecord(raw));
    if (r) (this.hasUnit(r.text) ? this.knownUnits : this.freshUnits).push(r);
  }

  /** Takes one pair record. */
  pair(raw: unknown): void {
    const r = this.check(validPairRecord(raw));
    if (r) (this.hasPair(pairKey(r.prev, r.next)) ? this.knownPairs : this.freshPairs).push(r);
  }

  /** Chooses the new units that fit (part of {@link finish}, callable on its own to spread the work). */
  chooseUnits(): void {
    if (this.unitsChosen) return;
    this.unitsChosen = true;
    this.freshUnits = this.newest(this.freshUnits, this.history.options.maxUnits - this.history.unitCount);
  }

  /** Chooses the new pairs that fit (part of {@link finish}). */
  choosePairs(): void {
    if (this.pairsChosen) return;
    this.pairsChosen = true;
    this.freshPairs = this.newest(this.freshPairs, this.history.options.maxPairs - this.history.pairCount);
  }

  /** The records to merge and the counts of what was left out. */
  finish(): ImportPlan {
    this.chooseUnits();
    this.choosePairs();
    const units = this.knownUnits.concat(this.freshUnits);
    const pairs = this.knownPairs.concat(this.freshPairs);
    return { tick: this.tick, units, pairs, skipped: this.skipped, dropped: this.dropped, capped: this.capped };
  }

  private check<R extends { w: number; t: number }>(r: R | undefined): R | undefined {
    if (!r) {
      this.skipped++;
      return undefined;
    }
    const t = Math.min(r.t, this.tick);
    if (r.w > this.cap || t !== r.t) {
      if (r.w > this.cap) this.capped++;
      r = { ...r, w: Math.min(r.w, this.cap), t };
    }
    if (r.w * this.growth ** -(this.tick - r.t) < MIN_IMPORT_WEIGHT) {
      this.dropped++;
      return undefined;
    }
    return r;
  }

  /** The `room` records used last (heaviest first among equals), found with native sorts of numbers. */
  private newest<R extends { w: number; t: number }>(list: R[], room: number): R[] {
    const keep = Math.max(0, room);
    if (list.length <= keep) return list;
    this.dropped += list.length - keep;
    if (keep === 0) return [];
    const ticks = new Float64Array(list.length);
    for (let i = 0; i < list.length; i++) ticks[i] = list[i]!.t;
    const tCut = ticks.sort()[list.length - keep]!;
    const out: R[] = [];
    const tied: R[] = [];
    for (const r of list) {
      if (r.t > tCut) out.push(r);
      else if (r.t === tCut) tied.push(r);
    }
    const weights = new Float64Array(tied.length);
    for (let i = 0; i < tied.length; i++) weights[i] = tied[i]!.w;
    const wCut = weights.sort()[tied.length - (keep - out.length)]!;
    for (const r of tied) if (r.w > wCut) out.push(r);
    for (const r of tied) {
      if (out.length >= keep) break;
      if (r.w === wCut) out.push(r);
    }
    return out;
  }
}

/** A record's last-use tick, for sorting (0 when it has none). */
function recordTick(r: unknown): number {
  const t = (r as { t?: unknown } | null)?.t;
  return typeof t === 'number' && Number.isFinite(t) ? t : 0;
}

const MAX_TEXT = 64;

function validText(x: unknown): x is string {
  return typeof x === 'string' && x.length > 0 && x.length <= MAX_TEXT && !/[\t\n\r]/.test(x);
}

function validReading(x: unknown): x is string {
  return typeof x === 'string' && x.length <= 8 * MAX_TEXT && /^[a-z']*$/.test(x);
}

function validWeight(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x > 0 && x < 1e9;
}

function validTick(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function validId(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

/** The record if `raw` is a well-formed unit record, else undefined. */
export function validUnitRecord(raw: unknown): UnitRecord | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (!validText(r.text) || !validReading(r.reading) || !validWeight(r.w) || !validTick(r.t)) return undefined;
  if (r.id !== undefined && !validId(r.id)) return undefined;
  let parts: PartRecord[] | undefined;
  if (r.parts !== undefined) {
    if (!Array.isArray(r.parts) || r.parts.length < 1 || r.parts.length > 32) return undefined;
    parts = [];
    for (const p of r.parts as unknown[]) {
      if (typeof p !== 'object' || p === null) return undefined;
      const q = p as Record<string, unknown>;
      if (!validText(q.text) || !validReading(q.reading) || !q.reading || !validId(q.id)) return undefined;
      parts.push({ text: q.text, reading: q.reading, id: q.id });
    }
    if (parts.map((p) => p.text).join('') !== r.text) return undefined;
  }
  const out: { -readonly [K in keyof UnitRecord]: UnitRecord[K] } = { text: r.text, reading: r.reading, w: r.w, t: r.t };
  if (r.id !== undefined) out.id = r.id as number;
  if (parts) out.parts = parts;
  return out;
}

/** The record if `raw` is a well-formed pair record, else undefined. */
export function validPairRecord(raw: unknown): PairRecord | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (!(r.prev === SENTENCE_START || validText(r.prev)) || !validText(r.next) || !validWeight(r.w) || !validTick(r.t)) {
    return undefined;
  }
  return { prev: r.prev as string, next: r.next, w: r.w, t: r.t };
}
