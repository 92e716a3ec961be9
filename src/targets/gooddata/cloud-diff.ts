import { canonicalJson } from '../http/canonical-json.js';
import type { PlatformChange, PlatformDiff } from '../http/platform.js';
import type { PlatformRequest } from '../http/request.js';
import { declarativeFilter, paths, userDocument, userGroupDocument, type DeclarativeUserDataFilter } from './cloud-bodies.js';
import { gooddataAccessChanges } from './access.js';
import type { GooddataDesired } from './desired.js';

/**
 * GoodData Cloud: desired state vs live state. Groups and users that warden manages are created
 * (POST) or patched (PATCH with the name/e-mail and the complete parents/userGroups lists, so
 * memberships changed by hand are reverted while attributes warden does not own — the user's
 * authenticationId, names — are kept; a PUT would wipe them); groups
 * and users the policies do not name are left alone. The workspace's user data filters are one
 * object on the platform: any difference re-sends the complete set (full replacement).
 * `compile` uses the empty state, so requests.json is the plan for a fresh workspace.
 */
export interface CloudLive {
  groups: Record<string, { name: string; parents: string[] }>;
  users: Record<string, { email?: string; groups: string[] }>;
  filters: DeclarativeUserDataFilter[];
}

export const EMPTY_CLOUD: CloudLive = { groups: {}, users: {}, filters: [] };

export function cloudDiff(desired: GooddataDesired, live: CloudLive): PlatformDiff {
  // A disabled user who has no account on the platform is not created just to be locked out.
  const absent = new Set(desired.users.filter((u) => !u.enabled && live.users[u.id] === undefined).map((u) => u.id));
  const changes: PlatformChange[] = [];
  const requests: PlatformRequest[] = [];
  for (const group of desired.groups) {
    const after = { name: group.name, parents: group.parents };
    const current = live.groups[group.id];
    if (current === undefined) {
      changes.push({ action: 'create', kind: 'userGroup', id: group.id, after });
      requests.push({ method: 'POST', path: paths.userGroups, body: userGroupDocument(group), alreadyDone: [409] });
    } else if (!same(normaliseGroup(current), after)) {
      changes.push({ action: 'update', kind: 'userGroup', id: group.id, before: normaliseGroup(current), after });
      requests.push({ method: 'PATCH', path: paths.userGroup(group.id), body: userGroupDocument(group), idempotent: true });
    }
  }
  for (const user of desired.users) {
    if (absent.has(user.id)) continue;
    const after = { ...(user.email ? { email: user.email } : {}), groups: user.groups };
    const current = live.users[user.id];
    if (current === undefined) {
      changes.push({ action: 'create', kind: 'user', id: user.login, after });
      requests.push({ method: 'POST', path: paths.users, body: userDocument(user), alreadyDone: [409] });
    } else if (!same(normaliseUser(current), after)) {
      changes.push({ action: 'update', kind: 'user', id: user.login, before: normaliseUser(current), after });
      requests.push({ method: 'PATCH', path: paths.user(user.id), body: userDocument(user), idempotent: true });
    }
  }
  const wanted = desired.filters.filter((f) => !absent.has(f.userId)).map(declarativeFilter);
  const filterChanges = diffFilters(wanted, live.filters, desired);
  changes.push(...filterChanges);
  if (filterChanges.length > 0) {
    requests.push({ method: 'PUT', path: paths.userDataFilters(desired.options.workspace), body: { userDataFilters: wanted } });
  }
  const managed = new Set(desired.users.map((u) => u.id));
  const notes = Object.keys(live.users)
    .filter((id) => !managed.has(id))
    .map((id) => `GoodData user "${id}" is not in the policies: warden leaves it alone, and without a data filter it sees every row of any workspace it can open`);
  return { changes, requests, bindings: {}, notes, access: gooddataAccessChanges(changes) };
}

/** Per filter, whole before/after (a user's data permission is shown and replaced in full). */
function diffFilters(wanted: DeclarativeUserDataFilter[], live: DeclarativeUserDataFilter[], desired: GooddataDesired): PlatformChange[] {
  const loginOf = new Map(desired.users.map((u) => [u.id, u.login]));
  const label = (f: DeclarativeUserDataFilter): string => (f.user && loginOf.get(f.user.id)) ?? f.id;
  const liveById = new Map(live.map((f) => [f.id, normaliseFilter(f)]));
  const changes: PlatformChange[] = [];
  for (const filter of wanted) {
    const current = liveById.get(filter.id);
    if (current === undefined) changes.push({ action: 'create', kind: 'userDataFilter', id: label(filter), after: filter });
    else if (!same(current, filter)) changes.push({ action: 'update', kind: 'userDataFilter', id: label(filter), before: current, after: filter });
    liveById.delete(filter.id);
  }
  for (const [, gone] of [...liveById].sort(([a], [b]) => (a < b ? -1 : 1))) {
    changes.push({ action: 'delete', kind: 'userDataFilter', id: label(gone), before: gone });
  }
  return changes;
}

function normaliseGroup(group: { name: string; parents: string[] }): { name: string; parents: string[] } {
  return { name: group.name, parents: [...group.parents].sort() };
}

function normaliseUser(user: { email?: string; groups: string[] }): { email?: string; groups: string[] } {
  return { ...(user.email ? { email: user.email } : {}), groups: [...user.groups].sort() };
}

/** Only the fields warden writes; the platform may add its own (tags, description). */
function normaliseFilter(filter: DeclarativeUserDataFilter): DeclarativeUserDataFilter {
  return {
    id: filter.id,
    title: filter.title,
    maql: filter.maql,
    ...(filter.user ? { user: { id: filter.user.id, type: 'user' as const } } : {}),
    ...(filter.userGroup ? { userGroup: { id: filter.userGroup.id, type: 'userGroup' as const } } : {}),
  };
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
