import type { Loc } from '../diagnostics/diagnostic.js';
import { itemLocIn, keyLocIn, valueLocIn } from './positions.js';
import type { LoadedDocument, ValuePath, YamlValue } from './types.js';

/**
 * Finds the source position of the node at `path` in a loaded document (ajv's instancePath
 * segments). When the path runs past what exists (a missing property), the deepest existing
 * node is returned, so a diagnostic always has a position.
 */
export function locate(doc: LoadedDocument, path: ValuePath): Loc {
  return walk(doc, path).value;
}

/** Position of the key of the last path segment (for "unknown key" errors), else of the node. */
export function locateKey(doc: LoadedDocument, path: ValuePath): Loc {
  return walk(doc, path).key;
}

function walk(doc: LoadedDocument, path: ValuePath): { value: Loc; key: Loc } {
  let node: YamlValue = doc.value;
  let value: Loc = doc.loc;
  let key: Loc = doc.loc;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') break;
    if (Array.isArray(node)) {
      const index = typeof segment === 'number' ? segment : Number(segment);
      if (!Number.isInteger(index) || index < 0 || index >= node.length) break;
      const at = itemLocIn(doc.locs, node, index) ?? value;
      value = at;
      key = at;
      node = node[index];
    } else {
      const name = String(segment);
      const keyLoc = keyLocIn(doc.locs, node, name);
      if (keyLoc === undefined || !Object.prototype.hasOwnProperty.call(node, name)) break;
      value = valueLocIn(doc.locs, node, name)!;
      key = keyLoc;
      node = node[name];
    }
  }
  return { value, key };
}

/** Parses an ajv instancePath (`/groups/apac/inherits/0`) into segments (JSON Pointer unescaping). */
export function parseInstancePath(instancePath: string): string[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}
