/**
 * The events a keyboard handle emits, and a small typed emitter for them.
 */
import type { WireCandidate } from '../worker/protocol.ts';
import type { InputMode, KeyAction } from './key-action.ts';

/** Event name → detail. */
export interface KeyboardEventMap {
  /** Text went into the message box (a pick, space, Enter's raw letters). */
  commit: { readonly text: string };
  /** The composition or the visible page changed. */
  compositionupdate: {
    readonly composing: boolean;
    readonly preedit: string;
    /** The visible page of candidates. */
    readonly candidates: readonly WireCandidate[];
    /** Highlighted slot of the page. */
    readonly highlight: number;
    readonly page: number;
    readonly pageCount: number;
  };
  /** The engine failed or did not answer; typing goes on (letters fall back to plain text). */
  error: { readonly error: unknown; readonly message: string };
  /** Chinese / English switched. */
  modechange: { readonly mode: InputMode };
  /** A key's effect is on screen: time from the keydown to the frame painted after it. */
  latency: {
    readonly millis: number;
    /** Time from the keydown to the candidates being in the page, before the frame is drawn. */
    readonly renderMillis: number;
    /**
     * Time from the keydown to the requestAnimationFrame timestamp of the frame that painted
     * the candidates (NaN where no frame came). That timestamp is the vsync the frame belongs
     * to, so less than one frame interval means the candidates made the first vsync after the
     * key. A browser that draws frames on demand (headless Chromium) stamps a frame with the
     * last vsync before it, which may precede the key: the value is then negative.
     */
    readonly frameMillis: number;
    /** What the key did. */
    readonly action: KeyAction['kind'];
    /** Keys handled together (typed faster than answers came back). */
    readonly keys: number;
    /** Engine time for the request, in microseconds (0 when no request was made). */
    readonly engineMicros: number;
  };
}

/** Listener for event `K`. */
export type KeyboardListener<K extends keyof KeyboardEventMap> = (detail: KeyboardEventMap[K]) => void;

/** A typed event emitter; a throwing listener does not stop the others. */
export class Emitter {
  private readonly listeners = new Map<keyof KeyboardEventMap, Set<(detail: never) => void>>();

  on<K extends keyof KeyboardEventMap>(type: K, listener: KeyboardListener<K>): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener as (detail: never) => void);
    return () => {
      set.delete(listener as (detail: never) => void);
    };
  }

  emit<K extends keyof KeyboardEventMap>(type: K, detail: KeyboardEventMap[K]): void {
    const set = this.listeners.get(type);
    if (!set) return;
    for (const l of [...set]) {
      try {
        (l as KeyboardListener<K>)(detail);
      } catch (e) {
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }

  has(type: keyof KeyboardEventMap): boolean {
    return (this.listeners.get(type)?.size ?? 0) > 0;
  }

  clear(): void {
    this.listeners.clear();
  }
}
