/**
 * What phone keyboards add to the candidates in chat, each switchable: emoji for the pinyin
 * of a feeling (haha → 😄, never first), English words when the letters spell a common one
 * (ok, wifi, hello; never first over a good Chinese sentence), quick phrases (rq → today's
 * date, sj → the time) and the user's own phrases (a code → any text). Pure: no DOM.
 */
import type { Candidate } from './candidate.ts';

/** The chat extras; each is off unless set. */
export interface ExtrasOptions {
  /** Emoji for the pinyin of a word (haha → 😄), after the best candidate. */
  readonly emoji?: boolean;
  /** A common English word when the letters spell one (ok, wifi, hello). */
  readonly english?: boolean;
  /** Built-in quick phrases: rq (date), sj (time), xq (day of the week). */
  readonly quickPhrases?: boolean;
  /** The user's own phrases: letters typed (a–z) → text, listed first. */
  readonly userPhrases?: Readonly<Record<string, string>>;
  /** The clock of the quick phrases (default: now). */
  readonly now?: () => Date;
  /**
   * An English word comes first only when the best Chinese sentence costs more than this
   * many nats a letter typed (default 3.5: 哦看 for `ok` costs 9.9, 荷兰咯 for `hello` 4.9;
   * 你好 for `nihao` 2.2, 立刻 for `like` 3.1).
   */
  readonly englishFirstCost?: number;
}

/** Emoji by the pinyin typed for them. */
export const EMOJI: Readonly<Record<string, readonly string[]>> = Object.freeze({
  haha: ['😄', '😂'],
  hehe: ['😊'],
  xixi: ['😁'],
  xiao: ['😄'],
  kaixin: ['😄'],
  gaoxing: ['😄'],
  ku: ['😭'],
  nanguo: ['😢'],
  shengqi: ['😠'],
  aixin: ['❤️'],
  ai: ['❤️'],
  xihuan: ['😍'],
  xiexie: ['🙏'],
  zan: ['👍'],
  bang: ['👍'],
  ok: ['👌'],
  jiayou: ['💪'],
  shengri: ['🎂'],
  shengrikuaile: ['🎂', '🎉'],
  qingzhu: ['🎉'],
  wanan: ['🌙'],
  zaoan: ['☀️'],
  baobao: ['🤗'],
  yun: ['😵'],
  han: ['😅'],
  wen: ['😘'],
  mua: ['😘'],
  huaixiao: ['😏'],
  daxiao: ['😆'],
  liulei: ['😭'],
  zhadan: ['💣'],
  hua: ['🌹'],
  meigui: ['🌹'],
  hongbao: ['🧧'],
  kafei: ['☕'],
  pijiu: ['🍺'],
  dangao: ['🍰'],
  taiyang: ['☀️'],
  xiayu: ['🌧️'],
  gou: ['🐶'],
  mao: ['🐱'],
  zhu: ['🐷'],
});

/** Common English words in chat, typed as letters. */
export const ENGLISH_WORDS: ReadonlySet<string> = new Set(
  (
    'ok okay hi hello hey bye yes no wifi app apps email ppt pdf word excel ps pc mac ios iphone ipad android ' +
    'good nice cool wow lol omg thanks thank thx sorry please love like happy party coffee tea pizza ' +
    'boss team meeting office online offline login logout link video photo game music movie shopping ' +
    'yeah yep nope fine great welcome morning night weekend today tomorrow baby honey dear sweet ' +
    'web blog bug fix code java python linux windows google apple style fashion show vip sale'
  ).split(' '),
);

const WEEKDAYS = '日一二三四五六';
const pad = (n: number) => String(n).padStart(2, '0');

/** The built-in quick phrases for `code` at `now` (none for other codes). */
export function quickPhrases(code: string, now: Date): string[] {
  const y = now.getFullYear();
  const m = now.getMonth() + 1;
  const d = now.getDate();
  switch (code) {
    case 'rq':
      return [`${y}年${m}月${d}日`, `${y}-${pad(m)}-${pad(d)}`];
    case 'sj':
      return [`${pad(now.getHours())}:${pad(now.getMinutes())}`, `${now.getHours()}点${pad(now.getMinutes())}分`];
    case 'xq':
      return [`星期${WEEKDAYS[now.getDay()]}`];
    default:
      return [];
  }
}

/** A candidate for the whole remaining input with a fixed text (nothing to learn from it). */
function extra(text: string, length: number, reading: string): Candidate {
  return { text, length, kind: 'raw', reading, words: [{ text, reading, word: -1 }] };
}

/**
 * `list` with the extras for `letters` (the whole remaining input, `length` keys with its
 * separators) put in: user phrases first, the English word first when the best sentence
 * costs more than `englishFirstCost` a letter (`bestCostPerLetter`; else second), emoji and quick phrases after the best
 * candidate. A text already listed moves rather than repeats.
 */
export function withExtras(
  list: readonly Candidate[],
  letters: string,
  length: number,
  bestCostPerLetter: number,
  options: ExtrasOptions,
): Candidate[] {
  const code = letters.replace(/'/g, '');
  const first: Candidate[] = [];
  const second: Candidate[] = [];
  const own = options.userPhrases?.[code];
  if (typeof own === 'string' && own) first.push(extra(own, length, code));
  if (options.english && ENGLISH_WORDS.has(code)) {
    const english = extra(code, length, code);
    if (bestCostPerLetter > (options.englishFirstCost ?? 3.5)) first.push(english);
    else second.push(english);
  }
  if (options.quickPhrases) for (const text of quickPhrases(code, (options.now ?? (() => new Date()))())) second.push(extra(text, length, code));
  if (options.emoji) for (const text of EMOJI[code] ?? []) second.push(extra(text, length, code));
  if (first.length === 0 && second.length === 0) return list as Candidate[];
  const added = new Set([...first, ...second].map((c) => c.text));
  const rest = list.filter((c) => !added.has(c.text));
  return [...first, ...rest.slice(0, 1), ...second, ...rest.slice(1)];
}
