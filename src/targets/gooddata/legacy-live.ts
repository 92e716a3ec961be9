import type { HttpClient } from '../http/client.js';
import type { PlatformAdapter, PlatformChange } from '../http/platform.js';
import { bindingKey, type Bindings } from '../http/request.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { gooddataAccessChanges } from './access.js';
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
  /** With `lookup: true`: attribute URI -> element title -> element URI. */
  elements: Record<string, Record<string, string>>;
}

/** Computes the desired state again with looked-up elements added to the configured mappings. */
export type RecomputeWithElements = (elements: Map<string, Map<string, string>>) => { desired: GooddataDesired | null; diagnostics: Diagnostic[] };

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

/** Seed 002: `/gdc/md/{project}/obj/{attribute}/elements` lists an attribute's values with their URIs. */
export async function readElements(client: HttpClient, attributeUri: string): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  const limit = 1000;
  for (let offset = 0; ; offset += limit) {
    const response = await client.send('GET', legacyPaths.elements(attributeUri, offset, limit));
    const elements = (response.body as { attributeElements?: { elements?: Array<{ title?: string; uri?: string }> } } | null)?.attributeElements?.elements ?? [];
    for (const element of elements) if (typeof element.title === 'string' && typeof element.uri === 'string') found[element.title] = element.uri;
    if (elements.length < limit) return sortRecord(found);
  }
}

export async function readLegacyLive(client: HttpClient, project: string, lookupAttributes: string[] = []): Promise<LegacyLive> {
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
  const elements: Record<string, Record<string, string>> = {};
  for (const attribute of [...lookupAttributes].sort()) elements[attribute] = await readElements(client, attribute);
  return { users, filters: sortRecord(filters), elements };
}

function sortRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function userBindings(desired: GooddataDesired, users: Record<string, string>): Bindings {
  const bindings: Bindings = {};
  for (const [login, uri] of Object.entries(users)) bindings[bindingKey('user', login)] = uri;
  return { ...bindings, ...legacyUserBindings(desired) };
}

export function legacyAdapter(compiled: GooddataDesired, lookup?: { attributes: string[]; recompute: RecomputeWithElements }): PlatformAdapter<LegacyLive> {
  const project = compiled.options.workspace;
  return {
    readLive: (client) => readLegacyLive(client, project, compiled.options.lookup ? (lookup?.attributes ?? []) : []),
    diff: (live) => {
      let desired = compiled;
      const lookupNotes: string[] = [];
      if (lookup && Object.keys(live.elements).length > 0) {
        // Configured mappings win over looked-up elements.
        const merged = new Map(Object.entries(live.elements).map(([attribute, byTitle]) => [attribute, new Map(Object.entries(byTitle))]));
        for (const [attribute, values] of compiled.options.elements) merged.set(attribute, new Map([...(merged.get(attribute) ?? []), ...values]));
        const again = lookup.recompute(merged);
        if (again.desired === null) throw new Error(again.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
        desired = again.desired;
        lookupNotes.push(...again.diagnostics.map((d) => `${d.code}: ${d.message}`));
      }
      const maqlOf = new Map(desired.filters.map((f) => [f.login, f.maql]));
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
        access: gooddataAccessChanges(changes),
        notes: [...lookupNotes, ...desired.users.filter((u) => !onPlatform(u.login)).map((u) => `"${u.login}" has no user profile in GoodData project ${project}: no filters are assigned to it`)],
      };
    },
    refreshBindings: async (client) => userBindings(compiled, await readLegacyUsers(client, project)),
  };
}
