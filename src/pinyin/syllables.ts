/**
 * The Mandarin syllable table (toneless, `v` for ü), including the interjections
 * m, n, ng, hm, hng and the rare syllables found in real dictionaries (fiao, tei, rua, …).
 *
 * Syllables are identified by their index in {@link SYLLABLES}; ids are stable because the
 * binary lexicon stores them, so append new syllables at the end only.
 */
export const SYLLABLES: readonly string[] = `
  a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang 
  cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan 
  chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di 
  dia dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng 
  fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo 
  ha hai han hang hao he hei hen heng hm hng hong hou hu hua huai huan huang hui hun huo ji jia 
  jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong 
  kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian liang liao 
  lie lin ling liu lo long lou lu luan lun luo lv lve m ma mai man mang mao me mei men meng mi 
  mian miao mie min ming miu mo mou mu n na nai nan nang nao ne nei nen neng ng ni nia nian niang 
  niao nie nin ning niu nong nou nu nuan nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi 
  pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun 
  ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng 
  sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun 
  shuo si song sou su suan sui sun suo ta tai tan tang tao te tei teng ti tian tiao tie ting tong 
  tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing 
  xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan 
  zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua 
  zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo `.trim().split(/\s+/);

/** Spellings people type that mean a table syllable (lue/nue for lüe/nüe). */
export const SYLLABLE_ALIASES: Readonly<Record<string, string>> = {
  lue: 'lve',
  nue: 'nve',
};

const idBySpelling = new Map<string, number>();
SYLLABLES.forEach((s, i) => idBySpelling.set(s, i));
for (const [alias, target] of Object.entries(SYLLABLE_ALIASES)) {
  idBySpelling.set(alias, idBySpelling.get(target)!);
}

/** Longest spelling in the table (and aliases), in letters. */
export const MAX_SYLLABLE_LENGTH = 6;

/** Id of a complete syllable spelling (aliases accepted), or -1. */
export function syllableId(spelling: string): number {
  return idBySpelling.get(spelling) ?? -1;
}

/** Spelling of a syllable id. */
export function syllableText(id: number): string {
  return SYLLABLES[id] ?? '';
}

const prefixSets = new Map<string, Uint16Array>();
for (const [spelling, id] of idBySpelling) {
  for (let len = 1; len <= spelling.length; len++) {
    const prefix = spelling.slice(0, len);
    const prev = prefixSets.get(prefix);
    if (prev && prev.includes(id)) continue;
    const next = new Uint16Array((prev?.length ?? 0) + 1);
    if (prev) next.set(prev);
    next[next.length - 1] = id;
    prefixSets.set(prefix, next.sort());
  }
}

/**
 * Ids of all syllables whose spelling starts with `prefix` (sorted), or undefined when no
 * syllable does. `syllablesWithPrefix('zh')` holds zha … zhuo; `syllablesWithPrefix('z')`
 * holds both the z- and the zh- syllables, which is what an abbreviation like `zg` needs.
 */
export function syllablesWithPrefix(prefix: string): Uint16Array | undefined {
  return prefixSets.get(prefix);
}

/** Initials a user may type alone to abbreviate a syllable. */
export const INITIALS: ReadonlySet<string> = new Set([
  'b', 'p', 'm', 'f', 'd', 't', 'n', 'l', 'g', 'k', 'h', 'j', 'q', 'x',
  'zh', 'ch', 'sh', 'r', 'z', 'c', 's', 'y', 'w',
]);
