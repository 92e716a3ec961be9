import type { HttpClient } from '../http/client.js';
import type { PlatformAdapter, PlatformChange } from '../http/platform.js';
import { bindingKey, type Bindings } from '../http/request.js';
import type { GooddataDesired } from './desired.js';
import { legacyPaths } from './legacy-bodies.js';
import { legacyRequests, legacyUserBindings } from './legacy-requests.js';

/**
 * The legacy platform (seed 002): the project's users (to bind logins to profile URIs), the
 * users' filter assignments and the filter objects' expressions. A user whose filter differs gets
 * a new filter object and their complete list re-specified (seed 002: "you must re-specify all
 * Data Permissions filters for that user each time you update"); unchanged users are not touched.
 * The old filter object is left in place, unassigned: the documented API has no delete for it.
 */
export interface LegacyLive {
  /** login -> profile URI. */
  users: Record<string, string>;
  /** login -> the expressions of the user's assigned filters, sorted. */
  filters: Record<string, string[]>;
}

const PAGE = 100;

export async function readLegacyUsers(client: HttpClient, project: string): Promise<Record<string, string>> {
  const users: Record<string, string> = {};
  for (let offset = 0; ; offset += PAGE) {
    const response = await client.send('GET', legacyPaths.users(project, offset, PAGE));
    const page = (response.body as { users?: Array<{ user?: { content?: { login?: string; email?: string }; links?: { self?: string } } }> } | null)?.users ?? [];
    for (const entry of page) {
      const login = entry.user?.content?.login ?? entry.user?.content?.email;
      const self = entry.user?.links?.self;
      if (typeof login === 'string' && typeof self === 'string') users[login] = self;
    }
    if (page.length < PAGE) break;
  }
  return sortRecord(users);
}

export async function readLegacyLive(client: HttpClient, project: string): Promise<LegacyLive> {
  const users = await readLegacyUsers(client, project);
  const loginOf = new Map(Object.entries(users).map(([login, uri]) => [uri, login]));
  const expressions = new Map<string, string>();
  const filters: Record<string, string[]> = {};
  for (let offset = 0; ; offset += PAGE) {
    const response = await client.send('GET', legacyPaths.assignments(project, offset, PAGE));
    const items = (response.body as { userFilters?: { items?: Array<{ user: string; userFilters: string[] }> } } | null)?.userFilters?.items ?? [];
    for (const item of items) {
      const login = loginOf.get(item.user);
      if (login === undefined) continue;
      const list: string[] = [];
      for (const uri of item.userFilters) {
        if (!expressions.has(uri)) {
          const object = await client.send('GET', uri);
          expressions.set(uri, String((object.body as { userFilter?: { content?: { expression?: string } } } | null)?.userFilter?.content?.expression ?? ''));
        }
        list.push(expressions.get(uri)!);
      }
      if (list.length > 0) filters[login] = list.sort();
    }
    if (items.length < PAGE) break;
  }
  return { users, filters: sortRecord(filters) };
}

function sortRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function userBindings(desired: GooddataDesired, users: Record<string, string>): Bindings {
  const bindings: Bindings = {};
  for (const [login, uri] of Object.entries(users)) bindings[bindingKey('user', login)] = uri;
  return { ...bindings, ...legacyUserBindings(desired) };
}

export function legacyAdapter(desired: GooddataDesired): PlatformAdapter<LegacyLive> {
  const project = desired.options.workspace;
  const maqlOf = new Map(desired.filters.map((f) => [f.login, f.maql]));
  return {
    readLive: (client) => readLegacyLive(client, project),
    diff: (live) => {
      const bindings = userBindings(desired, live.users);
      // A user without a profile on the project cannot be given filters (nor does it see anything there).
      const onPlatform = (login: string): boolean => bindingKey('user', login) in bindings;
      const changes: PlatformChange[] = [];
      const changed = new Set<string>();
      for (const user of desired.users) {
        if (!onPlatform(user.login)) continue;
        const after = maqlOf.has(user.login) ? [maqlOf.get(user.login)!] : [];
        const before = live.filters[user.login] ?? [];
        if (JSON.stringify(before) === JSON.stringify(after)) continue;
        changed.add(user.login);
        changes.push({ action: before.length === 0 ? 'create' : after.length === 0 ? 'delete' : 'update', kind: 'userFilters', id: user.login, before: { filters: before }, after: { filters: after } });
      }
      return {
        changes,
        requests: legacyRequests(desired, (login) => changed.has(login)),
        bindings,
        notes: desired.users.filter((u) => !onPlatform(u.login)).map((u) => `"${u.login}" has no user profile in GoodData project ${project}: no filters are assigned to it`),
      };
    },
    refreshBindings: async (client) => userBindings(desired, await readLegacyUsers(client, project)),
  };
}
