import { splitInitial, type FuzzyRules } from './fuzzy.ts';
import { EdgeKind, type SegmentEdge } from './segment-graph.ts';
import { SHUANGPIN_LAYOUTS, type ShuangpinLayout, type ShuangpinSchemeName } from './shuangpin-tables.ts';
import { SYLLABLES, syllableId, syllablesWithPrefix, syllableText } from './syllables.ts';

/** Finals that make a syllable on their own (no initial). */
const ZERO_INITIAL_FINALS: ReadonlySet<string> = new Set(['a', 'ai', 'an', 'ang', 'ao', 'e', 'ei', 'en', 'eng', 'er', 'o', 'ou']);
const ONE_LETTER_INITIALS: ReadonlySet<string> = new Set('bpmfdtnlgkhjqxrzcsyw');
const EMPTY = new Uint16Array(0);

/** One syllable a key pair reads as, with its extra cost (0 unless fuzzy). */
interface PairReading {
  readonly id: number;
  readonly cost: number;
}

/**
 * Turns the keys typed on `;` layouts (Microsoft, Sogou, Ziguang type ing with `;`) into what
 * a shuangpin reader reads: a–z, `;` and the apostrophe separator. Capitals are lowered and
 * other characters dropped. Never throws.
 */
export function normalizeShuangpinKeys(input: string): string {
  let out = '';
  for (const ch of String(input)) {
    const c = ch.toLowerCase();
    if ((c >= 'a' && c <= 'z') || c === ';') out += c;
    else if (c === "'" || c === '’') {
      if (out.length > 0 && !out.endsWith("'")) out += "'";
    }
  }
  return out;
}

/**
 * Reads shuangpin keys into segment-graph edges: two keys make one syllable (the edge's text
 * is the syllable spelled out, so the preedit shows full pinyin); a lone last key is the
 * initial of the syllable being typed; an apostrophe separates. Keys are read in pairs from
 * the start (or from an apostrophe); positions inside a pair get no edges. A pair that is no
 * syllable passes its first key through raw and reading goes on from the next key.
 */
export class ShuangpinReader {
  private readonly pairs = new Map<string, readonly PairReading[]>();
  private alignedFor = '';
  private aligned: Uint8Array = new Uint8Array(0);

  /**
   * @param layout the key layout
   * @param fuzzy fuzzy pairs applied to the syllables the keys spell (optional)
   */
  constructor(
    readonly layout: ShuangpinLayout,
    readonly fuzzy?: FuzzyRules,
  ) {}

  /** The reader of a named scheme. */
  static of(name: ShuangpinSchemeName, fuzzy?: FuzzyRules): ShuangpinReader {
    return new ShuangpinReader(SHUANGPIN_LAYOUTS[name], fuzzy);
  }

  /** Syllable spellings (valid or not) that two keys stand for, before fuzzy swaps. */
  spellings(first: string, second: string): string[] {
    const out: string[] = [];
    const initial = this.layout.initials[first] ?? (ONE_LETTER_INITIALS.has(first) ? first : undefined);
    const finals = this.layout.finals[second] ?? [];
    if (initial !== undefined) {
      for (const f of finals) out.push(initial + spellFinal(initial, f));
    }
    for (const style of this.layout.zeroInitial) {
      if (style === 'o-key' && first === 'o') {
        for (const f of finals) if (ZERO_INITIAL_FINALS.has(f)) out.push(f);
      } else if (style === 'first-letter' && (first === 'a' || first === 'e' || first === 'o')) {
        for (const f of ZERO_INITIAL_FINALS) {
          if (f[0] !== first) continue;
          if ((f.length === 1 && second === first) || (f.length === 2 && f[1] === second) || finals.includes(f)) out.push(f);
        }
      }
    }
    return [...new Set(out)];
  }

  /** The syllables two keys read as (exact ones cost 0, fuzzy ones their penalty), cached. */
  readPair(first: string, second: string): readonly PairReading[] {
    const key = first + second;
    let out = this.pairs.get(key);
    if (out) return out;
    const best = new Map<number, number>();
    const add = (id: number, cost: number) => {
      if (id >= 0 && !(best.get(id)! <= cost)) best.set(id, cost);
    };
    for (const s of this.spellings(first, second)) {
      add(syllableId(s), 0);
      if (this.fuzzy) for (const v of this.fuzzy.variants(s)) add(v.id, v.swaps * this.fuzzy.penalty);
    }
    out = [...best].map(([id, cost]) => ({ id, cost })).sort((a, b) => a.cost - b.cost || a.id - b.id);
    this.pairs.set(key, out);
    return out;
  }

  /** The initial a key types, or undefined. */
  initialOf(key: string): string | undefined {
    return this.layout.initials[key] ?? (ONE_LETTER_INITIALS.has(key) ? key : undefined);
  }

  /** The edges leaving position `i` of `input` (normalised with {@link normalizeShuangpinKeys}). */
  edgesFrom(input: string, i: number): SegmentEdge[] {
    if (!this.alignment(input)[i]) return [];
    const n = input.length;
    const key = input[i]!;
    if (key === "'") return [{ end: i + 1, kind: EdgeKind.Separator, syllables: EMPTY, text: '', cost: 0 }];
    const next = input[i + 1];
    const out: SegmentEdge[] = [];
    if (next !== undefined && next !== "'") {
      for (const r of this.readPair(key, next)) {
        out.push({ end: i + 2, kind: EdgeKind.Full, syllables: Uint16Array.of(r.id), text: syllableText(r.id), cost: r.cost });
      }
    } else {
      // A lone key: the start of the last syllable, or an abbreviation before an apostrophe.
      const kind = next === undefined ? EdgeKind.Partial : EdgeKind.Initial;
      for (const s of this.loneKeySyllables(key)) out.push({ end: i + 1, kind, syllables: s.ids, text: s.text, cost: s.cost });
    }
    if (out.length === 0) out.push({ end: i + 1, kind: EdgeKind.Raw, syllables: EMPTY, text: key, cost: 0 });
    return out;
  }

  /** What a lone key may start: the syllables of its initial, or of its zero-initial finals. */
  private loneKeySyllables(key: string): { text: string; ids: Uint16Array; cost: number }[] {
    const out: { text: string; ids: Uint16Array; cost: number }[] = [];
    const initial = this.initialOf(key);
    if (initial !== undefined) {
      out.push({ text: initial, ids: syllablesWithInitial(initial), cost: 0 });
      for (const other of this.fuzzy?.initialSwapsOf(initial) ?? []) {
        out.push({ text: other, ids: syllablesWithInitial(other), cost: this.fuzzy!.penalty });
      }
    }
    const zero = new Set<number>();
    for (const style of this.layout.zeroInitial) {
      for (const f of ZERO_INITIAL_FINALS) {
        if ((style === 'o-key' && key === 'o') || (style === 'first-letter' && f[0] === key)) zero.add(syllableId(f));
      }
    }
    if (zero.size > 0) out.push({ text: key, ids: Uint16Array.from(zero).sort(), cost: 0 });
    return out.filter((s) => s.ids.length > 0);
  }

  /** Which positions start a key pair (or a lone key, or an apostrophe), read from the start. */
  private alignment(input: string): Uint8Array {
    if (input === this.alignedFor && this.aligned.length === input.length) return this.aligned;
    const n = input.length;
    const aligned = new Uint8Array(n);
    let pos = 0;
    while (pos < n) {
      aligned[pos] = 1;
      const next = input[pos + 1];
      if (input[pos] !== "'" && next !== undefined && next !== "'" && this.readPair(input[pos]!, next).length > 0) pos += 2;
      else pos += 1;
    }
    this.alignedFor = input;
    this.aligned = aligned;
    return aligned;
  }
}

/** A final as spelled after `initial`: ü is written u after j, q, x and y. */
function spellFinal(initial: string, final: string): string {
  return final.startsWith('v') && 'jqxy'.includes(initial) ? 'u' + final.slice(1) : final;
}

const byInitial = new Map<string, Uint16Array>();

/** Ids of the syllables whose initial is exactly `initial` (`z` without the zh- ones). */
export function syllablesWithInitial(initial: string): Uint16Array {
  let out = byInitial.get(initial);
  if (!out) {
    const ids = syllablesWithPrefix(initial) ?? EMPTY;
    out = ids.filter((id) => splitInitial(SYLLABLES[id]!)[0] === initial);
    byInitial.set(initial, out);
  }
  return out;
}
