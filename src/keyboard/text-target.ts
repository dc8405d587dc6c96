/**
 * The message box the keyboard types into: a `<textarea>`, an `<input>` or a contenteditable
 * element, behind one small interface. Insertions go through the browser's editing commands
 * where it has them (so undo and the page's `input` listeners work), with a direct fallback.
 */
import getCaretCoordinates from 'textarea-caret';

/** Input types that hold plain, caret-addressable text. Everything else is left alone. */
const TEXT_INPUT_TYPES = new Set(['text', 'search', 'url', 'tel', '']);

/** A caret position in viewport coordinates. */
export interface CaretBox {
  readonly left: number;
  readonly top: number;
  readonly bottom: number;
  /** The message box's top and bottom edges, so a panel near the edge can clear the box. */
  readonly boxTop?: number;
  readonly boxBottom?: number;
}

/** Editing operations on one message box. */
export interface TextTarget {
  readonly element: HTMLElement;
  /** True when the keyboard must leave the element alone now (a password field, disabled…). */
  refused(): boolean;
  /** Replaces the selection with `text`, as typing would. */
  insertText(text: string): void;
  /** Deletes the character before the caret (or the selection). */
  deleteBackward(): void;
  /** Inserts a line break (textarea, contenteditable); does nothing in a one-line input. */
  insertLineBreak(): void;
  /** The character left of the caret, '' at the start. */
  charBeforeCaret(): string;
  /** Where the caret is on screen. */
  caretBox(): CaretBox;
}

/**
 * True when the element's text is drawn masked (`-webkit-text-security: disc` and the like):
 * a password field built from a text field, which must be treated like one.
 */
export function isMasked(element: HTMLElement): boolean {
  const inline = element.style?.getPropertyValue('-webkit-text-security') ?? '';
  const computed = element.ownerDocument.defaultView?.getComputedStyle?.(element)?.getPropertyValue('-webkit-text-security') ?? '';
  return [inline, computed].some((v) => v !== '' && v.trim() !== 'none');
}

/** Why an element cannot take the keyboard, or undefined when it can. */
export function refusalReason(element: HTMLElement): string | undefined {
  if (isMasked(element)) return 'masked fields (-webkit-text-security) are password fields and never get the keyboard';
  if (element instanceof HTMLInputElement) {
    const type = element.type.toLowerCase();
    if (type === 'password') return 'password fields never get the keyboard';
    if (!TEXT_INPUT_TYPES.has(type)) return `<input type="${type}"> holds no free text`;
    if (element.autocomplete === 'current-password' || element.autocomplete === 'new-password') {
      return 'password fields never get the keyboard';
    }
    return undefined;
  }
  if (element instanceof HTMLTextAreaElement) return undefined;
  if (element.isContentEditable || element.getAttribute('contenteditable') !== null) return undefined;
  return `<${element.tagName.toLowerCase()}> is not a textarea, input or contenteditable element`;
}

/** Wraps `element`; the caller has checked {@link refusalReason}. */
export function createTextTarget(element: HTMLElement): TextTarget {
  if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) return new FieldTarget(element);
  return new EditableTarget(element);
}

/** Runs a browser editing command when `element` has the focus; false when it could not. */
function editCommand(element: HTMLElement, command: string, value?: string): boolean {
  const doc = element.ownerDocument;
  if (doc.activeElement !== element && !element.contains(doc.activeElement)) return false;
  if (typeof doc.execCommand !== 'function') return false;
  try {
    return doc.execCommand(command, false, value);
  } catch {
    return false;
  }
}

function announceInput(element: HTMLElement, inputType: string, data: string | null): void {
  const init = { bubbles: true, cancelable: false, inputType, data };
  const event = typeof InputEvent === 'function' ? new InputEvent('input', init) : new Event('input', init);
  element.dispatchEvent(event);
}

function lineHeightOf(style: CSSStyleDeclaration): number {
  const lh = parseFloat(style.lineHeight);
  if (Number.isFinite(lh)) return lh;
  const fs = parseFloat(style.fontSize);
  return Number.isFinite(fs) ? fs * 1.25 : 20;
}

class FieldTarget implements TextTarget {
  constructor(readonly element: HTMLInputElement | HTMLTextAreaElement) {}

  refused(): boolean {
    return this.element.disabled || this.element.readOnly || refusalReason(this.element) !== undefined;
  }

  insertText(text: string): void {
    if (!text) return;
    if (editCommand(this.element, 'insertText', text)) return;
    const el = this.element;
    const start = el.selectionStart ?? el.value.length;
    const end = el.selectionEnd ?? start;
    el.setRangeText(text, start, end, 'end');
    announceInput(el, 'insertText', text);
  }

  deleteBackward(): void {
    if (editCommand(this.element, 'delete')) return;
    const el = this.element;
    let start = el.selectionStart ?? el.value.length;
    const end = el.selectionEnd ?? start;
    if (start === end) {
      if (start === 0) return;
      // Step back over a whole surrogate pair.
      const low = el.value.charCodeAt(start - 1);
      start -= low >= 0xdc00 && low <= 0xdfff && start >= 2 ? 2 : 1;
    }
    el.setRangeText('', start, end, 'end');
    announceInput(el, 'deleteContentBackward', null);
  }

  insertLineBreak(): void {
    if (this.element instanceof HTMLTextAreaElement) this.insertText('\n');
  }

  charBeforeCaret(): string {
    const pos = this.element.selectionStart ?? 0;
    return pos > 0 ? this.element.value.charAt(pos - 1) : '';
  }

  /** Caret offset inside the element, for the content, selection, scroll and size it was measured at. */
  private measured: { key: string; left: number; top: number; height: number } | undefined;

  caretBox(): CaretBox {
    const el = this.element;
    const rect = el.getBoundingClientRect();
    const position = el.selectionEnd ?? el.value.length;
    const key = `${position}|${el.scrollTop}|${el.scrollLeft}|${rect.width}|${rect.height}|${el.value}`;
    if (this.measured?.key !== key) {
      // Measuring lays out a mirror of the element: done once per caret position, and
      // ahead of time by the keyboard (after a commit), not on every keystroke.
      const height = lineHeightOf(getComputedStyle(el));
      let left = 0;
      let top = 0;
      try {
        const c = getCaretCoordinates(el, position);
        left = c.left - el.scrollLeft;
        top = c.top - el.scrollTop;
      } catch {
        // No layout (or a detached element): fall back to the element's corner.
      }
      this.measured = { key, left, top, height };
    }
    const m = this.measured;
    const left = Math.min(Math.max(rect.left + m.left, rect.left), rect.right);
    const top = Math.min(Math.max(rect.top + m.top, rect.top), Math.max(rect.top, rect.bottom - m.height));
    return { left, top, bottom: top + m.height, boxTop: rect.top, boxBottom: rect.bottom };
  }
}

class EditableTarget implements TextTarget {
  constructor(readonly element: HTMLElement) {}

  refused(): boolean {
    return !this.element.isConnected || this.element.getAttribute('contenteditable') === 'false' || isMasked(this.element);
  }

  private selectionRange(): Range | undefined {
    const sel = this.element.ownerDocument.getSelection();
    if (!sel || sel.rangeCount === 0) return undefined;
    const range = sel.getRangeAt(0);
    return this.element.contains(range.commonAncestorContainer) ? range : undefined;
  }

  insertText(text: string): void {
    if (!text) return;
    if (editCommand(this.element, 'insertText', text)) return;
    const doc = this.element.ownerDocument;
    let range = this.selectionRange();
    if (!range) {
      range = doc.createRange();
      range.selectNodeContents(this.element);
      range.collapse(false);
    }
    range.deleteContents();
    const node = doc.createTextNode(text);
    range.insertNode(node);
    range.setStartAfter(node);
    range.collapse(true);
    const sel = doc.getSelection();
    sel?.removeAllRanges();
    sel?.addRange(range);
    announceInput(this.element, 'insertText', text);
  }

  deleteBackward(): void {
    if (editCommand(this.element, 'delete')) return;
    const range = this.selectionRange();
    if (!range) return;
    if (range.collapsed) {
      const node = range.startContainer;
      if (node.nodeType !== Node.TEXT_NODE || range.startOffset === 0) return;
      range.setStart(node, range.startOffset - 1);
    }
    range.deleteContents();
    announceInput(this.element, 'deleteContentBackward', null);
  }

  insertLineBreak(): void {
    if (editCommand(this.element, 'insertLineBreak')) return;
    this.insertText('\n');
  }

  charBeforeCaret(): string {
    const range = this.selectionRange();
    if (!range) return '';
    const node = range.startContainer;
    if (node.nodeType === Node.TEXT_NODE && range.startOffset > 0) {
      return (node.textContent ?? '').charAt(range.startOffset - 1);
    }
    return '';
  }

  caretBox(): CaretBox {
    const outer = this.element.getBoundingClientRect();
    const range = this.selectionRange();
    const style = getComputedStyle(this.element);
    const height = lineHeightOf(style);
    if (range) {
      const rects = range.getClientRects();
      const r = rects.length > 0 ? rects[rects.length - 1]! : range.getBoundingClientRect();
      if (r.height > 0 || r.left > 0 || r.top > 0) {
        return {
          left: range.collapsed ? r.left : r.right,
          top: r.top,
          bottom: r.top + Math.max(r.height, height),
          boxTop: outer.top,
          boxBottom: outer.bottom,
        };
      }
    }
    const padTop = parseFloat(style.paddingTop) || 0;
    const padLeft = parseFloat(style.paddingLeft) || 0;
    const top = outer.top + padTop;
    return { left: outer.left + padLeft, top, bottom: top + height, boxTop: outer.top, boxBottom: outer.bottom };
  }
}
