import type { Loc } from '../diagnostics/diagnostic.js';
import type { LineIndex } from './source-text.js';
import type { LocMap, NodeLocs } from './types.js';

/**
 * Positions of a document's nodes, kept as character offsets in flat integer tables and turned
 * into `Loc` objects only when asked for. A 100,000-user file has millions of nodes and almost
 * none of their positions is ever read (only those of definitions, references and diagnostics),
 * so building a `Loc`, an entry object and a `Map` per node — or even an array per collection —
 * was most of the loader's allocations and garbage-collection time.
 *
 * A position is an offset into the file's text or, rarely, a ready `Loc` (a position that is
 * not at an offset, such as the column just after a key whose value is empty when that column
 * lies past the key's line).
 */
export type Position = number | Loc;

/** Marks a slot whose position is a `Loc` in the overrides. */
const OVERRIDDEN = -1;

/** Above this many entries a mapping gets a name → entry index for its look-ups. */
const LINEAR_SCAN_LIMIT = 8;

function grow(table: Int32Array<ArrayBuffer>, needed: number): Int32Array<ArrayBuffer> {
  if (needed <= table.length) return table;
  const bigger = new Int32Array(Math.max(needed, table.length * 2));
  bigger.set(table);
  return bigger;
}

/**
 * The entries of the collections that are still open, in the order written. A collection's
 * entries are contiguous here (its children's were removed when they closed), and are moved to
 * the document's tables when it closes: so each collection's entries end up contiguous there.
 */
export class OpenEntries {
  offsets: Int32Array<ArrayBuffer> = new Int32Array(1024);
  names: string[] = [];
  overrides = new Map<number, Loc>();
  /** Entries held (each two offsets: key and value; a sequence item uses both for itself). */
  count = 0;

  push(name: string, key: Position, value: Position): void {
    const slot = this.count * 2;
    this.offsets = grow(this.offsets, slot + 2);
    this.names[this.count] = name;
    this.offsets[slot] = typeof key === 'number' ? key : this.override(slot, key);
    this.offsets[slot + 1] = typeof value === 'number' ? value : this.override(slot + 1, value);
    this.count++;
  }

  private override(slot: number, loc: Loc): number {
    this.overrides.set(slot, loc);
    return OVERRIDDEN;
  }
}

/**
 * The LocMap of one document: collection → id; per id its own offset and its run of entries;
 * per entry a name (mappings) and two offsets. Plain Map, not a WeakMap: it lives exactly as long
 * as the document that holds both it and the values, and weak tables cost the garbage collector
 * extra work for every entry.
 */
export class DocumentLocs implements LocMap {
  private readonly ids = new Map<object, number>();
  /** Per collection id: own offset, first entry, entry count. */
  private collections: Int32Array<ArrayBuffer> = new Int32Array(192);
  private collectionCount = 0;
  private offsets: Int32Array<ArrayBuffer> = new Int32Array(512);
  private names: string[] = [];
  private entryCount = 0;
  /** Entries no collection points at any more (left by splices). */
  private garbage = 0;
  private overrides: Map<number, Loc> | undefined;
  private indexes: Map<number, Map<string, number>> | undefined;
  /** Per large mapping, the entry last found by name. */
  private cursors: Map<number, number> | undefined;

  constructor(public lines: LineIndex) {}

  idOf(node: object): number | undefined {
    return this.ids.get(node);
  }

  /** Key (`which` 0) or value (`which` 1) position of the entry `name` of a mapping. */
  entryLoc(node: object, name: string, which: 0 | 1): Loc | undefined {
    const id = this.ids.get(node);
    if (id === undefined || Array.isArray(node)) return undefined;
    const index = this.indexOf(id, name);
    return index === -1 ? undefined : this.locOf(id, index, which);
  }

  /** Position of item `index` of a sequence. */
  itemLoc(node: object, index: number): Loc | undefined {
    const id = this.ids.get(node);
    if (id === undefined || !Array.isArray(node) || index < 0 || index >= this.entryCountOf(id)) return undefined;
    return this.locOf(id, index, 1);
  }

  get(node: object): PackedNodeLocs | undefined {
    const id = this.ids.get(node);
    return id === undefined ? undefined : new PackedNodeLocs(this, id, !Array.isArray(node));
  }

  /** Registers a collection that starts at `offset`; its entries come with `close`. */
  open(node: object, offset: number): number {
    const id = this.collectionCount++;
    this.collections = grow(this.collections, id * 3 + 3);
    this.collections[id * 3] = offset;
    this.ids.set(node, id);
    return id;
  }

  /** Gives a copy (of an aliased value) the positions of its original. */
  share(copy: object, original: object): void {
    const id = this.ids.get(original);
    if (id !== undefined) this.ids.set(copy, id);
  }

  /** Moves the entries `from`… of `open` (those of collection `id`) into this document's tables. */
  close(id: number, open: OpenEntries, from: number): void {
    const count = open.count - from;
    const first = this.entryCount;
    this.collections[id * 3 + 1] = first;
    this.collections[id * 3 + 2] = count;
    const offsets = (this.offsets = grow(this.offsets, (first + count) * 2));
    // Plain loops: a subarray view per collection would be an object per collection.
    const source = open.offsets;
    for (let i = from * 2, j = first * 2; i < open.count * 2; i++, j++) offsets[j] = source[i];
    const names = this.names;
    for (let i = 0; i < count; i++) names[first + i] = open.names[from + i];
    if (open.overrides.size > 0) {
      for (const [slot, loc] of open.overrides) {
        if (slot < from * 2) continue;
        (this.overrides ??= new Map()).set(first * 2 + slot - from * 2, loc);
        open.overrides.delete(slot);
      }
    }
    this.entryCount += count;
    open.count = from;
  }

  /** Drops the tables' spare room once the document is complete (they are kept with it). */
  finish(): void {
    this.collections = this.collections.slice(0, this.collectionCount * 3);
    this.offsets = this.offsets.slice(0, this.entryCount * 2);
    this.names = this.names.slice(0, this.entryCount);
  }

  // ---- incremental re-parse (reparse-items.ts) ------------------------------------------

  /** Whether any position is a ready `Loc` rather than an offset (the splice below needs offsets only). */
  hasOverrides(): boolean {
    return this.overrides !== undefined && this.overrides.size > 0;
  }

  /** A collection's own offset. */
  selfOffset(id: number): number {
    return this.collections[id * 3];
  }

  /** Key (`which` 0) or value (`which` 1) offset of entry `index` of a collection. */
  entryOffset(id: number, index: number, which: 0 | 1): number {
    return this.offsets[(this.collections[id * 3 + 1] + index) * 2 + which];
  }

  /**
   * Replaces entries `from`..`from + removed` of the mapping `parent` by the entries of the
   * snippet's root mapping (a re-parse of just those items' text, whose offsets are relative to
   * `base` in the new text), after moving every old offset at or past `oldEnd` by `delta`. The
   * old root and parent objects are re-registered as their replacements; the removed items'
   * collections are forgotten. Afterwards every position reads from `lines`, the new text's.
   */
  splice(edit: {
    root: object;
    newRoot: object;
    parent: object;
    newParent: object;
    /** Index of the parent's entry in the root mapping. */
    section: number;
    from: number;
    removed: number;
    removedValues: readonly unknown[];
    snippet: DocumentLocs;
    snippetRoot: object;
    base: number;
    oldEnd: number;
    delta: number;
    lines: LineIndex;
  }): void {
    const rootId = this.ids.get(edit.root)!;
    const parentId = this.ids.get(edit.parent)!;
    if (edit.delta !== 0) {
      const { oldEnd, delta } = edit;
      const offsets = this.offsets;
      for (let i = 0; i < this.entryCount * 2; i++) if (offsets[i] >= oldEnd) offsets[i] += delta;
      const collections = this.collections;
      for (let i = 0; i < this.collectionCount * 3; i += 3) if (collections[i] >= oldEnd) collections[i] += delta;
    }
    for (const value of edit.removedValues) this.forget(value);
    // The snippet's collections (all but its root), renumbered after ours, entries appended.
    const snippet = edit.snippet;
    const snippetRootId = snippet.ids.get(edit.snippetRoot)!;
    const renumber = new Int32Array(snippet.collectionCount);
    for (let j = 0; j < snippet.collectionCount; j++) {
      if (j === snippetRootId) continue;
      const id = this.collectionCount++;
      renumber[j] = id;
      this.collections = grow(this.collections, id * 3 + 3);
      this.collections[id * 3] = snippet.collections[j * 3] + edit.base;
      this.collections[id * 3 + 1] = this.appendEntries(snippet, snippet.collections[j * 3 + 1], snippet.collections[j * 3 + 2], edit.base);
      this.collections[id * 3 + 2] = snippet.collections[j * 3 + 2];
    }
    for (const [node, j] of snippet.ids) if (j !== snippetRootId) this.ids.set(node, renumber[j]);
    // The parent's run: its entries before, the snippet root's, its entries after.
    const first = this.collections[parentId * 3 + 1];
    const count = this.collections[parentId * 3 + 2];
    const added = snippet.collections[snippetRootId * 3 + 2];
    const start = this.entryCount;
    this.appendEntries(this, first, edit.from, 0);
    this.appendEntries(snippet, snippet.collections[snippetRootId * 3 + 1], added, edit.base);
    this.appendEntries(this, first + edit.from + edit.removed, count - edit.from - edit.removed, 0);
    this.collections[parentId * 3 + 1] = start;
    this.collections[parentId * 3 + 2] = count - edit.removed + added;
    if (edit.from === 0) {
      // A block mapping starts at its first key, which is now the snippet's: so does the section's value.
      const self = snippet.collections[snippetRootId * 3] + edit.base;
      this.collections[parentId * 3] = self;
      this.offsets[(this.collections[rootId * 3 + 1] + edit.section) * 2 + 1] = self;
    }
    this.ids.delete(edit.root);
    this.ids.delete(edit.parent);
    this.ids.set(edit.newRoot, rootId);
    this.ids.set(edit.newParent, parentId);
    this.indexes?.delete(parentId);
    this.cursors?.delete(parentId);
    this.lines = edit.lines;
    // The parent's old run and the removed items' entries are left behind: compact when they outweigh the rest.
    this.garbage += count;
    if (this.garbage * 2 > this.entryCount && !this.hasOverrides()) this.compact();
  }

  /** Copies every live collection's entries into fresh tables, dropping what splices left behind. */
  private compact(): void {
    const live = new Set(this.ids.values());
    let total = 0;
    for (const id of live) total += this.collections[id * 3 + 2];
    const offsets = new Int32Array(total * 2);
    const names: string[] = new Array<string>(total);
    let at = 0;
    for (const id of live) {
      const first = this.collections[id * 3 + 1];
      const count = this.collections[id * 3 + 2];
      for (let i = 0; i < count; i++) {
        offsets[(at + i) * 2] = this.offsets[(first + i) * 2];
        offsets[(at + i) * 2 + 1] = this.offsets[(first + i) * 2 + 1];
        names[at + i] = this.names[first + i];
      }
      this.collections[id * 3 + 1] = at;
      at += count;
    }
    this.offsets = offsets;
    this.names = names;
    this.entryCount = total;
    this.garbage = 0;
  }

  /** Copies `count` entries from `first` of `source` to the end of this table (offsets + `shift`); returns where they start. */
  private appendEntries(source: DocumentLocs, first: number, count: number, shift: number): number {
    const at = this.entryCount;
    this.offsets = grow(this.offsets, (at + count) * 2);
    // After growing: `source` may be this table, whose grown copy holds the same entries.
    const from = source.offsets;
    const names = source.names;
    for (let i = 0; i < count; i++) {
      this.offsets[(at + i) * 2] = from[(first + i) * 2] + shift;
      this.offsets[(at + i) * 2 + 1] = from[(first + i) * 2 + 1] + shift;
      this.names[at + i] = names[first + i];
    }
    this.entryCount += count;
    return at;
  }

  private forget(value: unknown): void {
    if (value === null || typeof value !== 'object') return;
    const id = this.ids.get(value);
    if (id !== undefined) this.garbage += this.collections[id * 3 + 2];
    this.ids.delete(value);
    if (Array.isArray(value)) for (const item of value) this.forget(item);
    else for (const key in value) this.forget((value as Record<string, unknown>)[key]);
  }

  /** The `Loc` of a collection's own position. */
  selfLoc(id: number): Loc {
    return this.lines.loc(this.collections[id * 3]);
  }

  entryCountOf(id: number): number {
    return this.collections[id * 3 + 2];
  }

  nameOf(id: number, index: number): string {
    return this.names[this.collections[id * 3 + 1] + index];
  }

  /** Key (`which` 0) or value (`which` 1) position of entry `index` of a collection. */
  locOf(id: number, index: number, which: 0 | 1): Loc {
    const slot = (this.collections[id * 3 + 1] + index) * 2 + which;
    const offset = this.offsets[slot];
    if (offset === OVERRIDDEN) return this.overrides!.get(slot)!;
    return this.lines.loc(offset);
  }

  /** Index of the entry named `name` of a mapping, or -1. */
  indexOf(id: number, name: string): number {
    const first = this.collections[id * 3 + 1];
    const count = this.collections[id * 3 + 2];
    if (count <= LINEAR_SCAN_LIMIT) {
      for (let i = 0; i < count; i++) if (this.names[first + i] === name) return i;
      return -1;
    }
    // Large mappings (a file's users) are mostly read in order: try the entry after the last
    // one found before building a name index.
    this.cursors ??= new Map();
    const next = (this.cursors.get(id) ?? -1) + 1;
    if (next < count && this.names[first + next] === name) {
      this.cursors.set(id, next);
      return next;
    }
    this.indexes ??= new Map();
    let index = this.indexes.get(id);
    if (index === undefined) {
      index = new Map();
      for (let i = 0; i < count; i++) index.set(this.names[first + i], i);
      this.indexes.set(id, index);
    }
    const found = index.get(name) ?? -1;
    if (found !== -1) this.cursors.set(id, found);
    return found;
  }
}

/** A view of one collection's positions, made when asked for. */
export class PackedNodeLocs implements NodeLocs {
  constructor(
    private readonly table: DocumentLocs,
    private readonly id: number,
    readonly isMapping: boolean,
  ) {}

  get self(): Loc {
    return this.table.selfLoc(this.id);
  }

  /** Built on each read: for single look-ups use keyLoc/valueLoc (or keyLocIn/valueLocIn). */
  get entries(): Map<string, { key: Loc; value: Loc }> | undefined {
    if (!this.isMapping) return undefined;
    const map = new Map<string, { key: Loc; value: Loc }>();
    const count = this.table.entryCountOf(this.id);
    for (let i = 0; i < count; i++) {
      map.set(this.table.nameOf(this.id, i), { key: this.table.locOf(this.id, i, 0), value: this.table.locOf(this.id, i, 1) });
    }
    return map;
  }

  /** Built on each read: for single look-ups use itemLoc (or itemLocIn). */
  get items(): Loc[] | undefined {
    if (this.isMapping) return undefined;
    const count = this.table.entryCountOf(this.id);
    const items: Loc[] = [];
    for (let i = 0; i < count; i++) items.push(this.table.locOf(this.id, i, 1));
    return items;
  }

  /** Position of the key `name` of a mapping (undefined when absent). */
  keyLoc(name: string): Loc | undefined {
    const index = this.isMapping ? this.table.indexOf(this.id, name) : -1;
    return index === -1 ? undefined : this.table.locOf(this.id, index, 0);
  }

  /** Position of the value under `name` of a mapping (undefined when absent). */
  valueLoc(name: string): Loc | undefined {
    const index = this.isMapping ? this.table.indexOf(this.id, name) : -1;
    return index === -1 ? undefined : this.table.locOf(this.id, index, 1);
  }

  /** Position of item `index` of a sequence (undefined when out of range). */
  itemLoc(index: number): Loc | undefined {
    if (this.isMapping || index < 0 || index >= this.table.entryCountOf(this.id)) return undefined;
    return this.table.locOf(this.id, index, 1);
  }
}

// Single look-ups go straight to the document's tables when they can: merge and the secrets
// scan make hundreds of thousands of them, and a view object per look-up is pure garbage.

/** Position of the key `name` of `container` in a document, if recorded. */
export function keyLocIn(locs: LocMap, container: object, name: string): Loc | undefined {
  if (locs instanceof DocumentLocs) return locs.entryLoc(container, name, 0);
  return locs.get(container)?.entries?.get(name)?.key;
}

/** Position of the value under `name` of `container` in a document, if recorded. */
export function valueLocIn(locs: LocMap, container: object, name: string): Loc | undefined {
  if (locs instanceof DocumentLocs) return locs.entryLoc(container, name, 1);
  return locs.get(container)?.entries?.get(name)?.value;
}

/** Position of item `index` of the sequence `list` in a document, if recorded. */
export function itemLocIn(locs: LocMap, list: object, index: number): Loc | undefined {
  if (locs instanceof DocumentLocs) return locs.itemLoc(list, index);
  return locs.get(list)?.items?.[index];
}

/** `make(item, its position)` for every item of a sequence (`fallback` where none is recorded). */
export function mapItemsWithLocs<T, R>(locs: LocMap, list: readonly T[], fallback: Loc, make: (item: T, loc: Loc) => R): R[] {
  // list.map, not push: the result is kept in the policy, and map allocates it at its exact size.
  if (locs instanceof DocumentLocs) {
    const id = locs.idOf(list);
    const count = id === undefined ? 0 : locs.entryCountOf(id);
    return list.map((item, i) => make(item, i < count ? locs.locOf(id!, i, 1) : fallback));
  }
  const items = locs.get(list)?.items;
  return list.map((item, i) => make(item, items?.[i] ?? fallback));
}
