import type { HttpClient } from '../http/client.js';
import type { PlatformAdapter } from '../http/platform.js';
import { paths, type DeclarativeUserDataFilter } from './cloud-bodies.js';
import { cloudDiff, type CloudLive } from './cloud-diff.js';
import type { GooddataDesired } from './desired.js';

/** Reads the live GoodData Cloud state warden compares against, page by page. */
export async function readCloudLive(client: HttpClient, workspace: string): Promise<CloudLive> {
  const groups: CloudLive['groups'] = {};
  for (const item of await listEntities(client, `${paths.userGroups}?include=parents`)) {
    groups[item.id] = { name: String(item.attributes?.name ?? item.id), parents: linkage(item.relationships?.parents) };
  }
  const users: CloudLive['users'] = {};
  for (const item of await listEntities(client, `${paths.users}?include=userGroups`)) {
    const email = item.attributes?.email;
    users[item.id] = { ...(typeof email === 'string' && email !== '' ? { email } : {}), groups: linkage(item.relationships?.userGroups) };
  }
  const layout = await client.send('GET', paths.userDataFilters(workspace));
  const filters = ((layout.body as { userDataFilters?: DeclarativeUserDataFilter[] } | null)?.userDataFilters ?? [])
    .slice()
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { groups: sortRecord(groups), users: sortRecord(users), filters };
}

interface JsonApiItem {
  id: string;
  attributes?: Record<string, unknown>;
  relationships?: Record<string, { data?: Array<{ id: string }> } | undefined>;
}

const PAGE_SIZE = 100;

async function listEntities(client: HttpClient, path: string): Promise<JsonApiItem[]> {
  const items: JsonApiItem[] = [];
  for (let page = 0; ; page++) {
    const response = await client.send('GET', `${path}&page=${page}&size=${PAGE_SIZE}`);
    const body = response.body as { data?: JsonApiItem[]; links?: { next?: string } } | null;
    const data = body?.data ?? [];
    items.push(...data);
    // JSON:API says there is more with `links.next`; a full page without it is checked once more.
    if (data.length === 0 || (!body?.links?.next && data.length < PAGE_SIZE)) return items;
  }
}

function linkage(relationship: { data?: Array<{ id: string }> } | undefined): string[] {
  return (relationship?.data ?? []).map((d) => d.id).sort();
}

function sortRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function cloudAdapter(desired: GooddataDesired): PlatformAdapter<CloudLive> {
  return {
    readLive: (client) => readCloudLive(client, desired.options.workspace),
    diff: (live) => cloudDiff(desired, live),
  };
}
