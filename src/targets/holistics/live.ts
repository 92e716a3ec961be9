import type { HttpClient } from '../http/client.js';
import type { PlatformAdapter } from '../http/platform.js';
import { bindingKey, type Bindings, type PlatformRequest } from '../http/request.js';
import { holisticsPaths } from './bodies.js';
import type { HolisticsDesired } from './desired.js';
import { entryKey, holisticsDiff, type HolisticsLive } from './diff.js';
import type { InputType } from './entries.js';

/** Reads what warden manages on Holistics: attributes, groups, users and their attribute entries. */
export async function readHolisticsLive(client: HttpClient, desired: HolisticsDesired): Promise<HolisticsLive> {
  const { attributes, groups, users, attributeNames } = await readDirectory(client);
  const entries: HolisticsLive['entries'] = {};
  const loginByEmail = new Map(desired.users.map((u) => [u.email, u.login]));
  const subjects: Array<{ type: 'User' | 'Group'; id: number; name: string }> = [
    ...desired.groups.filter((g) => groups[g]).map((g) => ({ type: 'Group' as const, id: groups[g].id, name: g })),
    ...desired.users.filter((u) => users[u.email]).map((u) => ({ type: 'User' as const, id: users[u.email].id, name: loginByEmail.get(u.email)! })),
  ];
  for (const subject of subjects) {
    const response = await client.send('GET', holisticsPaths.entries(subject.type, subject.id));
    const list = (response.body as { user_attribute_entries?: Array<{ user_attribute_id: number; input_type: InputType; values?: unknown[] }> } | null)?.user_attribute_entries ?? [];
    // The list's documented output has no `values`; a manual entry's values are then read from
    // the computed values, which for a manual entry are exactly its own.
    let computed: Record<string, unknown[]> | null = null;
    if (list.some((e) => e.input_type === 'manual' && !Array.isArray(e.values))) {
      const values = await client.send('GET', holisticsPaths.computedValues(subject.type, subject.id));
      computed = (values.body as { user_attribute_values?: Record<string, unknown[]> } | null)?.user_attribute_values ?? {};
    }
    for (const entry of list) {
      const attribute = attributeNames.get(entry.user_attribute_id);
      if (attribute === undefined) continue;
      const values = entry.values ?? computed?.[attribute] ?? [];
      entries[entryKey(subject.type, subject.name, attribute)] = {
        inputType: entry.input_type,
        ...(entry.input_type === 'manual' ? { values: values.map(String).sort() } : {}),
      };
    }
  }
  return { attributes, groups, users, entries: sortRecord(entries) };
}

async function readDirectory(client: HttpClient) {
  const attributes: HolisticsLive['attributes'] = {};
  const attributeNames = new Map<number, string>();
  for (const item of await listAll<{ id: number; name: string; attribute_type: string; label: string; description?: string; is_system_attribute?: boolean }>(client, holisticsPaths.attributeList, 'user_attributes')) {
    if (item.is_system_attribute) continue;
    attributes[item.name] = { id: item.id, attribute_type: item.attribute_type, label: item.label, ...(item.description ? { description: item.description } : {}) };
    attributeNames.set(item.id, item.name);
  }
  const groups: HolisticsLive['groups'] = {};
  const groupNames = new Map<number, string>();
  for (const item of await listAll<{ id: number; name: string }>(client, holisticsPaths.groupList, 'groups')) {
    groups[item.name] = { id: item.id };
    groupNames.set(item.id, item.name);
  }
  const users: HolisticsLive['users'] = {};
  for (const item of await listAll<{ id: number; email: string; is_deleted?: boolean; group_ids?: number[] }>(client, holisticsPaths.users, 'users')) {
    if (item.is_deleted) continue;
    // E-mail addresses are matched without regard to case (Holistics may store them lower-cased).
    users[item.email.toLowerCase()] = { id: item.id, groups: (item.group_ids ?? []).map((id) => groupNames.get(id)).filter((n): n is string => n !== undefined).sort() };
  }
  return { attributes: sortRecord(attributes), groups: sortRecord(groups), users: sortRecord(users), groupNames, attributeNames };
}

/** Follows the cursor pagination of API v2 (`cursors.next` into `after`). */
async function listAll<T>(client: HttpClient, path: (after?: string) => string, key: string): Promise<T[]> {
  const items: T[] = [];
  let after: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const response = await client.send('GET', path(after));
    const body = response.body as Record<string, unknown> & { cursors?: { next?: string | null } };
    items.push(...((body?.[key] as T[] | undefined) ?? []));
    const next = body?.cursors?.next;
    if (typeof next !== 'string' || next === '') return items;
    after = next;
  }
  throw new Error(`${key}: pagination did not end`);
}

function sortRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function bindingsOf(desired: HolisticsDesired, directory: Awaited<ReturnType<typeof readDirectory>>): Bindings {
  const bindings: Bindings = {};
  for (const [name, a] of Object.entries(directory.attributes)) bindings[bindingKey('attribute', name)] = a.id;
  for (const [name, g] of Object.entries(directory.groups)) bindings[bindingKey('group', name)] = g.id;
  for (const user of desired.users) {
    const found = directory.users[user.email];
    if (found) bindings[bindingKey('user', user.login)] = found.id;
  }
  return bindings;
}

export function holisticsAdapter(desired: HolisticsDesired): PlatformAdapter<HolisticsLive> {
  return {
    readLive: (client) => readHolisticsLive(client, desired),
    diff: (live) => holisticsDiff(desired, live),
    refreshBindings: async (client) => bindingsOf(desired, await readDirectory(client)),
    // After a create whose outcome is unknown, look before creating again: a second POST /groups
    // would make a second group of the same name.
    confirmApplied: async (client, request: PlatformRequest) => {
      const directory = await readDirectory(client);
      const body = request.body as { group?: { name?: string }; user_attribute?: { name?: string }; emails?: string[] } | undefined;
      if (request.path === holisticsPaths.groups && body?.group?.name) {
        return { applied: directory.groups[body.group.name] !== undefined, bindings: bindingsOf(desired, directory) };
      }
      if (request.path === holisticsPaths.attributes && body?.user_attribute?.name) {
        return { applied: directory.attributes[body.user_attribute.name] !== undefined, bindings: bindingsOf(desired, directory) };
      }
      if (request.path === holisticsPaths.invite && body?.emails) {
        return { applied: body.emails.every((email) => directory.users[email] !== undefined), bindings: bindingsOf(desired, directory) };
      }
      return { applied: false };
    },
  };
}
