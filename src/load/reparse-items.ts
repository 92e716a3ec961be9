import type { Loc } from '../diagnostics/diagnostic.js';
import { DEFAULT_PARSE_LIMITS, parseYamlPart } from './parse-yaml.js';
import { DocumentLocs } from './positions.js';
import { LineIndex } from './source-text.js';
import type { LoadedDocument, YamlValue } from './types.js';

/**
 * Incremental re-parse of one edited file (watch mode): when the edit lies inside a run of
 * items of one section of the file's single document (say, one user of a `users:` file of
 * 10,000), only those items' lines are parsed again; the document's other values are kept and
 * their positions moved by the edit's offset. Anything less simple — several documents, anchors
 * or aliases near the edit, a flow-style section, a line indented less than the items, a key
 * that now repeats another item's, any diagnostic while parsing the items — returns null, and
 * the caller parses the whole file as usual. The property test checks that the result equals a
 * parse of the whole new text, positions included.
 */

export interface ItemsEdit {
  /** The root key whose mapping's items were re-parsed. */
  section: string;
  /** Names of the old items that were replaced, in source order. */
  removed: string[];
  /** Names of the items parsed from the new text, in source order. */
  added: string[];
  /** Lines the edit added (negative: removed). Items and sections after it moved that much. */
  lineDelta: number;
  /** Names of the section's items after the edit (their values are unchanged; their lines moved when lineDelta is not 0). */
  after: string[];
  /** Whether root keys follow the section in the document (they moved too when lineDelta is not 0). */
  sectionsAfter: boolean;
}

export interface ReparsedDocument {
  document: LoadedDocument;
  edit: ItemsEdit;
}

/** Offsets of a part of the new text, read as positions of the whole new text. */
class PartLines extends LineIndex {
  constructor(
    private readonly whole: LineIndex,
    private readonly base: number,
  ) {
    super(whole.file, '');
  }

  override loc(offset: number): Loc {
    return this.whole.loc(offset + this.base);
  }

  override range(start: number, end: number): Loc {
    return this.whole.range(start + this.base, end + this.base);
  }
}

/**
 * Re-parses the items of `doc` (the only document of the old text, parsed without any
 * diagnostic) that the change from `oldText` to `newText` touches. On success the old
 * document's position tables are updated in place and belong to the returned document: the old
 * document must not be used afterwards. Null: parse the whole file instead.
 */
export function reparseItems(oldText: string, newText: string, doc: LoadedDocument): ReparsedDocument | null {
  const locs = doc.locs;
  const root = doc.value;
  if (!(locs instanceof DocumentLocs) || locs.hasOverrides()) return null;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) return null;
  if (oldText.charCodeAt(0) === 0xfeff || newText.charCodeAt(0) === 0xfeff || oldText === newText) return null;
  const rootId = locs.idOf(root);
  if (rootId === undefined || oldText[locs.selfOffset(rootId)] === '{') return null;

  // The changed region: [p, oldEnd) of the old text became [p, newEnd) of the new one.
  const shorter = Math.min(oldText.length, newText.length);
  const p = commonPrefix(oldText, newText, shorter);
  const s = commonSuffix(oldText, newText, shorter - p);
  const oldEnd = oldText.length - s;
  const delta = newText.length - oldText.length;

  // The section whose items hold the region.
  const rootCount = locs.entryCountOf(rootId);
  let sectionIndex = -1;
  for (let i = 0; i < rootCount; i++) if (locs.entryOffset(rootId, i, 0) <= p) sectionIndex = i;
  if (sectionIndex === -1) return null;
  const section = locs.nameOf(rootId, sectionIndex);
  const parent = (root as Record<string, YamlValue>)[section];
  if (parent === null || typeof parent !== 'object' || Array.isArray(parent)) return null;
  const parentId = locs.idOf(parent);
  if (parentId === undefined || oldText[locs.selfOffset(parentId)] === '{') return null;
  const count = locs.entryCountOf(parentId);
  if (count === 0) return null;
  const sectionsAfter = sectionIndex + 1 < rootCount;
  let sectionEnd = oldText.length;
  if (sectionsAfter) {
    const next = locs.entryOffset(rootId, sectionIndex + 1, 0);
    sectionEnd = lineStart(oldText, next);
    if (sectionEnd !== next) return null;
  }
  if (oldEnd > sectionEnd) return null;

  // Items k..m cover the region; each starts at the line of its key, indented `indent`.
  const indent = keyIndent(oldText, locs.entryOffset(parentId, 0, 0));
  if (indent <= 0) return null;
  const startOf = (j: number) => lineStart(oldText, locs.entryOffset(parentId, j, 0));
  const endOf = (j: number) => (j + 1 < count ? startOf(j + 1) : sectionEnd);
  if (p < startOf(0)) return null;
  // Keys are in source order: the last item starting at or before p, by bisection.
  let k = 0;
  for (let hi = count - 1; k < hi; ) {
    const mid = (k + hi + 1) >> 1;
    if (startOf(mid) <= p) k = mid;
    else hi = mid - 1;
  }
  // A change that starts in the indentation of an item's key line (a line added at the end of the
  // item before, which the common start cut after that indentation) may belong to the item before.
  if (k > 0 && p <= startOf(k) + indent) k--;
  let m = k;
  while (m < count - 1 && endOf(m) < oldEnd) m++;
  for (let j = k; j <= Math.min(m + 1, count - 1); j++) if (keyIndent(oldText, locs.entryOffset(parentId, j, 0)) !== indent) return null;
  const base = startOf(k);
  const oldPart = oldText.slice(base, endOf(m));
  const part = newText.slice(base, endOf(m) + delta);
  // Anchors and aliases can reach across items; directives and document markers start at column 1.
  if (/[&*]/.test(oldPart) || /[&*\t]/.test(part) || /^ *(?:---|\.\.\.)(?:\s|$)/m.test(part) || !linesIndented(part, indent)) return null;

  const lines = new LineIndex(doc.file, newText);
  const parsed = parseYamlPart(doc.file, part, new PartLines(lines, base), {
    ...DEFAULT_PARSE_LIMITS,
    // The root mapping sits above the section's mapping, which the part's own root stands for.
    maxDepth: DEFAULT_PARSE_LIMITS.maxDepth - 1,
  });
  if (parsed.diagnostics.length > 0 || parsed.documents.length !== 1) return null;
  const items = parsed.documents[0].value;
  const snippet = parsed.documents[0].locs;
  if (items === null || typeof items !== 'object' || Array.isArray(items) || !(snippet instanceof DocumentLocs) || snippet.hasOverrides()) return null;
  const itemsId = snippet.idOf(items)!;
  // A block mapping whose first key starts the part: nothing before it that the whole parse would read differently.
  if (snippet.selfOffset(itemsId) !== indent || part[indent] === '{') return null;
  const added: string[] = [];
  let previousKey = -1;
  for (let j = 0; j < snippet.entryCountOf(itemsId); j++) {
    // Each key on a line of its own, in order: an empty key (`: x`) is placed at its mapping's
    // start, which is the part's first key here but the section's first key in the whole file.
    const key = snippet.entryOffset(itemsId, j, 0);
    if (key <= previousKey || keyIndent(part, key) !== indent) return null;
    previousKey = key;
    added.push(snippet.nameOf(itemsId, j));
  }
  const removed: string[] = [];
  for (let j = k; j <= m; j++) removed.push(locs.nameOf(parentId, j));
  const removedNames = new Set(removed);
  // A key that another item already has would be a duplicate-key error: the whole parse says it.
  for (const name of added) if (Object.prototype.hasOwnProperty.call(parent, name) && !removedNames.has(name)) return null;

  const after: string[] = [];
  for (let j = m + 1; j < count; j++) after.push(locs.nameOf(parentId, j));
  // The new values. The same items under the same names (the usual edit): replaced in place, as
  // the old document is given up anyway (its position tables become the new one's). Otherwise the
  // parent is rebuilt in source order, and the root with it.
  const sameNames = added.length === removed.length && added.every((name, i) => name === removed[i]);
  const removedValues = removed.map((name) => parent[name]);
  let newParent = parent;
  let newRoot = root;
  if (sameNames) for (const name of added) parent[name] = (items as Record<string, YamlValue>)[name];
  else {
    newParent = {};
    for (let j = 0; j < k; j++) {
      const name = locs.nameOf(parentId, j);
      newParent[name] = parent[name];
    }
    for (const name of added) newParent[name] = (items as Record<string, YamlValue>)[name];
    for (const name of after) newParent[name] = parent[name];
    newRoot = {};
    for (const key in root) newRoot[key] = key === section ? newParent : (root as Record<string, YamlValue>)[key];
  }

  locs.splice({
    root,
    newRoot,
    parent,
    newParent,
    section: sectionIndex,
    from: k,
    removed: m - k + 1,
    removedValues,
    snippet,
    snippetRoot: items,
    base,
    oldEnd,
    delta,
    lines,
  });
  const lineDelta = countLines(part) - countLines(oldPart);
  return { document: { file: doc.file, index: doc.index, value: newRoot, loc: doc.loc, locs }, edit: { section, removed, added, lineDelta, after, sectionsAfter } };
}

/** Length of the common start of two texts: compared a block at a time (natively), then by character. */
function commonPrefix(a: string, b: string, limit: number): number {
  let p = 0;
  for (let block = 4096; block >= 1; block >>= 4) {
    while (p + block <= limit && a.slice(p, p + block) === b.slice(p, p + block)) p += block;
  }
  return p;
}

/** Length of the common end of two texts, at most `limit`. */
function commonSuffix(a: string, b: string, limit: number): number {
  let s = 0;
  for (let block = 4096; block >= 1; block >>= 4) {
    while (s + block <= limit && a.slice(a.length - s - block, a.length - s) === b.slice(b.length - s - block, b.length - s)) s += block;
  }
  return s;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Spaces before a key that starts its line; -1 when anything else precedes it. */
function keyIndent(text: string, offset: number): number {
  const start = lineStart(text, offset);
  for (let i = start; i < offset; i++) if (text.charCodeAt(i) !== 0x20) return -1;
  return offset - start;
}

/** Every line blank or indented at least `indent` spaces. */
function linesIndented(part: string, indent: number): boolean {
  let start = 0;
  while (start < part.length) {
    let end = part.indexOf('\n', start);
    if (end === -1) end = part.length;
    let i = start;
    while (i < end && part.charCodeAt(i) === 0x20) i++;
    const blank = i === end || (i === end - 1 && part.charCodeAt(i) === 0x0d);
    if (!blank && i - start < indent) return false;
    start = end + 1;
  }
  return true;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
