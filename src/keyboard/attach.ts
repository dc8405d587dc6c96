/**
 * `attachKeyboard`: the pinyin keyboard for a chat client's message box. Keys are handled in
 * the order typed, one engine request at a time; a key that arrives while an answer is still
 * on its way is held and decided once the composition it lands in is known.
 */
import { ImeError, ImeErrorCode } from '../util/errors.ts';
import type { CompositionState, WireCandidate } from '../worker/protocol.ts';
import { afterNextPaint } from './after-paint.ts';
import type { KeyboardBackend, KeyboardSession } from './backend.ts';
import { Emitter, type KeyboardEventMap, type KeyboardListener } from './events.ts';
import { keyAction, type InputMode, type KeyAction, type KeyInput } from './key-action.ts';
import { KeyQueue, pendingLetters, predictComposing, type Job, type KeyStamp } from './key-queue.ts';
import { VIRTUAL_MODE_KEY } from './on-screen-keyboard.ts';
import { KeyboardPanel, MAX_PAGE_SIZE, ROW_SIZE } from './panel.ts';
import { PanelPlacement, type Placement } from './placement.ts';
import { PunctuationMapper } from './punctuation.ts';
import { createTextTarget, refusalReason, type TextTarget } from './text-target.ts';

export type { Placement } from './placement.ts';

/** Options of {@link attachKeyboard}. */
export interface KeyboardOptions {
  /**
   * The engine (the worker client, or the main-thread engine), or the promise of one: keys
   * typed while it starts wait in order (the bar shows their letters) and are converted once it
   * is ready. If it fails to start, `error` fires with its error, the keys typed meanwhile go
   * into the box as typed, and the box stays a plain box.
   */
  readonly backend: KeyboardBackend | PromiseLike<KeyboardBackend>;
  /** Candidates per page, 1–9 (default 5). */
  readonly pageSize?: number;
  /** Starting mode (default 'chinese'). */
  readonly mode?: InputMode;
  /** Learn nothing from what is typed here (private chats). Needs a backend with setIncognito. */
  readonly incognito?: boolean;
  /** Show the on-screen QWERTY keyboard (touch screens); the panel then docks at the bottom. */
  readonly onScreenKeyboard?: boolean;
  /**
   * 'caret' floats the bar under the caret, 'docked' pins it to the bottom of the viewport,
   * 'auto' (default) docks on narrow screens (see {@link KeyboardOptions.narrowQuery}).
   */
  readonly placement?: Placement;
  /** Media query for "narrow screen" under 'auto' (default '(max-width: 600px)'). */
  readonly narrowQuery?: string;
  /** Chinese punctuation goes full-width (default true). */
  readonly fullWidthPunctuation?: boolean;
  /** Where the panel's host element goes (default the document's body). */
  readonly container?: HTMLElement;
  /** Longest wait for an engine answer before giving up on it (default 3000 ms). */
  readonly requestTimeoutMs?: number;
}

/** The options that can change after attaching. */
export type MutableKeyboardOptions = Pick<
  KeyboardOptions,
  'pageSize' | 'incognito' | 'onScreenKeyboard' | 'placement' | 'fullWidthPunctuation'
>;

/** What {@link attachKeyboard} returns. */
export interface KeyboardHandle {
  /** The message box. */
  readonly element: HTMLElement;
  /** False when the element was refused (a password field…); the handle then does nothing. */
  readonly attached: boolean;
  /** Why the element was refused, when it was. */
  readonly refusal: string | undefined;
  /** The current (or requested) input mode. */
  readonly mode: InputMode;
  /** True while something is being composed. */
  readonly composing: boolean;
  /** Switches Chinese/English (switching to English inserts what was being composed as letters). */
  setMode(mode: InputMode): void;
  /** Switches to the other mode (what Shift does). */
  toggleMode(): void;
  /** Changes options after attaching. */
  setOptions(options: MutableKeyboardOptions): void;
  /** Listens to an event; returns a function that stops listening. */
  on<K extends keyof KeyboardEventMap>(type: K, listener: KeyboardListener<K>): () => void;
  /** Resolves once every key so far has been handled. */
  settled(): Promise<void>;
  /** Removes the keyboard: listeners, panel, composition. The element is left as it was. */
  detach(): void;
}

/** The backend until a promised one is ready (never called: keys wait for the engine). */
const NOT_STARTED: KeyboardBackend = (() => {
  const wait = () => Promise.reject(new ImeError(ImeErrorCode.EngineUnavailable, 'the engine has not started'));
  return { type: wait, backspace: wait, select: wait, commit: wait, commitRaw: wait, reset: wait };
})();

function isThenable(value: unknown): value is PromiseLike<KeyboardBackend> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

const EMPTY_STATE: CompositionState = { seq: 0, preedit: '', rawInput: '', candidates: [], engineMicros: 0 };
const DEFAULT_PAGE_SIZE = 5;
const DEFAULT_TIMEOUT_MS = 3000;
/** Requests that {@link Keyboard.applyLocal} answers by putting the letters in as typed. */
const COMMITTED_LOCALLY: ReadonlySet<KeyAction['kind']> = new Set(['commitRaw', 'pickHighlighted', 'punctuation']);
/** While the engine is out, how often the keyboard asks whether it is back. */
const PROBE_INTERVAL_MS = 300;

/** One composition of its own for this box when the backend offers sessions, else the backend itself. */
function sessionOf(backend: KeyboardBackend): { backend: KeyboardSession; owned: boolean } {
  return typeof backend.openSession === 'function' ? { backend: backend.openSession(), owned: true } : { backend, owned: false };
}

const clampPageSize = (n: number | undefined) =>
  Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(Number.isFinite(n) ? n! : DEFAULT_PAGE_SIZE)));

function snapshot(e: KeyboardEvent): KeyInput {
  return {
    key: e.key,
    ctrlKey: e.ctrlKey,
    metaKey: e.metaKey,
    altKey: e.altKey,
    shiftKey: e.shiftKey,
    isComposing: e.isComposing,
  };
}

/** True for keys whose browser default edits the text: characters, Enter, Backspace. */
function editsText(e: KeyInput): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return false;
  return [...e.key].length === 1 || e.key === 'Enter' || e.key === 'Backspace';
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}

class Keyboard implements KeyboardHandle {
  readonly attached = true;
  readonly refusal = undefined;
  private readonly doc: Document;
  private readonly view: Window;
  private readonly target: TextTarget;
  private backend: KeyboardBackend = NOT_STARTED;
  /** The engine while it starts; undefined once it is ready. */
  private starting: PromiseLike<KeyboardBackend> | undefined;
  /** The engine failed to start: the box is a plain box. */
  private plain = false;
  /** The backend is this box's own session (released on detach). */
  private ownsSession = false;
  /**
   * The engine failed or did not answer: keys are handled here (letters compose without
   * candidates, Enter and space put them in, Esc drops them, Backspace deletes one) until a
   * probe finds it answering again.
   */
  private offline = false;
  /** The request the outage began with, and the letters composed then. */
  private failed: { readonly kind: KeyAction['kind']; readonly raw: string } | undefined;
  private probing = false;
  private readonly panel: KeyboardPanel;
  private readonly events = new Emitter();
  private readonly punctuation = new PunctuationMapper();
  private readonly synthetic = new WeakSet<Event>();
  private readonly placement: PanelPlacement;
  private readonly timeoutMs: number;
  private readonly removers: (() => void)[] = [];

  private state: CompositionState = EMPTY_STATE;
  private highlight = 0;
  private pageSize: number;
  private appliedMode: InputMode;
  private requestedMode: InputMode;
  private fullWidth: boolean;
  private keyboardShown = false;
  private savedInputMode: string | null = null;
  private shiftAlone = false;
  private detached = false;

  private readonly queue = new KeyQueue({
    run: (job) => this.run(job),
    ready: () => (this.starting ? this.start(this.starting) : true),
    queued: () => {
      if (this.starting) this.showStarting();
    },
  });

  constructor(
    readonly element: HTMLElement,
    options: KeyboardOptions,
  ) {
    this.doc = element.ownerDocument;
    this.view = this.doc.defaultView!;
    this.target = createTextTarget(element);
    if (isThenable(options.backend)) this.starting = options.backend;
    else this.useBackend(options.backend);
    this.pageSize = clampPageSize(options.pageSize);
    this.appliedMode = this.requestedMode = options.mode ?? 'chinese';
    this.fullWidth = options.fullWidthPunctuation ?? true;
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;

    this.panel = new KeyboardPanel(this.doc, options.container ?? this.doc.body, {
      pick: (slot) => this.enqueue({ kind: 'pick', slot, at: { time: performance.now() } }),
      page: (delta) => this.enqueue({ kind: 'page', delta, at: { time: performance.now() } }),
      key: (key) => this.virtualKey(key),
      dockedHeight: (height) => this.placement?.keepClear(height),
    });
    this.placement = new PanelPlacement(
      element,
      this.target,
      this.panel,
      options,
      () => !this.detached && !this.composing && this.doc.activeElement === element,
    );
    this.panel.showMode(this.appliedMode);

    this.listen(this.view, 'keydown', (e) => this.onKeyDown(e as KeyboardEvent), true);
    this.listen(this.view, 'keyup', (e) => this.onKeyUp(e as KeyboardEvent), true);
    this.listen(this.view, 'pointerdown', () => (this.shiftAlone = false), true);
    this.listen(element, 'focus', () => this.onFocus(true));
    this.listen(element, 'blur', () => this.onFocus(false));
    this.listen(this.view, 'resize', () => this.placement.replace());
    // A system keyboard shrinks the visual viewport: the docked panel stays above it.
    const viewport = this.view.visualViewport;
    if (viewport) {
      const inset = () => this.panel.setBottomInset(Math.max(0, this.view.innerHeight - viewport.height - viewport.offsetTop));
      this.listen(viewport, 'resize', inset);
      this.listen(viewport, 'scroll', inset);
    }
    this.listen(this.view, 'scroll', () => this.placement.replace(), true);
    this.removers.push(this.placement.watchNarrow());

    this.setOptions({ onScreenKeyboard: options.onScreenKeyboard ?? false });
    if (options.incognito) this.enqueue({ kind: 'incognito', incognito: true });
    this.onFocus(this.doc.activeElement === element);
  }

  // ---- public API -------------------------------------------------------------------------

  get mode(): InputMode {
    return this.requestedMode;
  }

  get composing(): boolean {
    return this.state.rawInput !== '';
  }

  setMode(mode: InputMode): void {
    if (this.detached || (mode !== 'chinese' && mode !== 'english')) return;
    if (mode === this.requestedMode) return;
    this.requestedMode = mode;
    this.enqueue({ kind: 'mode', mode });
  }

  toggleMode(): void {
    this.setMode(this.requestedMode === 'chinese' ? 'english' : 'chinese');
  }

  setOptions(options: MutableKeyboardOptions): void {
    if (this.detached) return;
    if (options.pageSize !== undefined) {
      this.pageSize = clampPageSize(options.pageSize);
      this.highlight = 0;
      this.render();
    }
    if (options.fullWidthPunctuation !== undefined) this.fullWidth = options.fullWidthPunctuation;
    if (options.incognito !== undefined) this.enqueue({ kind: 'incognito', incognito: options.incognito });
    if (options.onScreenKeyboard !== undefined && options.onScreenKeyboard !== this.keyboardShown) {
      this.keyboardShown = options.onScreenKeyboard;
      // The system's own on-screen keyboard would cover ours: ask for none while ours shows.
      if (this.keyboardShown) {
        this.savedInputMode = this.element.getAttribute('inputmode');
        this.element.setAttribute('inputmode', 'none');
      } else if (this.savedInputMode === null) this.element.removeAttribute('inputmode');
      else this.element.setAttribute('inputmode', this.savedInputMode);
      this.panel.setKeyboardShown(this.keyboardShown);
    }
    this.placement.set({ placement: options.placement, keyboardShown: this.keyboardShown });
  }

  on<K extends keyof KeyboardEventMap>(type: K, listener: KeyboardListener<K>): () => void {
    return this.events.on(type, listener);
  }

  settled(): Promise<void> {
    return this.queue.settled();
  }

  detach(): void {
    if (this.detached) return;
    this.detached = true;
    this.queue.clear();
    for (const remove of this.removers) remove();
    if (this.keyboardShown) this.setInputModeBack();
    this.panel.destroy();
    this.placement.release();
    if (this.composing && !this.offline) this.backend.reset().catch(() => undefined);
    if (this.ownsSession) (this.backend as KeyboardSession).release?.();
    this.state = EMPTY_STATE;
    this.events.clear();
    this.queue.stop();
  }

  // ---- DOM events -------------------------------------------------------------------------

  private listen(on: EventTarget, type: string, handler: (e: Event) => void, capture = false): void {
    on.addEventListener(type, handler, capture);
    this.removers.push(() => on.removeEventListener(type, handler, capture));
  }

  private isOurs(target: EventTarget | null): boolean {
    return target === this.element || (target instanceof Node && this.element.contains(target));
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (this.detached || this.plain || !this.isOurs(e.target) || this.synthetic.has(e)) return;
    if (e.key === 'Shift') {
      this.shiftAlone = !e.repeat && !e.ctrlKey && !e.metaKey && !e.altKey;
      return;
    }
    this.shiftAlone = false;
    if (this.target.refused()) return;
    const predicted = this.predictComposing();
    const action = keyAction(e, predicted ?? true, this.requestedMode);
    // While earlier keys are still being handled, a key that edits text waits its turn too,
    // or it would land before their text.
    if (action.kind === 'pass' && !(this.queue.busy && editsText(e))) {
      this.dropPredictions();
      return;
    }
    e.preventDefault();
    e.stopImmediatePropagation();
    this.enqueue({ kind: 'key', input: snapshot(e), held: true, virtual: false, at: { time: e.timeStamp } });
  }

  private onKeyUp(e: KeyboardEvent): void {
    if (this.detached || !this.isOurs(e.target) || e.key !== 'Shift') return;
    const toggle = this.shiftAlone;
    this.shiftAlone = false;
    if (toggle && !this.target.refused()) this.toggleMode();
  }

  private virtualKey(key: string): void {
    if (this.detached || this.target.refused()) return;
    if (this.plain) return this.emulate({ key });
    if (key === VIRTUAL_MODE_KEY) {
      this.toggleMode();
      return;
    }
    this.enqueue({ kind: 'key', input: { key }, held: false, virtual: true, at: { time: performance.now() } });
  }

  private onFocus(focused: boolean): void {
    this.panel.setFocused(focused);
    if (focused) {
      this.placement.replace();
      if (!this.composing) this.placement.measureCaretSoon();
    } else this.dropPredictions();
  }

  // ---- the key queue ----------------------------------------------------------------------

  /**
   * Whether something will be composed once the queued keys are handled; undefined when that
   * depends on answers not yet in (a pick may or may not finish the composition).
   */
  private predictComposing(): boolean | undefined {
    return predictComposing(this.queue.pending, this.composing, this.appliedMode);
  }

  private enqueue(job: Job): void {
    if (this.detached) return;
    this.queue.push(job);
  }

  /** Waits for the engine; false (after reporting it) when it failed to start. */
  private async start(starting: PromiseLike<KeyboardBackend>): Promise<boolean> {
    try {
      const backend = await starting;
      if (typeof backend?.type !== 'function') throw new ImeError(ImeErrorCode.InvalidArgument, 'attachKeyboard: the backend promise gave no engine');
      this.useBackend(backend);
      this.starting = undefined;
      return true;
    } catch (error) {
      this.starting = undefined;
      if (this.detached) return false;
      this.plain = true;
      this.panel.render(undefined);
      // The keys typed meanwhile go into the box as the browser would have put them there.
      for (const job of this.queue.clear()) if (job.kind === 'key') this.emulate(job.input);
      this.fail(error);
      return false;
    }
  }

  /** While the engine starts: the bar shows the letters typed so far. */
  private showStarting(): void {
    const letters = pendingLetters(this.queue.queued, this.requestedMode);
    if (letters === '') return this.panel.render(undefined);
    this.panel.render({ preedit: letters, texts: [], highlight: 0, page: 0, pageCount: 1, pageSize: this.pageSize, total: 0 });
    this.placement.place();
  }

  /** Takes the engine: a session of its own for this box when it offers them. */
  private useBackend(backend: KeyboardBackend): void {
    const { backend: session, owned } = sessionOf(backend);
    this.backend = session;
    this.ownsSession = owned;
  }

  private async run(job: Job): Promise<void> {
    switch (job.kind) {
      case 'mode':
        return this.applyMode(job.mode);
      case 'incognito':
        try {
          await this.backend.setIncognito?.(job.incognito);
        } catch (error) {
          this.fail(error);
        }
        return;
      case 'pick':
        return this.pickSlot(job.slot, [job.at], 'pick');
      case 'page':
        this.turnPage(job.delta);
        this.render([job.at], 'page');
        return;
      case 'key':
        return this.runKey(job);
      case 'resync':
        return this.resync(job.committed);
    }
  }

  /**
   * The engine answers again (its session was reset by the probe): what was composed during
   * the outage goes to it, so candidates come back for it. If the request the outage began
   * with was run after all and committed (`committed`, handed over with the probe's answer),
   * that text goes in and the letters it converted leave the composition; unless the keyboard
   * had put those letters in as typed meanwhile (Enter, space, punctuation), which stay once.
   */
  private async resync(committed: string | undefined): Promise<void> {
    if (!this.offline) return;
    this.offline = false;
    const failed = this.failed;
    this.failed = undefined;
    let raw = this.state.rawInput;
    if (committed && failed && !COMMITTED_LOCALLY.has(failed.kind)) {
      this.insertCommitted(committed);
      if (raw.startsWith(failed.raw)) raw = raw.slice(failed.raw.length);
    }
    if (raw === '') {
      if (this.state.rawInput === '') return;
      // All that was composed was converted by the late commit.
      this.state = { ...EMPTY_STATE, seq: this.state.seq };
      return this.render();
    }
    this.state = { ...EMPTY_STATE, seq: this.state.seq };
    await this.request(() => this.backend.type(raw), [], 'compose', raw);
  }

  /** Goes offline (after a failed request) and starts asking whether the engine is back. */
  private goOffline(): void {
    this.offline = true;
    // The requests still on their way are given up: they must not land in a later answer.
    this.backend.abandon?.();
    void this.probe();
  }

  private async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      while (this.offline && !this.detached) {
        await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
        if (!this.offline || this.detached) return;
        try {
          const answer = await this.withTimeout(this.backend.reset());
          if (!this.detached) this.enqueue(answer.committed ? { kind: 'resync', committed: answer.committed } : { kind: 'resync' });
          return;
        } catch {
          // Still out: ask again.
        }
      }
    } finally {
      this.probing = false;
    }
  }

  /**
   * What a request does while the engine is out, on this box's own letters: letters compose
   * (or go straight in when nothing is composed), Enter, space and punctuation put the letters
   * in, Esc drops them, Backspace deletes the last one; picks and caret moves do nothing.
   */
  private applyLocal(kind: KeyAction['kind'], letters: string | undefined, stamps: KeyStamp[]): void {
    const raw = this.state.rawInput;
    let next: string;
    let committed: string | undefined;
    switch (kind) {
      case 'compose':
        if (raw === '') {
          this.target.insertText((letters ?? '').replace(/'/g, ''));
          this.placement.forget();
          return;
        }
        next = raw + (letters ?? '');
        break;
      case 'backspace':
        next = raw.slice(0, -1);
        break;
      case 'cancel':
        next = '';
        break;
      case 'commitRaw':
      case 'pickHighlighted':
      case 'punctuation':
        committed = raw.replace(/'/g, '') || undefined;
        next = '';
        break;
      default:
        return;
    }
    this.apply({ ...EMPTY_STATE, seq: this.state.seq, preedit: next, rawInput: next, ...(committed ? { committed } : {}) }, stamps, kind);
  }

  private async runKey(job: Extract<Job, { kind: 'key' }>): Promise<void> {
    const action = keyAction(job.input, this.composing, this.appliedMode);
    const stamps = [job.at];
    switch (action.kind) {
      case 'pass':
        if (job.held || job.virtual) this.emulate(job.input);
        return;
      case 'swallow':
        return;
      case 'compose': {
        // Letters typed while the last answer was on its way go to the engine together.
        const more = this.queue.takeLetters(this.appliedMode);
        const letters = action.letters + more.letters;
        stamps.push(...more.stamps);
        // Without an engine the letters still reach the message box (applyLocal).
        await this.request(() => this.backend.type(letters), stamps, 'compose', letters);
        return;
      }
      case 'pick':
        return this.pickSlot(action.slot, stamps, 'pick');
      case 'pickHighlighted':
        if (this.state.candidates.length === 0) await this.request(() => this.backend.commitRaw(), stamps, action.kind);
        else {
          const index = Math.min(this.highlight, this.state.candidates.length - 1);
          await this.request(() => this.backend.select(index), stamps, action.kind);
        }
        return;
      case 'commitRaw':
        await this.request(() => this.backend.commitRaw(), stamps, action.kind);
        return;
      case 'cancel':
        await this.request(() => this.backend.reset(), stamps, action.kind);
        return;
      case 'backspace':
        await this.request(() => this.backend.backspace(), stamps, action.kind);
        return;
      case 'page':
        this.turnPage(action.delta);
        this.render(stamps, action.kind);
        return;
      case 'move':
        this.highlight = Math.max(0, Math.min(this.state.candidates.length - 1, this.highlight + action.delta));
        this.render(stamps, action.kind);
        return;
      case 'caret': {
        const moveCaret = this.backend.moveCaret;
        if (moveCaret) await this.request(() => moveCaret.call(this.backend, action.to), stamps, action.kind);
        return;
      }
      case 'deleteForward': {
        const deleteForward = this.backend.deleteForward;
        if (deleteForward) await this.request(() => deleteForward.call(this.backend), stamps, action.kind);
        return;
      }
      case 'pickCharacter': {
        const selectCharacter = this.backend.selectCharacter;
        if (!selectCharacter || this.state.candidates.length === 0) return;
        const index = Math.min(this.highlight, this.state.candidates.length - 1);
        await this.request(() => selectCharacter.call(this.backend, index, action.which), stamps, action.kind);
        return;
      }
      case 'punctuation': {
        this.dropPredictions();
        if (this.composing) {
          const best = this.state.candidates[0];
          const whole = best !== undefined && best.kind === 'sentence';
          await this.request(() => (whole ? this.backend.commit() : this.backend.commitRaw()), [], action.kind);
        }
        const mapped = this.fullWidth ? this.punctuation.map(action.key, this.target.charBeforeCaret()) : undefined;
        const text = mapped ?? action.key;
        this.target.insertText(text);
        this.events.emit('commit', { text });
        this.render(stamps, action.kind);
        return;
      }
    }
  }

  private async pickSlot(slot: number, stamps: KeyStamp[], kind: KeyAction['kind']): Promise<void> {
    const predictions = this.state.predictions;
    if (!this.composing && predictions) {
      // A tap or click on a next-word prediction (digits are the page's while nothing is composed).
      const selectPrediction = this.backend.selectPrediction;
      if (selectPrediction && slot >= 0 && slot < Math.min(this.perPage, predictions.length)) {
        await this.request(() => selectPrediction.call(this.backend, slot), stamps, kind);
      }
      return;
    }
    const index = this.currentPage() * this.perPage + slot;
    if (slot < 0 || slot >= this.perPage || index >= this.state.candidates.length) return;
    await this.request(() => this.backend.select(index), stamps, kind);
  }

  /** A key the keyboard held back but that turned out to be the browser's: do what it would. */
  private emulate(input: KeyInput): void {
    const key = input.key;
    if (key === 'Enter') this.sendEnter(input);
    else if (key === 'Backspace') this.target.deleteBackward();
    else if ([...key].length === 1) this.target.insertText(key);
  }

  /** Replays Enter for the page (so "Enter sends" works), and inserts a line break if no one took it. */
  private sendEnter(input: KeyInput): void {
    const init: KeyboardEventInit = {
      key: 'Enter',
      code: 'Enter',
      bubbles: true,
      cancelable: true,
      composed: true,
      shiftKey: !!input.shiftKey,
      ctrlKey: !!input.ctrlKey,
      metaKey: !!input.metaKey,
      altKey: !!input.altKey,
    };
    for (const type of ['keydown', 'keypress'] as const) {
      const event = new KeyboardEvent(type, init);
      this.synthetic.add(event);
      if (!this.element.dispatchEvent(event)) return;
    }
    const el = this.element;
    if (el instanceof HTMLInputElement) el.form?.requestSubmit();
    else this.target.insertLineBreak();
  }

  private applyMode(mode: InputMode): Promise<void> | void {
    const finish = () => {
      this.appliedMode = mode;
      this.panel.showMode(mode);
      this.events.emit('modechange', { mode });
    };
    if (mode === 'english' && this.composing) {
      return this.request(() => this.backend.commitRaw(), [], 'commitRaw').then(finish);
    }
    finish();
  }

  // ---- engine requests --------------------------------------------------------------------

  /**
   * Sends one request and applies its answer. When it fails or times out (reported as
   * 'error'), or while the engine is out, the key is handled here instead ({@link applyLocal})
   * and the keyboard stays offline until the engine answers again. Returns false when the
   * engine did not answer it.
   */
  private async request(
    call: () => Promise<CompositionState>,
    stamps: KeyStamp[],
    kind: KeyAction['kind'],
    letters?: string,
  ): Promise<boolean> {
    if (this.offline) {
      this.applyLocal(kind, letters, stamps);
      return false;
    }
    try {
      const state = await this.withTimeout(call());
      if (this.detached) return true;
      this.apply(state, stamps, kind);
      return true;
    } catch (error) {
      if (this.detached) return false;
      this.failed = { kind, raw: this.state.rawInput };
      this.fail(error);
      this.goOffline();
      this.applyLocal(kind, letters, stamps);
      return false;
    }
  }

  /** `answer`, or a rejection once {@link KeyboardOptions.requestTimeoutMs} has passed. */
  private async withTimeout<T>(answer: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([
        answer,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new ImeError(ImeErrorCode.EngineUnavailable, `the engine did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private apply(state: CompositionState, stamps: KeyStamp[], kind: KeyAction['kind']): void {
    if (state.superseded) {
      // A newer request overtook this one (another caller shares the engine): its text still
      // counts, its candidates are stale.
      if (state.committed) this.insertCommitted(state.committed);
      return;
    }
    if (state.seq < this.state.seq) return; // an answer overtaken by a newer one
    this.state = state;
    this.highlight = 0;
    if (state.committed) this.insertCommitted(state.committed);
    this.render(stamps, kind);
  }

  /** Hides the next-word predictions (a key other than a pick came, or the box lost the focus). */
  private dropPredictions(): void {
    if (!this.state.predictions || this.composing) return;
    const { predictions: _, ...rest } = this.state;
    this.state = rest;
    this.render();
  }

  private insertCommitted(text: string): void {
    this.target.insertText(text);
    this.placement.forget();
    this.events.emit('commit', { text });
  }

  private fail(error: unknown): void {
    this.events.emit('error', { error, message: describe(error) });
  }

  // ---- rendering --------------------------------------------------------------------------

  /** Candidates a page holds: the page size, or one sideways-scrolling row when docked. */
  private get perPage(): number {
    return this.panel.isDocked ? ROW_SIZE : this.pageSize;
  }

  private currentPage(): number {
    return Math.floor(this.highlight / this.perPage);
  }

  private pageCount(): number {
    return Math.max(1, Math.ceil(this.state.candidates.length / this.perPage));
  }

  private turnPage(delta: 1 | -1): void {
    const page = Math.max(0, Math.min(this.pageCount() - 1, this.currentPage() + delta));
    this.highlight = Math.min(page * this.perPage, Math.max(0, this.state.candidates.length - 1));
  }

  private render(stamps: KeyStamp[] = [], kind: KeyAction['kind'] = 'pass'): void {
    if (this.detached) return;
    const composing = this.composing;
    let candidates: readonly WireCandidate[] = [];
    const page = this.currentPage();
    if (composing) {
      candidates = this.state.candidates.slice(page * this.perPage, (page + 1) * this.perPage);
      this.panel.render({
        preedit: this.state.preedit,
        caret: this.state.caret ?? this.state.preedit.length,
        texts: candidates.map((c) => c.text),
        highlight: this.highlight - page * this.perPage,
        page,
        pageCount: this.pageCount(),
        pageSize: this.perPage,
        total: this.state.candidates.length,
      });
      this.placement.place();
    } else if (this.state.predictions && this.state.predictions.length > 0 && this.appliedMode === 'chinese') {
      // Next-word predictions after a commit, to tap or click.
      const texts = this.state.predictions.slice(0, this.perPage);
      this.panel.render({ preedit: '', texts, highlight: -1, page: 0, pageCount: 1, pageSize: this.perPage, total: texts.length });
      this.placement.place();
    } else {
      this.placement.forget();
      this.panel.render(undefined);
      this.placement.measureCaretSoon();
    }
    this.events.emit('compositionupdate', {
      composing,
      preedit: composing ? this.state.preedit : '',
      candidates,
      highlight: composing ? this.highlight - page * this.perPage : 0,
      page: composing ? page : 0,
      pageCount: composing ? this.pageCount() : 0,
    });
    if (stamps.length > 0 && this.events.has('latency')) {
      const engineMicros = this.state.engineMicros;
      const first = stamps.reduce((a, b) => (b.time < a.time ? b : a));
      const renderMillis = performance.now() - first.time;
      void afterNextPaint(this.view).then(({ time, frameTime }) => {
        if (this.detached) return;
        this.events.emit('latency', {
          millis: time - first.time,
          renderMillis,
          frameMillis: frameTime - first.time,
          action: kind,
          keys: stamps.length,
          engineMicros,
        });
      });
    }
  }

  private setInputModeBack(): void {
    if (this.savedInputMode === null) this.element.removeAttribute('inputmode');
    else this.element.setAttribute('inputmode', this.savedInputMode);
  }
}

/** The handle for an element the keyboard refused: inert. */
class RefusedKeyboard implements KeyboardHandle {
  readonly attached = false;
  readonly mode: InputMode = 'english';
  readonly composing = false;
  constructor(
    readonly element: HTMLElement,
    readonly refusal: string,
  ) {}
  setMode(): void {}
  toggleMode(): void {}
  setOptions(): void {}
  on(): () => void {
    return () => undefined;
  }
  settled(): Promise<void> {
    return Promise.resolve();
  }
  detach(): void {}
}

/**
 * Attaches the pinyin keyboard to a message box: a `<textarea>`, a text `<input>` or a
 * contenteditable element. Password fields (and inputs without free text) are refused: the
 * returned handle has `attached: false` and does nothing.
 *
 * ```ts
 * const keyboard = attachKeyboard(document.querySelector('textarea')!, { backend });
 * keyboard.on('commit', ({ text }) => console.log('typed', text));
 * ```
 */
export function attachKeyboard(element: HTMLElement, options: KeyboardOptions): KeyboardHandle {
  if (!element || typeof element !== 'object' || !('ownerDocument' in element)) {
    throw new ImeError(ImeErrorCode.InvalidArgument, 'attachKeyboard: expected an element');
  }
  if (!options || (typeof (options.backend as KeyboardBackend | undefined)?.type !== 'function' && !isThenable(options.backend))) {
    throw new ImeError(ImeErrorCode.InvalidArgument, 'attachKeyboard: options.backend (the engine) is required');
  }
  const refusal = refusalReason(element);
  if (refusal !== undefined) return new RefusedKeyboard(element, refusal);
  return new Keyboard(element, options);
}
