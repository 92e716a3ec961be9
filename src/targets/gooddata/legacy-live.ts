import type { HttpClient } from '../http/client.js';
import type { PlatformAdapter } from '../http/platform.js';
import { bindingKey, type Bindings } from '../http/request.js';
import type { GooddataDesired } from './desired.js';
import { legacyPaths } from './legacy-bodies.js';
import { legacyRequests, legacyUserBindings } from './legacy-requests.js';

/**
 * The legacy platform (seed 002). Its documented API gives the project's users (to bind logins
 * to profile URIs) but no way to read a user's current filters back, so a legacy plan always
 * re-specifies every user's complete filter list — which the platform requires anyway (seed 002:
 * "you must re-specify all Data Permissions filters for that user each time you update").
 */
export interface LegacyLive {
  /** login -> profile URI. */
  users: Record<string, string>;
}

const PAGE = 100;

export async function readLegacyUsers(client: HttpClient, project: string): Promise<LegacyLive> {
  const users: Record<string, string> = {};
  for (let offset = 0; ; offset += PAGE) {
    const response = await client.send('GET', legacyPaths.users(project, offset, PAGE));
    const page = ((response.body as { users?: Array<{ user?: { content?: { login?: string; email?: string }; links?: { self?: string } } }> } | null)?.users ?? []);
    for (const entry of page) {
      const login = entry.user?.content?.login ?? entry.user?.content?.email;
      const self = entry.user?.links?.self;
      if (typeof login === 'string' && typeof self === 'string') users[login] = self;
    }
    if (page.length < PAGE) break;
  }
  return { users: Object.fromEntries(Object.entries(users).sort(([a], [b]) => (a < b ? -1 : 1))) };
}

function userBindings(desired: GooddataDesired, live: LegacyLive): Bindings {
  const bindings: Bindings = {};
  for (const [login, uri] of Object.entries(live.users)) bindings[bindingKey('user', login)] = uri;
  return { ...bindings, ...legacyUserBindings(desired) };
}

export function legacyAdapter(desired: GooddataDesired): PlatformAdapter<LegacyLive> {
  const project = desired.options.workspace;
  const maqlOf = new Map(desired.filters.map((f) => [f.login, f.maql]));
  return {
    readLive: (client) => readLegacyUsers(client, project),
    diff: (live) => {
      const bindings = userBindings(desired, live);
      // A user without a profile on the project cannot be given filters (nor does it see anything there).
      const onPlatform = (login: string): boolean => bindingKey('user', login) in bindings;
      return {
        changes: desired.users.filter((u) => onPlatform(u.login)).map((user) => ({ action: 'update' as const, kind: 'userFilters', id: user.login, after: { filter: maqlOf.get(user.login) ?? null } })),
        requests: legacyRequests(desired, onPlatform),
        bindings,
        notes: desired.users.filter((u) => !onPlatform(u.login)).map((u) => `"${u.login}" has no user profile in GoodData project ${project}: no filters are assigned to it`),
      };
    },
    refreshBindings: async (client) => userBindings(desired, await readLegacyUsers(client, project)),
  };
}
