import { canonicalJson } from '../http/canonical-json.js';
import { holisticsAccessChanges } from './access.js';
import type { PlatformChange, PlatformDiff } from '../http/platform.js';
import { bindingKey, type Bindings, type PlatformRequest } from '../http/request.js';
import { attributeBody, entryBody, holisticsPaths, UPSERT_BATCH } from './bodies.js';
import type { HolisticsDesired } from './desired.js';
import type { Entry, InputType } from './entries.js';

/**
 * Holistics: desired vs live. Attributes, groups and users the policies name are created when
 * missing (users by invitation); memberships of managed groups are added and removed; attribute
 * entries that differ are upserted, at most 100 per call. Objects the policies do not name are
 * left alone. A missing entry on the platform means `inherit` (Holistics' default).
 * `compile` diffs against the empty state: requests.json sets up a fresh Holistics.
 */
export interface HolisticsLive {
  attributes: Record<string, { id: number; attribute_type: string; label: string; description?: string }>;
  groups: Record<string, { id: number }>;
  /** By e-mail. `groups`: names of the user's groups. */
  users: Record<string, { id: number; groups: string[] }>;
  /** `<User|Group>\u0000<login|group>\u0000<attribute>` -> entry. */
  entries: Record<string, { inputType: InputType; values?: string[] }>;
}

export const EMPTY_HOLISTICS: HolisticsLive = { attributes: {}, groups: {}, users: {}, entries: {} };

export function entryKey(type: 'User' | 'Group', subject: string, attribute: string): string {
  return `${type}\u0000${subject}\u0000${attribute}`;
}

export function holisticsDiff(desired: HolisticsDesired, live: HolisticsLive): PlatformDiff {
  const changes: PlatformChange[] = [];
  const requests: PlatformRequest[] = [];
  const bindings: Bindings = {};
  for (const [name, attribute] of Object.entries(live.attributes)) bindings[bindingKey('attribute', name)] = attribute.id;
  for (const [name, group] of Object.entries(live.groups)) bindings[bindingKey('group', name)] = group.id;
  const byEmail = new Map(desired.users.map((u) => [u.email, u.login]));
  for (const [email, user] of Object.entries(live.users)) {
    const login = byEmail.get(email);
    if (login !== undefined) bindings[bindingKey('user', login)] = user.id;
  }

  for (const attribute of desired.attributes) {
    const current = live.attributes[attribute.name];
    if (current === undefined) {
      changes.push({ action: 'create', kind: 'userAttribute', id: attribute.name, after: attribute });
      requests.push({ method: 'POST', path: holisticsPaths.attributes, body: attributeBody(attribute), bind: { name: bindingKey('attribute', attribute.name), from: ['user_attribute', 'id'] } });
    } else {
      const before = { name: attribute.name, attribute_type: current.attribute_type, label: current.label, ...(current.description ? { description: current.description } : {}) };
      if (!same(before, attribute)) {
        changes.push({ action: 'update', kind: 'userAttribute', id: attribute.name, before, after: attribute });
        requests.push({ method: 'PUT', path: holisticsPaths.attribute(attribute.name), body: attributeBody(attribute) });
      }
    }
  }
  for (const group of desired.groups) {
    if (live.groups[group] !== undefined) continue;
    changes.push({ action: 'create', kind: 'group', id: group, after: { name: group } });
    requests.push({ method: 'POST', path: holisticsPaths.groups, body: { group: { name: group } }, bind: { name: bindingKey('group', group), from: ['group', 'id'] } });
  }
  // A disabled user without an account is not invited just to be locked out: nothing is sent for them.
  const absent = new Set(desired.users.filter((u) => !u.enabled && live.users[u.email] === undefined).map((u) => u.login));
  const missing = desired.users.filter((u) => live.users[u.email] === undefined && !absent.has(u.login));
  for (const role of ['admin', 'user'] as const) {
    const invited = missing.filter((u) => u.role === role);
    if (invited.length === 0) continue;
    for (const user of invited) changes.push({ action: 'create', kind: 'user', id: user.login, after: { email: user.email, role } });
    requests.push({ method: 'POST', path: holisticsPaths.invite, body: { emails: invited.map((u) => u.email), role } });
  }
  const managed = new Set(desired.groups);
  for (const user of desired.users) {
    if (absent.has(user.login)) continue;
    const current = new Set((live.users[user.email]?.groups ?? []).filter((g) => managed.has(g)));
    const wanted = new Set(user.groups);
    for (const group of user.groups) {
      if (current.has(group)) continue;
      changes.push({ action: 'create', kind: 'membership', id: `${user.login} in ${group}` });
      requests.push({ method: 'POST', path: holisticsPaths.addUser(group, user.login), idempotent: true });
    }
    for (const group of [...current].sort()) {
      if (wanted.has(group)) continue;
      changes.push({ action: 'delete', kind: 'membership', id: `${user.login} in ${group}` });
      requests.push({ method: 'POST', path: holisticsPaths.removeUser(group, user.login), idempotent: true });
    }
  }
  const upserts: Entry[] = [];
  for (const entry of desired.entries) {
    if (entry.subjectType === 'User' && absent.has(entry.subject)) continue;
    const current = live.entries[entryKey(entry.subjectType, entry.subject, entry.attribute)] ?? { inputType: 'inherit' as const };
    const after = shape(entry);
    const before = shape(current);
    if (same(before, after)) continue;
    const exists = live.entries[entryKey(entry.subjectType, entry.subject, entry.attribute)] !== undefined;
    changes.push({ action: exists ? 'update' : 'create', kind: 'attributeEntry', id: `${entry.subjectType} ${entry.subject} ${entry.attribute}`, ...(exists ? { before } : {}), after });
    upserts.push(entry);
  }
  for (let start = 0; start < upserts.length; start += UPSERT_BATCH) {
    requests.push({ method: 'PUT', path: holisticsPaths.upsert, body: { user_attribute_entries: upserts.slice(start, start + UPSERT_BATCH).map(entryBody) } });
  }
  const emails = new Set(desired.users.map((u) => u.email));
  const notes = Object.keys(live.users)
    .filter((email) => !emails.has(email))
    .map((email) => `Holistics user "${email}" is not in the policies: warden leaves it and its attribute entries alone`);
  return { changes, requests, bindings, notes, access: holisticsAccessChanges(desired, live) };
}

function shape(entry: { inputType: InputType; values?: string[] }): { input_type: InputType; values?: string[] } {
  return entry.inputType === 'manual' ? { input_type: 'manual', values: [...(entry.values ?? [])].sort() } : { input_type: entry.inputType };
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
