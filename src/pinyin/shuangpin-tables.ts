/**
 * Shuangpin (double pinyin) layouts: every syllable is two keys, an initial key and a final
 * key. Written from the published layouts of each scheme.
 *
 * Single-letter initials (b p m f d t n l g k h j q x r z c s y w) are typed as themselves
 * unless a layout says otherwise; `v` in a final stands for ü (after j, q, x, y it is spelled u).
 */

/** How a layout types a syllable with no initial (a, ai, ang, e, er, o, ou, …). */
export type ZeroInitialStyle =
  /** The `o` key, then the final's key (`oh` = ang). */
  | 'o-key'
  /** The final's first letter, then the final's key, or its own second letter, or the vowel twice (`ah` = ang, `ai` = ai, `aa` = a). */
  | 'first-letter';

/** One shuangpin layout. */
export interface ShuangpinLayout {
  /** Name used on the command line and in options. */
  readonly name: ShuangpinSchemeName;
  /** Keys typing a two-letter (or moved) initial: `{ v: 'zh', i: 'ch', u: 'sh' }`. */
  readonly initials: Readonly<Record<string, string>>;
  /** Finals each key types as the second key of a syllable. */
  readonly finals: Readonly<Record<string, readonly string[]>>;
  /** Ways the layout types syllables without an initial, tried in order. */
  readonly zeroInitial: readonly ZeroInitialStyle[];
}

/** The shuangpin schemes the engine knows. */
export const SHUANGPIN_SCHEMES = ['xiaohe', 'microsoft', 'ziranma', 'sogou', 'abc', 'ziguang'] as const;
export type ShuangpinSchemeName = (typeof SHUANGPIN_SCHEMES)[number];

const ZH_CH_SH_ON_VIU = { v: 'zh', i: 'ch', u: 'sh' } as const;

/** Xiaohe (小鹤双拼, flypy). */
const XIAOHE: ShuangpinLayout = {
  name: 'xiaohe',
  initials: ZH_CH_SH_ON_VIU,
  finals: {
    a: ['a'], e: ['e'], i: ['i'], u: ['u'], o: ['o', 'uo'],
    q: ['iu'], w: ['ei'], r: ['uan'], t: ['ue', 've'], y: ['un'], p: ['ie'],
    s: ['ong', 'iong'], d: ['ai'], f: ['en'], g: ['eng'], h: ['ang'], j: ['an'],
    k: ['ing', 'uai'], l: ['iang', 'uang'], z: ['ou'], x: ['ia', 'ua'], c: ['ao'],
    v: ['ui', 'v'], b: ['in'], n: ['iao'], m: ['ian'],
  },
  zeroInitial: ['first-letter'],
};

/** Microsoft (微软双拼). */
const MICROSOFT: ShuangpinLayout = {
  name: 'microsoft',
  initials: ZH_CH_SH_ON_VIU,
  finals: {
    a: ['a'], e: ['e'], i: ['i'], u: ['u'], o: ['o', 'uo'],
    q: ['iu'], w: ['ia', 'ua'], r: ['uan', 'er'], t: ['ue', 've'], y: ['uai', 'v'], p: ['un'],
    s: ['ong', 'iong'], d: ['iang', 'uang'], f: ['en'], g: ['eng'], h: ['ang'], j: ['an'],
    k: ['ao'], l: ['ai'], ';': ['ing'], z: ['ei'], x: ['ie'], c: ['iao'],
    v: ['ui', 've'], b: ['ou'], n: ['in'], m: ['ian'],
  },
  zeroInitial: ['o-key', 'first-letter'],
};

/** Ziranma (自然码). */
const ZIRANMA: ShuangpinLayout = {
  name: 'ziranma',
  initials: ZH_CH_SH_ON_VIU,
  finals: {
    a: ['a'], e: ['e'], i: ['i'], u: ['u'], o: ['o', 'uo'],
    q: ['iu'], w: ['ia', 'ua'], r: ['uan'], t: ['ue', 've'], y: ['ing', 'uai'], p: ['un'],
    s: ['ong', 'iong'], d: ['iang', 'uang'], f: ['en'], g: ['eng'], h: ['ang'], j: ['an'],
    k: ['ao'], l: ['ai'], z: ['ei'], x: ['ie'], c: ['iao'],
    v: ['ui', 'v'], b: ['ou'], n: ['in'], m: ['ian'],
  },
  zeroInitial: ['first-letter'],
};

/** Sogou (搜狗双拼): Microsoft's layout without üe on v. */
const SOGOU: ShuangpinLayout = {
  ...MICROSOFT,
  name: 'sogou',
  finals: { ...MICROSOFT.finals, v: ['ui'] },
};

/** Zhineng ABC (智能ABC双拼): zh on a, ch on e, sh on v. */
const ABC: ShuangpinLayout = {
  name: 'abc',
  initials: { a: 'zh', e: 'ch', v: 'sh' },
  finals: {
    a: ['a'], e: ['e'], i: ['i'], u: ['u'], o: ['o', 'uo'], v: ['v'],
    q: ['ei'], w: ['ian'], r: ['iu', 'er'], t: ['iang', 'uang'], y: ['ing'], p: ['uan'],
    s: ['ong', 'iong'], d: ['ia', 'ua'], f: ['en'], g: ['eng'], h: ['ang'], j: ['an'],
    k: ['ao'], l: ['ai'], z: ['iao'], x: ['ie'], c: ['in', 'uai'],
    b: ['ou'], n: ['un'], m: ['ue', 've', 'ui'],
  },
  zeroInitial: ['o-key'],
};

/** Ziguang (紫光双拼): zh on u, ch on a, sh on i. */
const ZIGUANG: ShuangpinLayout = {
  name: 'ziguang',
  initials: { u: 'zh', a: 'ch', i: 'sh' },
  finals: {
    a: ['a'], e: ['e'], i: ['i'], u: ['u'], o: ['o', 'uo'], v: ['v'],
    q: ['ao'], w: ['en'], r: ['an'], t: ['eng'], y: ['in', 'uai'], p: ['ai'],
    s: ['ang'], d: ['ie'], f: ['ian'], g: ['iang', 'uang'], h: ['ong', 'iong'], j: ['er', 'iu'],
    k: ['ei'], l: ['uan'], ';': ['ing'], x: ['ia', 'ua'], z: ['ou'], b: ['iao'],
    n: ['ui', 'ue', 've'], m: ['un'],
  },
  zeroInitial: ['o-key'],
};

/** Every layout by name. */
export const SHUANGPIN_LAYOUTS: Readonly<Record<ShuangpinSchemeName, ShuangpinLayout>> = {
  xiaohe: XIAOHE,
  microsoft: MICROSOFT,
  ziranma: ZIRANMA,
  sogou: SOGOU,
  abc: ABC,
  ziguang: ZIGUANG,
};
