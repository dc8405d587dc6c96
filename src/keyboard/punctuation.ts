/**
 * Chinese (full-width) punctuation for the ASCII keys that type it, as the common pinyin
 * keyboards map them. Quotes alternate between opening and closing forms.
 */

/** Keys with one fixed full-width form. */
const FIXED: Readonly<Record<string, string>> = {
  ',': '，',
  '.': '。',
  '?': '？',
  '!': '！',
  ':': '：',
  ';': '；',
  '\\': '、',
  '<': '《',
  '>': '》',
  '(': '（',
  ')': '）',
  '[': '【',
  ']': '】',
  '^': '……',
  _: '——',
  $: '￥',
  '~': '～',
};

/** Keys that stay half-width right after a digit, so 3.14, 1,000 and 10:30 type as expected. */
const NUMERIC_SEPARATORS = new Set(['.', ',', ':']);

/** True when `key` types Chinese punctuation (including the quote keys). */
export function isPunctuationKey(key: string): boolean {
  return key in FIXED || key === '"' || key === "'";
}

/**
 * Maps punctuation keys to full-width forms, remembering which quote comes next. One per
 * input field, so quotes pair up within a message.
 */
export class PunctuationMapper {
  private doubleOpen = true;
  private singleOpen = true;

  /**
   * The text a punctuation key inserts, or undefined when `key` is not punctuation.
   * `before` is the character left of the caret ('' at the start).
   */
  map(key: string, before = ''): string | undefined {
    if (NUMERIC_SEPARATORS.has(key) && before >= '0' && before <= '9') return key;
    const fixed = FIXED[key];
    if (fixed !== undefined) return fixed;
    if (key === '"') {
      const q = this.doubleOpen ? '“' : '”';
      this.doubleOpen = !this.doubleOpen;
      return q;
    }
    if (key === "'") {
      const q = this.singleOpen ? '‘' : '’';
      this.singleOpen = !this.singleOpen;
      return q;
    }
    return undefined;
  }

  /** Starts the quote pairing afresh (a new message). */
  reset(): void {
    this.doubleOpen = true;
    this.singleOpen = true;
  }
}
