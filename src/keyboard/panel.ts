/**
 * The keyboard's surface: a shadow-rooted panel holding the candidate bar (preedit and a page
 * of candidates as an ARIA listbox) and, optionally, the on-screen keyboard. It floats under
 * the caret, or docks at the bottom of the viewport on narrow screens and with the on-screen
 * keyboard. Rendering only: the controller decides what to show.
 */
import type { InputMode } from './key-action.ts';
import { OnScreenKeyboard } from './on-screen-keyboard.ts';
import { KEYBOARD_CSS } from './styles.ts';
import type { CaretBox } from './text-target.ts';

/** One page of the candidate list as shown. */
export interface PageView {
  readonly preedit: string;
  /** Where the caret is in the preedit (default: at its end). */
  readonly caret?: number;
  /** The visible candidates' texts, slot by slot. */
  readonly texts: readonly string[];
  /** Which slot is highlighted. */
  readonly highlight: number;
  readonly page: number;
  readonly pageCount: number;
  /** Candidates per page, and in the whole list. */
  readonly pageSize: number;
  readonly total: number;
}

/** What the panel reports back. */
export interface PanelCallbacks {
  /** A candidate slot of the visible page was clicked or tapped. */
  pick(slot: number): void;
  /** A pager button was pressed. */
  page(delta: 1 | -1): void;
  /** The docked panel's height changed (0: not docked or not shown), to keep the box clear of it. */
  dockedHeight?(height: number): void;
  /** An on-screen key was pressed. */
  key(key: string): void;
}

/** Most candidates a page can show (digits 1–9). */
export const MAX_PAGE_SIZE = 9;
/** Candidates in the docked panel's one row (it scrolls sideways; ▾ shows them as a grid). */
export const ROW_SIZE = 30;

let instances = 0;

let sharedSheet: CSSStyleSheet | undefined;

function applyStyles(shadow: ShadowRoot, doc: Document): void {
  const view = doc.defaultView;
  const canAdopt = view && 'adoptedStyleSheets' in shadow && typeof view.CSSStyleSheet === 'function';
  if (canAdopt) {
    try {
      sharedSheet ??= new view.CSSStyleSheet();
      if (sharedSheet.cssRules.length === 0) sharedSheet.replaceSync(KEYBOARD_CSS);
      shadow.adoptedStyleSheets = [sharedSheet];
      return;
    } catch {
      // Fall through to a <style> element (a CSSStyleSheet from another document, old engines).
    }
  }
  const style = doc.createElement('style');
  style.textContent = KEYBOARD_CSS;
  shadow.append(style);
}

function setIfChanged(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/** The panel for one attached element. */
export class KeyboardPanel {
  /** The element appended to the container (its shadow root holds everything). */
  readonly host: HTMLElement;
  private readonly root: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly preedit: HTMLElement;
  private readonly list: HTMLElement;
  private readonly options: HTMLElement[] = [];
  private readonly pageLabel: HTMLElement;
  private readonly prev: HTMLElement;
  private readonly next: HTMLElement;
  private readonly live: HTMLElement;
  private readonly keyboard: OnScreenKeyboard;
  private readonly expand: HTMLElement;
  private readonly callbacks: PanelCallbacks;
  private expanded = false;
  private reportedHeight = 0;
  private readonly idPrefix: string;
  private docked = false;
  private keyboardShown = false;
  private composing = false;
  private focused = false;
  private lastAnnouncement = '';
  /** The preedit as shown, and its caret mark. */
  private shownPreedit = { text: '', caret: 0 };
  private readonly caretMark: HTMLElement;
  private caret: CaretBox | undefined;
  /** The panel's border-box size as last laid out (a first guess until then). */
  private size = { width: 240, height: 72 };
  private readonly resizeObserver: ResizeObserver | undefined;
  /** What each option shows, to touch the DOM only where something changed. */
  private readonly shown: { text: string; selected: boolean; pos: number; total: number; hidden: boolean }[] = [];

  constructor(doc: Document, container: HTMLElement, callbacks: PanelCallbacks) {
    this.callbacks = callbacks;
    this.idPrefix = `hanzi-ime-${++instances}`;
    this.host = doc.createElement('div');
    this.host.setAttribute('data-hanzi-ime', '');
    const shadow = this.host.attachShadow({ mode: 'open' });
    applyStyles(shadow, doc);

    this.root = doc.createElement('div');
    this.root.className = 'panel';
    this.root.hidden = true;
    // Keep the focus (and the caret) in the message box while the panel is used.
    this.root.addEventListener('mousedown', (e) => e.preventDefault());
    this.root.addEventListener('pointerdown', (e) => {
      if (e.pointerType !== 'mouse') e.preventDefault();
    });

    this.bar = doc.createElement('div');
    this.bar.className = 'bar';
    this.preedit = doc.createElement('div');
    this.preedit.className = 'preedit';
    this.preedit.id = `${this.idPrefix}-preedit`;
    this.caretMark = doc.createElement('span');
    this.caretMark.setAttribute('aria-hidden', 'true');

    const row = doc.createElement('div');
    row.className = 'row';
    this.list = doc.createElement('div');
    this.list.className = 'list';
    this.list.id = `${this.idPrefix}-list`;
    this.list.setAttribute('role', 'listbox');
    this.list.setAttribute('aria-label', 'Candidates');
    this.list.setAttribute('aria-orientation', 'horizontal');
    this.list.setAttribute('aria-describedby', this.preedit.id);
    for (let slot = 0; slot < ROW_SIZE; slot++) {
      const option = doc.createElement('div');
      option.className = 'option';
      option.id = `${this.idPrefix}-option-${slot}`;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      option.dataset.slot = String(slot);
      const num = doc.createElement('span');
      num.className = 'num';
      num.textContent = String(slot + 1);
      num.setAttribute('aria-hidden', 'true');
      const text = doc.createElement('span');
      text.className = 'text';
      option.append(num, text);
      option.hidden = true;
      this.options.push(option);
      this.list.append(option);
    }
    this.list.addEventListener('click', (e) => {
      const option = (e.target as Element | null)?.closest?.('[role="option"]') as HTMLElement | null;
      const slot = option?.dataset.slot;
      if (slot !== undefined) callbacks.pick(Number(slot));
    });

    const pager = doc.createElement('div');
    pager.className = 'pager';
    this.prev = this.pagerButton(doc, '‹', 'Previous page', () => callbacks.page(-1));
    this.pageLabel = doc.createElement('span');
    this.pageLabel.setAttribute('aria-hidden', 'true');
    this.next = this.pagerButton(doc, '›', 'Next page', () => callbacks.page(1));
    pager.append(this.prev, this.pageLabel, this.next);
    // Docked (touch): one row that scrolls sideways; this button shows it as a grid instead.
    this.expand = this.pagerButton(doc, '▾', 'More candidates', () => this.setExpanded(!this.expanded));
    this.expand.className = 'expand';
    this.expand.setAttribute('aria-expanded', 'false');
    row.append(this.list, pager, this.expand);
    this.bar.append(this.preedit, row);

    this.live = doc.createElement('div');
    this.live.className = 'live';
    this.live.setAttribute('aria-live', 'polite');
    this.live.setAttribute('aria-atomic', 'true');

    this.keyboard = new OnScreenKeyboard(doc, (key) => callbacks.key(key));
    this.keyboard.element.hidden = true;

    this.root.append(this.bar, this.keyboard.element);
    shadow.append(this.root, this.live);
    container.append(this.host);
    const RO = doc.defaultView?.ResizeObserver;
    if (RO) {
      this.resizeObserver = new RO((entries) => this.onResize(entries));
      this.resizeObserver.observe(this.root);
    }
  }

  private pagerButton(doc: Document, label: string, aria: string, onPress: () => void): HTMLElement {
    const b = doc.createElement('button');
    b.type = 'button';
    b.tabIndex = -1;
    b.textContent = label;
    b.setAttribute('aria-label', aria);
    b.addEventListener('click', onPress);
    return b;
  }

  /** Shows a page of candidates, or the empty bar when `view` is undefined (nothing composed). */
  render(view: PageView | undefined): void {
    this.composing = view !== undefined && (view.preedit !== '' || view.texts.length > 0);
    if (!view || view.texts.length === 0) this.setExpanded(false);
    if (!view) {
      this.preedit.textContent = '';
      this.preedit.hidden = true;
      this.shownPreedit = { text: '', caret: 0 };
      for (const o of this.options) o.hidden = true;
      for (const shown of this.shown) shown.hidden = true;
      this.bar.classList.add('empty');
      this.announce('');
    } else {
      this.bar.classList.toggle('empty', view.texts.length === 0);
      this.showPreedit(view.preedit, view.caret ?? view.preedit.length);
      // Next-word predictions come with no preedit: no empty line above them.
      if (this.preedit.hidden !== (view.preedit === '')) this.preedit.hidden = view.preedit === '';
      for (let slot = 0; slot < this.options.length; slot++) {
        const option = this.options[slot]!;
        const text = view.texts[slot];
        const now = {
          text: text ?? '',
          selected: slot === view.highlight,
          pos: view.page * view.pageSize + slot + 1,
          total: view.total,
          hidden: text === undefined,
        };
        const was = this.shown[slot];
        if (was?.hidden !== now.hidden) option.hidden = now.hidden;
        if (now.hidden) {
          // Keep what the option last showed; only its visibility changed.
          if (was) was.hidden = true;
          else this.shown[slot] = { text: '', selected: false, pos: 0, total: 0, hidden: true };
          continue;
        }
        if (was?.selected !== now.selected) option.setAttribute('aria-selected', String(now.selected));
        if (was?.pos !== now.pos) option.setAttribute('aria-posinset', String(now.pos));
        if (was?.total !== now.total) option.setAttribute('aria-setsize', String(now.total));
        if (was?.text !== now.text) (option.lastElementChild as HTMLElement).textContent = now.text;
        this.shown[slot] = now;
      }
      setIfChanged(this.prev, 'aria-disabled', String(view.page === 0));
      setIfChanged(this.next, 'aria-disabled', String(view.page >= view.pageCount - 1));
      const label = view.pageCount > 1 ? `${view.page + 1}/${view.pageCount}` : '';
      if (this.pageLabel.textContent !== label) this.pageLabel.textContent = label;
      const chosen = view.texts[view.highlight];
      this.announce(chosen === undefined ? view.preedit : `${chosen}, ${view.highlight + 1} / ${view.texts.length}`);
    }
    this.updateVisibility();
  }

  /** The preedit text with a caret mark (an empty element, so the text reads as typed). */
  private showPreedit(text: string, caret: number): void {
    const at = Math.max(0, Math.min(text.length, caret));
    if (this.shownPreedit.text === text && this.shownPreedit.caret === at) return;
    this.shownPreedit = { text, caret: at };
    const doc = this.preedit.ownerDocument;
    this.caretMark.className = 'caret';
    this.preedit.replaceChildren(doc.createTextNode(text.slice(0, at)), this.caretMark, doc.createTextNode(text.slice(at)));
    this.preedit.dataset.caret = String(at);
  }

  private announce(text: string): void {
    if (text === this.lastAnnouncement) return;
    this.lastAnnouncement = text;
    this.live.textContent = text;
  }

  /** The message box gained or lost the focus. */
  setFocused(focused: boolean): void {
    this.focused = focused;
    this.updateVisibility();
  }

  /** Shows the docked row as a grid of every candidate (in the on-screen keyboard's place). */
  setExpanded(expanded: boolean): void {
    if (expanded === this.expanded) return;
    this.expanded = expanded;
    this.root.classList.toggle('expanded', expanded);
    this.expand.setAttribute('aria-expanded', String(expanded));
    this.expand.textContent = expanded ? '▴' : '▾';
    if (!expanded) this.list.scrollLeft = 0;
  }

  /** Lifts the docked panel by `px` (the part of the layout viewport a system keyboard covers). */
  setBottomInset(px: number): void {
    const bottom = px > 0 ? `${Math.round(px)}px` : '';
    if (this.root.style.bottom !== bottom) this.root.style.bottom = bottom;
  }

  /** True while the docked row is shown as a grid. */
  get isExpanded(): boolean {
    return this.expanded;
  }

  /** Docks the panel at the bottom of the viewport (true) or lets it float at the caret. */
  setDocked(docked: boolean): void {
    if (docked === this.docked) return;
    this.docked = docked;
    if (!docked) this.setExpanded(false);
    this.root.classList.toggle('docked', docked);
    this.reportHeight(docked && !this.root.hidden ? this.size.height : 0);
    if (docked) {
      this.root.style.left = '';
      this.root.style.top = '';
    }
  }

  /** Shows or hides the on-screen keyboard (which docks the panel). */
  setKeyboardShown(shown: boolean): void {
    this.keyboardShown = shown;
    this.keyboard.element.hidden = !shown;
    this.updateVisibility();
  }

  /** Shows the input mode on the on-screen keyboard. */
  showMode(mode: InputMode): void {
    this.keyboard.showMode(mode);
  }

  /** True while the panel is docked. */
  get isDocked(): boolean {
    return this.docked;
  }

  /** True while the panel is on screen. */
  get visible(): boolean {
    return !this.root.hidden;
  }

  /**
   * Moves the floating panel next to the caret, inside the viewport. Uses the panel's size as
   * last laid out (kept by a ResizeObserver, which repositions within the same frame when the
   * size changes), so typing never forces a synchronous layout.
   */
  place(caret: CaretBox): void {
    this.caret = caret;
    this.position();
  }

  private position(): void {
    const caret = this.caret;
    if (!caret || this.docked || this.root.hidden) return;
    const view = this.host.ownerDocument.defaultView;
    const vw = view?.innerWidth ?? 1024;
    const vh = view?.innerHeight ?? 768;
    const { width, height } = this.size;
    const margin = 4;
    const left = Math.max(margin, Math.min(caret.left, vw - width - margin));
    // On the first or last line, clear the box's edge rather than cover it.
    const line = caret.bottom - caret.top;
    const above = caret.boxTop !== undefined && caret.top - caret.boxTop < 1.5 * line ? caret.boxTop : caret.top;
    const below = caret.boxBottom !== undefined && caret.boxBottom - caret.bottom < 1.5 * line ? caret.boxBottom : caret.bottom;
    let top = below + margin;
    if (top + height > vh - margin && above - height - margin >= 0) top = above - height - margin;
    const l = `${Math.round(left)}px`;
    const t = `${Math.round(top)}px`;
    if (this.root.style.left !== l) this.root.style.left = l;
    if (this.root.style.top !== t) this.root.style.top = t;
  }

  private onResize(entries: readonly ResizeObserverEntry[]): void {
    const box = entries[entries.length - 1]?.borderBoxSize?.[0];
    const width = box ? box.inlineSize : this.root.offsetWidth;
    const height = box ? box.blockSize : this.root.offsetHeight;
    this.reportHeight(this.docked && !this.root.hidden ? height : 0);
    if (width === 0 && height === 0) return; // hidden
    if (width === this.size.width && height === this.size.height) return;
    this.size = { width, height };
    this.position();
  }

  private reportHeight(height: number): void {
    const h = Math.round(height);
    if (h === this.reportedHeight) return;
    this.reportedHeight = h;
    this.callbacks.dockedHeight?.(h);
  }

  private updateVisibility(): void {
    const bar = this.composing || (this.keyboardShown && this.docked);
    const root = this.focused && (bar || this.keyboardShown);
    if (this.bar.hidden === bar) this.bar.hidden = !bar;
    if (this.root.hidden === root) this.root.hidden = !root;
    if (!root) this.reportHeight(0);
  }

  /** Removes the panel from the page. */
  destroy(): void {
    this.resizeObserver?.disconnect();
    this.host.remove();
  }
}
