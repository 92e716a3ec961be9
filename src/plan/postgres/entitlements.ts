import type { AttributeType, Scalar } from '../../model/policy.js';
import { ATTRIBUTE_TYPES, type Entitlements } from '../../targets/postgres/desired-state.js';
import { scalarText } from '../../targets/postgres/quote.js';
import type { LiveEntitlements, LivePrincipal } from './live.js';
import { compareText } from './live.js';

/**
 * Entitlements compared principal by principal, keyed by login (ids are warden's internal
 * numbering and stay what the live database has, so a one-user change never renumbers others).
 * Both sides are brought to the same canonical text, so the comparison is a string equality.
 */

/** A principal's complete desired rows, without an id yet. */
export type PrincipalRecord = Omit<LivePrincipal, 'id'>;

export function desiredRecords(e: Entitlements): Map<string, PrincipalRecord> {
  const byId = new Map<number, PrincipalRecord>();
  const out = new Map<string, PrincipalRecord>();
  for (const p of e.principals) {
    const record: PrincipalRecord = { login: p.login, dbRole: p.dbRole, enabled: p.enabled, bypass: p.bypass, admin: p.admin, subjects: [], conditions: [], values: [] };
    byId.set(p.id, record);
    out.set(p.login, record);
  }
  for (const a of e.subjectAccess) byId.get(a.principalId)!.subjects.push(a.subject);
  for (const c of e.conditions) byId.get(c.principalId)!.conditions.push(`${c.rule}\u0000${c.cond}\u0000${c.state}`);
  for (const type of ATTRIBUTE_TYPES) {
    for (const v of e.values[type]) byId.get(v.principalId)!.values.push(`${type}\u0000${v.rule}\u0000${v.cond}\u0000${scalarText(v.value, type)}`);
  }
  return out;
}

const keys = new WeakMap<PrincipalRecord, string>();

/**
 * Order-independent identity of a principal's rows, computed once per record (plan compares and
 * fingerprints the same records). Fields are joined with control characters that PostgreSQL
 * text cannot hold (NUL) or that warden never writes in names, so no two row sets share a key.
 */
export function recordKey(r: PrincipalRecord): string {
  let key = keys.get(r);
  if (key !== undefined) return key;
  const subjects = r.subjects.length > 1 ? [...r.subjects].sort(compareText) : r.subjects;
  const conditions = r.conditions.length > 1 ? [...r.conditions].sort(compareText) : r.conditions;
  const values = r.values.length > 1 ? [...r.values].sort(compareText) : r.values;
  key = `${r.dbRole}\u0000${r.enabled ? 1 : 0}${r.bypass ? 1 : 0}${r.admin ? 1 : 0}\u0001${subjects.join('\u0000')}\u0001${conditions.join('\u0002')}\u0001${values.join('\u0002')}`;
  keys.set(r, key);
  return key;
}

/** A condition row's parts. */
export function conditionParts(row: string): { rule: string; cond: number; state: string } {
  const [rule, cond, state] = row.split('\u0000');
  return { rule, cond: Number(cond), state };
}

/** A value row's parts. */
export function valueParts(row: string): { type: AttributeType; rule: string; cond: number; text: string } {
  const [type, rule, cond, ...rest] = row.split('\u0000');
  return { type: type as AttributeType, rule, cond: Number(cond), text: rest.join('\u0000') };
}

export interface EntitlementDiff {
  /** Logins with no live principal. */
  added: string[];
  /** Logins whose rows differ. */
  changed: string[];
  /** Live logins no longer in the policies. */
  removed: string[];
  /** Live ids of the removed logins. */
  removedIds: number[];
  orphanIds: number[];
  /** login -> id to write: the live id when there is one, else a fresh one above every live id. */
  ids: Map<string, number>;
}

export function diffEntitlements(desired: Map<string, PrincipalRecord>, live: LiveEntitlements | null): EntitlementDiff {
  const livePrincipals = live?.principals ?? new Map<string, LivePrincipal>();
  const diff: EntitlementDiff = { added: [], changed: [], removed: [], removedIds: [], orphanIds: live?.orphanIds ?? [], ids: new Map() };
  let nextId = (live?.maxId ?? 0) + 1;
  for (const login of [...desired.keys()].sort(compareText)) {
    const want = desired.get(login)!;
    const have = livePrincipals.get(login);
    if (!have) {
      diff.added.push(login);
      diff.ids.set(login, nextId++);
    } else {
      diff.ids.set(login, have.id);
      if (recordKey(want) !== recordKey(have)) diff.changed.push(login);
    }
  }
  for (const login of [...livePrincipals.keys()].sort(compareText)) if (!desired.has(login)) {
    diff.removed.push(login);
    diff.removedIds.push(livePrincipals.get(login)!.id);
  }
  return diff;
}

export function isEmptyEntitlementDiff(d: EntitlementDiff): boolean {
  return d.added.length + d.changed.length + d.removed.length + d.orphanIds.length === 0;
}

/** A value as the model types it, from the canonical text. */
export function typedValue(type: AttributeType, text: string): Scalar {
  if (type === 'integer' || type === 'number') return Number(text);
  if (type === 'boolean') return text === 'true';
  return text;
}
