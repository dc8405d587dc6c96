/**
 * Where the candidate panel goes: under the caret (measured, and measured again only when
 * the caret may have moved) or docked at the bottom of the viewport, with the page given room
 * for it and the message box kept clear of it.
 */
import { afterNextPaint } from './after-paint.ts';
import type { KeyboardPanel } from './panel.ts';
import type { CaretBox, TextTarget } from './text-target.ts';

/** Where the candidate bar goes. */
export type Placement = 'auto' | 'caret' | 'docked';

/** The panel's place for one message box. */
export class PanelPlacement {
  private readonly doc: Document;
  private readonly view: Window;
  private readonly narrow: MediaQueryList | undefined;
  private caret: CaretBox | undefined;
  private caretScheduled = false;
  private placement: Placement;
  private keyboardShown = false;

  /**
   * @param idle true while the caret may be measured ahead of the next composition (the box
   *   has the focus, nothing is composed, the keyboard is attached)
   */
  constructor(
    private readonly element: HTMLElement,
    private readonly target: TextTarget,
    private readonly panel: KeyboardPanel,
    options: { readonly placement?: Placement; readonly narrowQuery?: string },
    private readonly idle: () => boolean,
  ) {
    this.doc = element.ownerDocument;
    this.view = this.doc.defaultView!;
    this.placement = options.placement ?? 'auto';
    this.narrow = this.view.matchMedia?.(options.narrowQuery ?? '(max-width: 600px)');
  }

  /** Listens to the narrow-screen query (under 'auto' the panel docks on narrow screens); returns a remover. */
  watchNarrow(): () => void {
    const narrow = this.narrow;
    if (!narrow) return () => undefined;
    const onChange = () => this.update();
    narrow.addEventListener?.('change', onChange);
    return () => narrow.removeEventListener?.('change', onChange);
  }

  /** Changes the placement, or whether the on-screen keyboard shows (it docks the panel); then places it again. */
  set(options: { readonly placement?: Placement | undefined; readonly keyboardShown?: boolean | undefined }): void {
    if (options.placement !== undefined) this.placement = options.placement;
    if (options.keyboardShown !== undefined) this.keyboardShown = options.keyboardShown;
    this.update();
  }

  /** The caret may have moved (text inserted, the composition ended): measure it when next needed. */
  forget(): void {
    this.caret = undefined;
  }

  /** The caret may have moved (scroll, resize, focus): measure it again now. */
  replace(): void {
    this.caret = undefined;
    this.place();
  }

  /** Puts the visible, undocked panel under the caret (measured once per caret position). */
  place(): void {
    if (this.panel.isDocked || !this.panel.visible) return;
    this.caret ??= this.target.caretBox();
    this.panel.place(this.caret);
  }

  /**
   * Measures the caret after the next frame, while nothing is composed, so the first key of
   * the next composition finds it measured.
   */
  measureCaretSoon(): void {
    if (this.caretScheduled || this.panel.isDocked) return;
    this.caretScheduled = true;
    void afterNextPaint(this.view).then(() => {
      this.caretScheduled = false;
      if (this.idle()) this.target.caretBox();
    });
  }

  /**
   * The docked panel is `height` px tall (0: gone): the page gets that much room at its
   * bottom (the `--hanzi-ime-inset-bottom` custom property on the root element, for its
   * padding), and the message box is scrolled clear of the panel when it would be under it.
   */
  keepClear(height: number): void {
    const root = this.doc.documentElement;
    if (height > 0) root.style.setProperty('--hanzi-ime-inset-bottom', `${height}px`);
    else root.style.removeProperty('--hanzi-ime-inset-bottom');
    if (height === 0 || this.doc.activeElement !== this.element) return;
    const viewport = this.view.visualViewport;
    const visibleBottom = viewport ? viewport.offsetTop + viewport.height : this.view.innerHeight;
    const overlap = this.element.getBoundingClientRect().bottom - (visibleBottom - height);
    if (overlap > 0) this.view.scrollBy({ top: overlap + 4 });
  }

  /** Gives the page its bottom back (the keyboard was detached). */
  release(): void {
    this.doc.documentElement.style.removeProperty('--hanzi-ime-inset-bottom');
  }

  private update(): void {
    const docked = this.keyboardShown || this.placement === 'docked' || (this.placement === 'auto' && !!this.narrow?.matches);
    this.panel.setDocked(docked);
    this.caret = undefined;
    this.place();
  }
}
