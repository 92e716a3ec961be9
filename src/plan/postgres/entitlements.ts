import type { AttributeType, Scalar } from '../../model/policy.js';
import { ATTRIBUTE_TYPES, type Entitlements } from '../../targets/postgres/desired-state.js';
import { scalarText } from '../../targets/postgres/quote.js';
import type { LiveEntitlements, LivePrincipal } from './live.js';
import { RowDigest } from './row-digest.js';
import { compareText } from './live.js';

/**
 * Entitlements compared principal by principal, keyed by login (ids are warden's internal
 * numbering and stay what the live database has, so a one-user change never renumbers others).
 * Both sides are brought to the same canonical text, so the comparison is a string equality.
 */

/** A principal's complete rows (login-keyed, without its id), for inserts and the access diff. */
export interface PrincipalRecord {
  login: string;
  dbRole: string;
  enabled: boolean;
  bypass: boolean;
  admin: boolean;
  subjects: string[];
  /** `rule NUL cond NUL state`. */
  conditions: string[];
  /** `type NUL rule NUL cond NUL value`, the value as PostgreSQL prints it (booleans true/false). */
  values: string[];
  /** Desired records only: the entry_settings text (absent for a disabled principal). */
  entry?: string;
}

/** What plan compares per principal: its flags and the digest of its rows. */
export interface PrincipalDigest {
  login: string;
  /** The desired side's id, the live side's id. */
  id: number;
  /** Flags and row digest: equal keys, equal rows. */
  key: string;
}

export function principalKey(p: { dbRole: string; enabled: boolean; bypass: boolean; admin: boolean }, digest: RowDigest): string {
  return `${p.dbRole}\u0000${p.enabled ? 1 : 0}${p.bypass ? 1 : 0}${p.admin ? 1 : 0}\u0000${digest.value()}`;
}

/** The same row fields on both sides, in the same order: see live.ts. */
export function digestSubject(d: RowDigest, subject: string): void {
  d.add('s', subject);
}
export function digestCondition(d: RowDigest, rule: string, cond: string, state: string): void {
  d.add('c', rule, cond, state);
}
export function digestValue(d: RowDigest, type: string, rule: string, cond: string, text: string): void {
  d.add('v', type, rule, cond, text);
}
/** An entry_settings row, its settings as jsonb prints them (the table is derived, but a hand edit must still show). */
export function digestEntry(d: RowDigest, login: string, settingsText: string): void {
  d.add('e', login, settingsText);
}

/** Desired digests by login, in login order (buildDesiredState numbers principals by sorted login). */
export function desiredDigests(e: Entitlements): Map<string, PrincipalDigest> {
  const digests = new Map<number, RowDigest>();
  for (const p of e.principals) digests.set(p.id, new RowDigest());
  for (const a of e.subjectAccess) digestSubject(digests.get(a.principalId)!, a.subject);
  for (const c of e.conditions) digestCondition(digests.get(c.principalId)!, c.rule, String(c.cond), c.state);
  for (const type of ATTRIBUTE_TYPES) {
    for (const v of e.values[type]) digestValue(digests.get(v.principalId)!, type, v.rule, String(v.cond), scalarText(v.value, type));
  }
  for (const row of e.entries) digestEntry(digests.get(row.principalId)!, row.login, row.text);
  const out = new Map<string, PrincipalDigest>();
  for (const p of e.principals) out.set(p.login, { login: p.login, id: p.id, key: principalKey(p, digests.get(p.id)!) });
  return out;
}

/** Full desired rows of the given logins (all when `logins` is null). */
export function desiredRecords(e: Entitlements, logins: Set<string> | null = null): Map<string, PrincipalRecord> {
  const byId = new Map<number, PrincipalRecord>();
  const out = new Map<string, PrincipalRecord>();
  for (const p of e.principals) {
    if (logins !== null && !logins.has(p.login)) continue;
    const record: PrincipalRecord = { login: p.login, dbRole: p.dbRole, enabled: p.enabled, bypass: p.bypass, admin: p.admin, subjects: [], conditions: [], values: [] };
    byId.set(p.id, record);
    out.set(p.login, record);
  }
  for (const a of e.subjectAccess) byId.get(a.principalId)?.subjects.push(a.subject);
  for (const c of e.conditions) byId.get(c.principalId)?.conditions.push(`${c.rule}\u0000${c.cond}\u0000${c.state}`);
  for (const type of ATTRIBUTE_TYPES) {
    for (const v of e.values[type]) byId.get(v.principalId)?.values.push(`${type}\u0000${v.rule}\u0000${v.cond}\u0000${scalarText(v.value, type)}`);
  }
  for (const row of e.entries) {
    const record = byId.get(row.principalId);
    if (record) record.entry = row.text;
  }
  return out;
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

export function diffEntitlements(desired: Map<string, PrincipalDigest>, live: LiveEntitlements | null): EntitlementDiff {
  const livePrincipals = live?.principals ?? new Map<string, LivePrincipal>();
  const diff: EntitlementDiff = { added: [], changed: [], removed: [], removedIds: [], orphanIds: live?.orphanIds ?? [], ids: new Map() };
  let nextId = (live?.maxId ?? 0) + 1;
  // Desired logins come in login order already.
  for (const [login, want] of desired) {
    const have = livePrincipals.get(login);
    if (!have) {
      diff.added.push(login);
      diff.ids.set(login, nextId++);
    } else {
      diff.ids.set(login, have.id);
      if (want.key !== have.key) diff.changed.push(login);
    }
  }
  for (const [login, have] of livePrincipals) {
    if (desired.has(login)) continue;
    diff.removed.push(login);
    diff.removedIds.push(have.id);
  }
  diff.removed.sort(compareText);
  diff.removedIds.sort((a, b) => a - b);
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
