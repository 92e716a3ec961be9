import type { Diagnostic, Loc } from '../diagnostics/diagnostic.js';

/**
 * What the loader hands to validation: plain JSON-like values (objects, arrays, strings,
 * numbers, booleans, null) plus a side table of source positions for every node.
 * Values never contain `__proto__`, `constructor` or `prototype` keys (the loader rejects them)
 * and never share structure (aliases are expanded within a budget, or rejected).
 */
export type YamlValue = null | boolean | number | string | YamlValue[] | { [key: string]: YamlValue };

/**
 * Positions of one collection node: its own, and those of its keys/values or items.
 * The loader's implementation (positions.ts) builds these on first read from packed offsets;
 * for single look-ups prefer `keyLocIn`/`valueLocIn`/`itemLocIn` (positions.ts), which build
 * only the one `Loc` asked for.
 */
export interface NodeLocs {
  readonly self: Loc;
  /** For mappings: key -> position of the key and of its value. */
  readonly entries?: ReadonlyMap<string, { key: Loc; value: Loc }>;
  /** For sequences: position of each item. */
  readonly items?: readonly Loc[];
}

/** Maps every collection (object or array) of a loaded document to its positions. */
export interface LocMap {
  get(node: object): NodeLocs | undefined;
}

export interface LoadedDocument {
  /** Project-relative path, `/`-separated. */
  file: string;
  /** 0-based index of the document within a multi-document file. */
  index: number;
  value: YamlValue;
  /** Position of the document's root node. */
  loc: Loc;
  locs: LocMap;
}

/** A path into a document, as ajv's instancePath segments: keys and array indexes. */
export type ValuePath = ReadonlyArray<string | number>;

export interface LoadResult {
  documents: LoadedDocument[];
  diagnostics: Diagnostic[];
  /** Every file read (project-relative path -> text), for code frames. */
  sources: Map<string, string>;
}
