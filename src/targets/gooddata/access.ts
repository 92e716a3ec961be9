import type { PlatformAccessChange, PlatformChange } from '../http/platform.js';

/**
 * The access diff of a GoodData plan: per user whose data permission changes, the filter before
 * and after (a user without a filter sees every row of the workspace). Read off the filter
 * changes, which carry each user's whole filter: `userDataFilter` (cloud), `userFilters` (legacy).
 */
const NONE = '(none: every row)';

export function gooddataAccessChanges(changes: readonly PlatformChange[]): PlatformAccessChange[] {
  const out: PlatformAccessChange[] = [];
  for (const change of changes) {
    if (change.kind === 'userDataFilter') {
      out.push({ user: change.id, before: { filter: maqlOf(change.before) }, after: { filter: maqlOf(change.after) } });
    } else if (change.kind === 'userFilters') {
      out.push({ user: change.id, before: { filter: listOf(change.before) }, after: { filter: listOf(change.after) } });
    }
  }
  return out.filter((c) => c.before!.filter !== c.after!.filter).sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
}

function maqlOf(filter: unknown): string {
  const maql = (filter as { maql?: unknown } | undefined)?.maql;
  return typeof maql === 'string' ? maql : NONE;
}

function listOf(state: unknown): string {
  const filters = (state as { filters?: unknown[] } | undefined)?.filters ?? [];
  return filters.length === 0 ? NONE : filters.map(String).join(' AND ');
}
