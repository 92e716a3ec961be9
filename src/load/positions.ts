import type { Loc } from '../diagnostics/diagnostic.js';
import type { LineIndex } from './source-text.js';
import type { LocMap, NodeLocs } from './types.js';

/**
 * Positions of a document's nodes, kept as character offsets and turned into `Loc` objects only
 * when asked for. A 100,000-user file has millions of nodes and almost none of their positions
 * is ever read (only those of definitions, references and diagnostics), so building a `Loc`,
 * an entry object and a `Map` per node was most of the loader's allocations and garbage
 * collection.
 *
 * A position slot is an offset into the file's text (the usual case) or, rarely, a ready `Loc`
 * (a position that is not at an offset, such as the column just after a key whose value is
 * empty when that column lies past the key's line).
 */
export type Position = number | Loc;

function toLoc(lines: LineIndex, position: Position): Loc {
  return typeof position === 'number' ? lines.loc(position) : position;
}

/** Above this many entries a mapping gets a name → slot index for its look-ups. */
const LINEAR_SCAN_LIMIT = 8;

/**
 * One collection's positions: `packed` is `[name, keyPosition, valuePosition, …]` for a mapping
 * (in source order) and `[itemPosition, …]` for a sequence.
 */
export class PackedNodeLocs implements NodeLocs {
  private index: Map<string, number> | undefined;
  private entriesCache: Map<string, { key: Loc; value: Loc }> | undefined;
  private itemsCache: Loc[] | undefined;

  constructor(
    private readonly lines: LineIndex,
    private readonly start: Position,
    readonly isMapping: boolean,
    readonly packed: Array<string | Position>,
  ) {}

  get self(): Loc {
    return toLoc(this.lines, this.start);
  }

  get entries(): Map<string, { key: Loc; value: Loc }> | undefined {
    if (!this.isMapping) return undefined;
    if (this.entriesCache === undefined) {
      const map = new Map<string, { key: Loc; value: Loc }>();
      const packed = this.packed;
      for (let i = 0; i < packed.length; i += 3) {
        map.set(packed[i] as string, { key: toLoc(this.lines, packed[i + 1] as Position), value: toLoc(this.lines, packed[i + 2] as Position) });
      }
      this.entriesCache = map;
    }
    return this.entriesCache;
  }

  get items(): Loc[] | undefined {
    if (this.isMapping) return undefined;
    this.itemsCache ??= this.packed.map((position) => toLoc(this.lines, position as Position));
    return this.itemsCache;
  }

  /** Position of the key `name` of a mapping (undefined when absent). */
  keyLoc(name: string): Loc | undefined {
    const slot = this.slotOf(name);
    return slot === -1 ? undefined : toLoc(this.lines, this.packed[slot + 1] as Position);
  }

  /** Position of the value under `name` of a mapping (undefined when absent). */
  valueLoc(name: string): Loc | undefined {
    const slot = this.slotOf(name);
    return slot === -1 ? undefined : toLoc(this.lines, this.packed[slot + 2] as Position);
  }

  /** Position of item `index` of a sequence (undefined when out of range). */
  itemLoc(index: number): Loc | undefined {
    if (this.isMapping || index < 0 || index >= this.packed.length) return undefined;
    return toLoc(this.lines, this.packed[index] as Position);
  }

  private slotOf(name: string): number {
    if (!this.isMapping) return -1;
    const packed = this.packed;
    if (packed.length <= LINEAR_SCAN_LIMIT * 3) {
      for (let i = 0; i < packed.length; i += 3) if (packed[i] === name) return i;
      return -1;
    }
    if (this.index === undefined) {
      this.index = new Map();
      for (let i = 0; i < packed.length; i += 3) this.index.set(packed[i] as string, i);
    }
    return this.index.get(name) ?? -1;
  }
}

/**
 * The LocMap of one document. A plain Map, not a WeakMap: it lives exactly as long as the
 * document that holds both it and the values, and weak tables cost the garbage collector extra
 * work for every entry.
 */
export class DocumentLocs implements LocMap {
  private readonly byNode = new Map<object, NodeLocs>();

  get(node: object): NodeLocs | undefined {
    return this.byNode.get(node);
  }

  set(node: object, locs: NodeLocs): void {
    this.byNode.set(node, locs);
  }
}

/** Position of the key `name` of `container` in a document, if recorded. */
export function keyLocIn(locs: LocMap, container: object, name: string): Loc | undefined {
  const node = locs.get(container);
  if (node === undefined) return undefined;
  return node instanceof PackedNodeLocs ? node.keyLoc(name) : node.entries?.get(name)?.key;
}

/** Position of the value under `name` of `container` in a document, if recorded. */
export function valueLocIn(locs: LocMap, container: object, name: string): Loc | undefined {
  const node = locs.get(container);
  if (node === undefined) return undefined;
  return node instanceof PackedNodeLocs ? node.valueLoc(name) : node.entries?.get(name)?.value;
}

/** Position of item `index` of the sequence `list` in a document, if recorded. */
export function itemLocIn(locs: LocMap, list: object, index: number): Loc | undefined {
  const node = locs.get(list);
  if (node === undefined) return undefined;
  return node instanceof PackedNodeLocs ? node.itemLoc(index) : node.items?.[index];
}
