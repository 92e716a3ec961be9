import type { PlatformRequest } from '../http/request.js';
import { bindingKey } from '../http/request.js';
import type { GooddataDesired } from './desired.js';
import { legacyPaths, userFilterAssignments, userFilterObject } from './legacy-bodies.js';

/**
 * The legacy platform's requests for the users `include` selects (default: all; plan selects
 * those whose filters changed): one `userFilter` object per filtered user, then those users'
 * filter lists, each complete (an unrestricted user's list is empty, which removes filters set
 * earlier). Assignments go in batches so no single request grows without bound.
 */
const ASSIGNMENTS_PER_REQUEST = 100;

export function legacyRequests(desired: GooddataDesired, include?: (login: string) => boolean): PlatformRequest[] {
  const project = desired.options.workspace;
  const present = include ?? (() => true);
  const requests: PlatformRequest[] = desired.filters.filter((f) => present(f.login)).map((filter) => ({
    method: 'POST',
    path: legacyPaths.objects(project),
    body: userFilterObject(filter.login, filter.maql),
    bind: { name: bindingKey('filter', filter.login), from: ['uri'] },
  }));
  const filtered = new Set(desired.filters.map((f) => f.login));
  const items = desired.users.filter((u) => present(u.login)).map((user) => ({ login: user.login, filtered: filtered.has(user.login) }));
  for (let start = 0; start < items.length; start += ASSIGNMENTS_PER_REQUEST) {
    requests.push({ method: 'POST', path: legacyPaths.userFilters(project), body: userFilterAssignments(items.slice(start, start + ASSIGNMENTS_PER_REQUEST)) });
  }
  return requests;
}

/** Legacy user profile URIs bound from `user_ids`. */
export function legacyUserBindings(desired: GooddataDesired): Record<string, string> {
  const bindings: Record<string, string> = {};
  for (const [login, uri] of desired.options.userIds) bindings[bindingKey('user', login)] = uri;
  return bindings;
}
