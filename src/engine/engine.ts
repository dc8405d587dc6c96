import { Decoder } from '../decoder/decoder.ts';
import type { DecoderOptions } from '../decoder/options.ts';
import type { Lexicon } from '../lexicon/lexicon.ts';
import type { LanguageModel } from '../lm/language-model.ts';
import type { WordTrie } from '../lexicon/word-trie.ts';
import type { CommitRecord } from './candidate.ts';
import type { ExtrasOptions } from './extras.ts';
import { Session } from './session.ts';
import type { SessionHost, SessionOptions } from './session-host.ts';
import { loadTraditionalConverter, type TextConverter, type TraditionalVariant } from './traditional.ts';

/** Loaded data the engine runs on. */
export interface EngineData {
  readonly lexicon: Lexicon;
  /** The n-gram model (or any model over the lexicon's word ids). */
  readonly model: LanguageModel;
}

/** Engine options; every field has a default (those a session reads are in {@link SessionOptions}). */
export interface EngineOptions extends SessionOptions {
  /** Search parameters (beam size, penalties, …). */
  readonly decoder?: Partial<DecoderOptions>;
  /**
   * Replaces the language model the decoder scores with, given the n-gram model; the user
   * history blends itself in here without callers changing.
   */
  readonly languageModel?: (base: LanguageModel) => LanguageModel;
  /**
   * Extra word lists searched after the shipped lexicon (the user's learned phrases). Called
   * for every new session's decoder; ids must not collide with the lexicon's.
   */
  readonly extraWords?: () => readonly WordTrie[];
}

/** Listener for commits. */
export type CommitListener = (record: CommitRecord) => void;

/**
 * The engine facade: shared data, options and commit listeners. Sessions (one per input
 * field) do the typing.
 */
export class Engine implements SessionHost {
  readonly lexicon: Lexicon;
  readonly baseModel: LanguageModel;
  readonly model: LanguageModel;
  readonly options: EngineOptions;
  private readonly listeners = new Set<CommitListener>();
  private converter: TextConverter | undefined;
  private version = 0;
  private extrasOptions: ExtrasOptions = {};

  constructor(data: EngineData, options: EngineOptions = {}) {
    this.lexicon = data.lexicon;
    this.baseModel = data.model;
    this.model = options.languageModel ? options.languageModel(data.model) : data.model;
    this.options = options;
  }

  /**
   * A new typing session. `decoder` overrides the engine's decoder options for this session
   * only (e.g. `{ scheme: 'xiaohe', fuzzy: ['z-zh'] }` for a field typed in shuangpin).
   */
  createSession(decoder: Partial<DecoderOptions> = {}): Session {
    const tries = [this.lexicon, ...(this.options.extraWords?.() ?? [])];
    return new Session(this, new Decoder(tries, this.model, { ...this.options.decoder, ...decoder }));
  }

  /**
   * Switches the chat extras (emoji, English words, quick phrases, the user's own phrases;
   * see {@link ExtrasOptions}) for every session; `{}` turns them all off.
   */
  setExtras(extras: ExtrasOptions): void {
    this.extrasOptions = { ...extras };
    this.version++;
  }

  /** The chat extras in use. */
  get extras(): ExtrasOptions {
    return this.extrasOptions;
  }

  /**
   * Switches traditional output on for every session (`'t'` by default; `'tw'`, `'twp'`,
   * `'hk'` for regional forms) or off (`false`). Candidates, predictions and commits are then
   * converted with OpenCC; its tables load on the first switch-on only (a second or two).
   */
  async setTraditional(variant: TraditionalVariant | false = 't'): Promise<void> {
    const converter = variant === false ? undefined : await loadTraditionalConverter(variant);
    this.converter = converter;
    this.version++;
  }

  /** The conversion applied to output text (undefined: simplified, as decoded). */
  get outputConverter(): TextConverter | undefined {
    return this.converter;
  }

  /** Changes whenever the output conversion or the extras do (sessions drop cached candidates then). */
  get outputVersion(): number {
    return this.version;
  }

  /** Calls `listener` on every commit of every session; returns a function that unsubscribes. */
  onCommit(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @internal Sessions report their commits here. */
  notifyCommit(record: CommitRecord): void {
    for (const l of this.listeners) l(record);
  }
}

/** Creates an engine from loaded data. */
export function createEngine(data: EngineData, options: EngineOptions = {}): Engine {
  return new Engine(data, options);
}
