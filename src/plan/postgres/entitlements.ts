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
  for (const c of e.conditions) byId.get(c.principalId)!.conditions.push([c.rule, c.cond, c.state]);
  for (const type of ATTRIBUTE_TYPES) {
    for (const v of e.values[type]) byId.get(v.principalId)!.values.push([type, v.rule, v.cond, scalarText(v.value, type)]);
  }
  return out;
}

/** Order-independent identity of a principal's rows. */
export function recordKey(r: PrincipalRecord): string {
  const subjects = [...r.subjects].sort(compareText);
  const conditions = r.conditions.map((c) => JSON.stringify(c)).sort(compareText);
  const values = r.values.map((v) => JSON.stringify(v)).sort(compareText);
  return JSON.stringify([r.dbRole, r.enabled, r.bypass, r.admin, subjects, conditions, values]);
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
