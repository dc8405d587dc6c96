import { ImeError, ImeErrorCode } from '../util/errors.ts';
import type { WordTrie } from '../lexicon/word-trie.ts';

/** Most phrases kept under one reading (the decoder takes the first few anyway). */
const ENTRIES_PER_NODE = 32;

/**
 * The phrases the user taught the engine (picked 你 then 好 → 你好), as a mutable syllable
 * trie the decoder searches next to the lexicon. Word ids start at `firstId` (the lexicon's
 * size) so they never collide with lexicon ids, and are never reused while this object lives:
 * a forgotten id simply stops resolving.
 */
export class UserWords implements WordTrie {
  readonly root = 0;
  private children: Map<number, number>[] = [new Map()];
  private entries: number[][] = [[]];
  private readonly textById = new Map<number, string>();
  private readonly idByText = new Map<string, number>();
  private readonly nodeById = new Map<number, number>();
  private nextId: number;

  /**
   * @param firstId the first id handed out (the lexicon's word count).
   * @param endId one past the last id that may be handed out.
   */
  constructor(
    readonly firstId: number,
    readonly endId: number,
  ) {
    if (!(Number.isSafeInteger(firstId) && firstId >= 0 && endId > firstId)) throw new ImeError(ImeErrorCode.InvalidArgument, 'bad word id range');
    this.nextId = firstId;
  }

  /** Number of phrases. */
  get size(): number {
    return this.idByText.size;
  }

  /**
   * Adds a phrase read as `syllables` (syllable ids); returns its word id, or undefined when
   * the id range is used up, the reading is empty, or too many phrases share the reading.
   * Adding a known text again moves it to the new reading and keeps its id.
   */
  add(text: string, syllables: readonly number[]): number | undefined {
    if (!text || syllables.length === 0) return undefined;
    let node = this.root;
    for (const s of syllables) {
      let next = this.children[node]!.get(s);
      if (next === undefined) {
        next = this.children.length;
        this.children.push(new Map());
        this.entries.push([]);
        this.children[node]!.set(s, next);
      }
      node = next;
    }
    const known = this.idByText.get(text);
    if (known !== undefined) {
      if (this.nodeById.get(known) === node) return known;
      if (this.entries[node]!.length >= ENTRIES_PER_NODE) return undefined;
      this.detach(known);
      this.entries[node]!.push(known);
      this.nodeById.set(known, node);
      return known;
    }
    if (this.nextId >= this.endId || this.entries[node]!.length >= ENTRIES_PER_NODE) return undefined;
    const id = this.nextId++;
    this.entries[node]!.push(id);
    this.textById.set(id, text);
    this.idByText.set(text, id);
    this.nodeById.set(id, node);
    return id;
  }

  /** Removes a phrase; returns true when it was there. */
  remove(text: string): boolean {
    const id = this.idByText.get(text);
    if (id === undefined) return false;
    this.detach(id);
    this.idByText.delete(text);
    this.textById.delete(id);
    return true;
  }

  /** Removes every phrase (ids are still not reused). */
  clear(): void {
    this.children = [new Map()];
    this.entries = [[]];
    this.textById.clear();
    this.idByText.clear();
    this.nodeById.clear();
  }

  /** The id of a phrase, or undefined. */
  idOf(text: string): number | undefined {
    return this.idByText.get(text);
  }

  /** True when `word` is one of this trie's (live) ids. */
  has(word: number): boolean {
    return this.textById.has(word);
  }

  textOf(word: number): string | undefined {
    return this.textById.get(word);
  }

  child(node: number, syllable: number): number {
    return this.children[node]?.get(syllable) ?? -1;
  }

  forEachChild(node: number, syllables: Uint16Array, visit: (child: number) => void): void {
    const kids = this.children[node];
    if (!kids || kids.size === 0) return;
    if (kids.size < syllables.length) {
      for (const [s, c] of kids) if (contains(syllables, s)) visit(c);
    } else {
      for (let i = 0; i < syllables.length; i++) {
        const c = kids.get(syllables[i]!);
        if (c !== undefined) visit(c);
      }
    }
  }

  hasChildren(node: number): boolean {
    return (this.children[node]?.size ?? 0) > 0;
  }

  entriesStart(node: number): number {
    return node * ENTRIES_PER_NODE;
  }

  entriesEnd(node: number): number {
    return node * ENTRIES_PER_NODE + (this.entries[node]?.length ?? 0);
  }

  entryWord(entry: number): number {
    const node = Math.floor(entry / ENTRIES_PER_NODE);
    return this.entries[node]?.[entry - node * ENTRIES_PER_NODE] ?? -1;
  }

  entryPenalty(_entry: number): number {
    return 0;
  }

  private detach(id: number): void {
    const node = this.nodeById.get(id);
    if (node === undefined) return;
    const list = this.entries[node]!;
    const at = list.indexOf(id);
    if (at >= 0) list.splice(at, 1);
    this.nodeById.delete(id);
  }
}

function contains(sorted: Uint16Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v < value) lo = mid + 1;
    else if (v > value) hi = mid - 1;
    else return true;
  }
  return false;
}
