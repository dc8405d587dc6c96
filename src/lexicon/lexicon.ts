import type { ByteSource } from '../util/byte-source.ts';
import { readContainer, type Container, type ContainerCodec, type ContainerSpec } from '../util/container.ts';
import { ImeError, ImeErrorCode } from '../util/errors.ts';
import { runStartsFromVarints } from '../util/varint.ts';
import { SYLLABLES } from '../pinyin/syllables.ts';
import type { WordTrie } from './word-trie.ts';
import { LEXICON_MAGIC, LEXICON_VERSION, PENALTY_STEP, type LexiconMeta } from './lexicon-format.ts';

/** Slots of the lexicon's table of decoded texts (2^14: the words of many clauses). */
const TEXT_CACHE_BITS = 14;
const TEXT_CACHE_SLOTS = 1 << TEXT_CACHE_BITS;

/**
 * The word list: word strings by id, and a trie over syllable ids whose nodes hold the words
 * read that way (best first). Typed-array views over the file, plus three arrays of offsets
 * summed at load from the stored lengths; nothing per entry is allocated.
 */
export class Lexicon implements WordTrie {
  readonly meta: LexiconMeta;
  /** The root node: no syllable consumed. */
  readonly root = 0;
  private readonly vtext: Uint8Array;
  private readonly voff: Uint32Array;
  private readonly linkStart: Uint32Array;
  private readonly linkSyl: Uint16Array;
  private readonly entryStart: Uint32Array;
  private readonly entryWordIds: Uint32Array;
  private readonly entryPen: Uint8Array;
  private readonly decoder = new TextDecoder();
  /**
   * Texts decoded lately, direct-mapped by word id: slot ids hold word + 1 (0 = empty). A
   * fixed table, never cleared all at once: a Map emptied when full (it was, at 50,000
   * entries) cost ~17 ms on the key that filled it.
   */
  private readonly cachedWord = new Uint32Array(TEXT_CACHE_SLOTS);
  private readonly cachedText: string[] = new Array<string>(TEXT_CACHE_SLOTS);

  /** Parses and verifies a lexicon file; throws {@link ImeError} on any damage. */
  static fromBytes(bytes: Uint8Array | ByteSource, fileName = 'lexicon', codec?: ContainerCodec): Lexicon {
    return new Lexicon(readContainer(bytes, Lexicon.spec(fileName, codec)), fileName);
  }

  /** What a lexicon file must look like, for {@link readContainer} and its async form. */
  static spec(fileName: string, codec?: ContainerCodec): ContainerSpec {
    return { magic: LEXICON_MAGIC, version: LEXICON_VERSION, fileName, codec };
  }

  /** A lexicon over a container already read (and checked) with {@link Lexicon.spec}. */
  static fromContainer(c: Container, fileName = 'lexicon'): Lexicon {
    return new Lexicon(c, fileName);
  }

  private constructor(c: Container, fileName: string) {
    if (c.version !== LEXICON_VERSION) {
      throw new ImeError(
        ImeErrorCode.UnsupportedVersion,
        `${fileName}: format version ${c.version} is no longer supported (this reader knows ${LEXICON_VERSION}); rebuild the lexicon`,
      );
    }
    const meta = c.json<LexiconMeta>('meta');
    const bad = (what: string) => new ImeError(ImeErrorCode.Corrupt, `${fileName}: ${what}`);
    if (meta.syllables !== SYLLABLES.join(' ')) throw bad('built for a different syllable table');
    this.meta = meta;
    const starts = (name: string, n: number) => {
      const s = Number.isInteger(n) && n >= 0 ? runStartsFromVarints(c.u8(name), n) : undefined;
      if (!s) throw bad(`section '${name}' does not hold ${n} lengths`);
      return s;
    };
    this.vtext = c.u8('vtext');
    this.voff = starts('vlen', meta.words);
    this.linkStart = starts('nlinks', meta.nodes);
    this.linkSyl = c.u16('lsyl');
    this.entryStart = starts('nentries', meta.nodes);
    this.entryWordIds = c.u32('eword');
    this.entryPen = c.u8('epen');
    if (
      this.voff.length !== meta.words + 1 ||
      this.voff[meta.words] !== this.vtext.length ||
      this.linkStart.length !== meta.nodes + 1 ||
      this.entryStart.length !== meta.nodes + 1 ||
      this.linkSyl.length !== meta.links ||
      meta.links !== meta.nodes - 1 ||
      this.linkStart[meta.nodes] !== meta.links ||
      this.entryStart[meta.nodes] !== meta.entries ||
      this.entryWordIds.length !== meta.entries ||
      this.entryPen.length !== meta.entries
    ) {
      throw bad('section sizes do not match the counts');
    }
    const syllables = SYLLABLES.length;
    for (let i = 0; i < meta.links; i++) {
      if (this.linkSyl[i]! >= syllables) throw bad('trie link out of range');
    }
    for (let n = 0; n < meta.nodes; n++) {
      if (this.linkStart[n]! > this.linkStart[n + 1]! || this.entryStart[n]! > this.entryStart[n + 1]!) {
        throw bad('trie offsets are not ascending');
      }
    }
    for (let i = 0; i < meta.entries; i++) {
      if (this.entryWordIds[i]! >= meta.words) throw bad('word id out of range');
    }
  }

  /** Number of word ids. */
  get size(): number {
    return this.meta.words;
  }

  /** The text of a word id. */
  text(word: number): string {
    const slot = Math.imul(word, 0x9e3779b1) >>> (32 - TEXT_CACHE_BITS);
    if (word >= 0 && this.cachedWord[slot] === word + 1) return this.cachedText[slot]!;
    const t = this.decoder.decode(this.vtext.subarray(this.voff[word], this.voff[word + 1]));
    this.cachedWord[slot] = word + 1;
    this.cachedText[slot] = t;
    return t;
  }

  textOf(word: number): string | undefined {
    return word >= 0 && word < this.meta.words ? this.text(word) : undefined;
  }

  /** The child of `node` along `syllable`, or -1. */
  child(node: number, syllable: number): number {
    let lo = this.linkStart[node]!;
    let hi = this.linkStart[node + 1]! - 1;
    const syl = this.linkSyl;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const s = syl[mid]!;
      if (s < syllable) lo = mid + 1;
      else if (s > syllable) hi = mid - 1;
      else return mid + 1; // breadth-first layout: link i leads to node i + 1
    }
    return -1;
  }

  /**
   * Calls `visit(child)` for every child of `node` reached by one of `syllables` (sorted ids).
   * Walks whichever list is shorter.
   */
  forEachChild(node: number, syllables: Uint16Array, visit: (child: number) => void): void {
    const start = this.linkStart[node]!;
    const end = this.linkStart[node + 1]!;
    if (end - start <= syllables.length) {
      let j = 0;
      for (let i = start; i < end; i++) {
        const s = this.linkSyl[i]!;
        while (j < syllables.length && syllables[j]! < s) j++;
        if (j === syllables.length) return;
        if (syllables[j] === s) visit(i + 1);
      }
    } else {
      for (let j = 0; j < syllables.length; j++) {
        const c = this.child(node, syllables[j]!);
        if (c >= 0) visit(c);
      }
    }
  }

  /** First entry index of a node; entries run to {@link entriesEnd}. */
  entriesStart(node: number): number {
    return this.entryStart[node]!;
  }

  entriesEnd(node: number): number {
    return this.entryStart[node + 1]!;
  }

  /** Word id of an entry. */
  entryWord(entry: number): number {
    return this.entryWordIds[entry]!;
  }

  /** Reading penalty of an entry in nats (0 for a word's usual reading). */
  entryPenalty(entry: number): number {
    return this.entryPen[entry]! * PENALTY_STEP;
  }

  /** True when the node has children (longer words continue through it). */
  hasChildren(node: number): boolean {
    return this.linkStart[node + 1]! > this.linkStart[node]!;
  }
}
