import type { Loc } from '../diagnostics/diagnostic.js';
import type { AttributeAssignment, Located, UserDef } from '../model/policy.js';

/**
 * A copy of `value` (a definition or a diagnostic: plain objects, arrays and Maps) in which every
 * position in `file` at or after line `from` is `delta` lines further down. Watch mode uses it for
 * users whose lines moved because lines were added or removed above them: their definitions and
 * findings are the same but for the line numbers. Written generically, so that a field added to
 * a definition later is moved too. Positions are never shared with the original (the previous
 * model keeps reading those).
 */
export function shiftLocs<T>(value: T, file: string, from: number, delta: number): T {
  return copy(value, file, from, delta) as T;
}

function copy(value: unknown, file: string, from: number, delta: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => copy(item, file, from, delta));
  if (value instanceof Map) {
    // The shared empty assignments map stays shared (nothing in it to move).
    if (value.size === 0) return value;
    const out = new Map<unknown, unknown>();
    for (const [key, item] of value) out.set(key, copy(item, file, from, delta));
    return out;
  }
  if (isLoc(value)) {
    if (value.file !== file || value.line < from) return { ...value };
    const moved: Loc = { ...value, line: value.line + delta };
    if (value.endLine !== undefined) moved.endLine = value.endLine + delta;
    return moved;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key], file, from, delta);
  return out;
}

function isLoc(value: object): value is Loc {
  const v = value as Partial<Loc>;
  return typeof v.file === 'string' && typeof v.line === 'number' && typeof v.column === 'number';
}

const USER_KEYS = new Set(['login', 'loc', 'name', 'email', 'groups', 'attributes', 'admin', 'disabled', 'apiKeys', 'home', 'dbRole', 'directRoles']);
const ASSIGNMENT_KEYS = new Set(['attribute', 'loc', 'values', 'raw']);

/**
 * `shiftLocs` for a user definition, written out for its fields (10,000 moved users cost a few
 * milliseconds instead of the generic walk's twenty); positions that do not move are shared, as
 * positions are never changed. A definition with a field this does not know takes the generic walk.
 */
export function shiftUserDef(def: UserDef, file: string, from: number, delta: number): UserDef {
  for (const key in def) if (!USER_KEYS.has(key)) return shiftLocs(def, file, from, delta);
  for (const assignment of def.attributes.values()) for (const key in assignment) if (!ASSIGNMENT_KEYS.has(key)) return shiftLocs(def, file, from, delta);
  // Plain functions with the shift passed along, no closure per call: this runs for every moved user.
  const out: UserDef = { ...def, loc: moveLoc(def.loc, file, from, delta), groups: moveAll(def.groups, file, from, delta) };
  if (def.attributes.size > 0) {
    const attributes = new Map<string, AttributeAssignment>();
    for (const [name, assignment] of def.attributes) {
      attributes.set(name, {
        attribute: assignment.attribute,
        loc: moveLoc(assignment.loc, file, from, delta),
        values: assignment.values,
        raw: moveAll(assignment.raw, file, from, delta),
      });
    }
    out.attributes = attributes;
  }
  if (def.apiKeys !== undefined) out.apiKeys = moveOne(def.apiKeys, file, from, delta);
  if (def.home !== undefined) out.home = moveOne(def.home, file, from, delta);
  if (def.dbRole !== undefined) out.dbRole = moveOne(def.dbRole, file, from, delta);
  if (def.directRoles !== undefined) out.directRoles = moveAll(def.directRoles, file, from, delta);
  return out;
}

function moveLoc(loc: Loc, file: string, from: number, delta: number): Loc {
  if (loc.file !== file || loc.line < from) return loc;
  const moved: Loc = { ...loc, line: loc.line + delta };
  if (loc.endLine !== undefined) moved.endLine = loc.endLine + delta;
  return moved;
}

function moveOne<T>(item: Located<T>, file: string, from: number, delta: number): Located<T> {
  return { value: item.value, loc: moveLoc(item.loc, file, from, delta) };
}

function moveAll<T>(items: readonly Located<T>[], file: string, from: number, delta: number): Located<T>[] {
  const out = new Array<Located<T>>(items.length);
  for (let i = 0; i < items.length; i++) out[i] = moveOne(items[i], file, from, delta);
  return out;
}
