import type { PlatformAccessChange } from '../http/platform.js';
import type { HolisticsDesired } from './desired.js';
import { entryKey, type HolisticsLive } from './diff.js';
import type { InputType } from './entries.js';

/**
 * The access diff of a Holistics plan. A dataset's permission rules compare fields with user
 * attributes, so a user's rows follow from each attribute's effective values, which Holistics
 * computes from the user's entry: `manual` its values, `all` everything, `inherit` the union of
 * the user's groups' entries (seed 003). Computed over the groups warden manages, for the live
 * state and for the state after apply (desired entries and memberships over the live ones).
 */
type EntryState = { inputType: InputType; values?: string[] };
type Effective = 'all' | string[];

export function holisticsAccessChanges(desired: HolisticsDesired, live: HolisticsLive): PlatformAccessChange[] {
  const attributes = desired.attributes.map((a) => a.name);
  const managed = new Set(desired.groups);
  const wanted = new Map(desired.entries.map((e) => [entryKey(e.subjectType, e.subject, e.attribute), { inputType: e.inputType, ...(e.values ? { values: e.values } : {}) } as EntryState]));
  const liveEntry = (key: string): EntryState => live.entries[key] ?? { inputType: 'inherit' };
  const afterEntry = (key: string): EntryState => wanted.get(key) ?? liveEntry(key);
  const changes: PlatformAccessChange[] = [];
  for (const user of desired.users) {
    const onPlatform = live.users[user.email];
    const before = onPlatform === undefined ? null : state(user.login, onPlatform.groups.filter((g) => managed.has(g)), attributes, liveEntry);
    // A disabled user without an account is not invited (see diff.ts): still not on the platform.
    const after = onPlatform === undefined && !user.enabled ? null : state(user.login, user.groups, attributes, afterEntry);
    if (JSON.stringify(before) !== JSON.stringify(after)) changes.push({ user: user.login, before, after });
  }
  return changes.sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
}

function state(login: string, groups: string[], attributes: string[], entryOf: (key: string) => EntryState): Record<string, string> {
  const out: Record<string, string> = {};
  for (const attribute of attributes) {
    const own = entryOf(entryKey('User', login, attribute));
    out[attribute] = show(effective(own, groups.map((g) => entryOf(entryKey('Group', g, attribute)))));
  }
  return out;
}

function effective(own: EntryState, groupEntries: EntryState[]): Effective {
  if (own.inputType === 'all') return 'all';
  if (own.inputType === 'manual') return [...(own.values ?? [])].sort();
  if (groupEntries.some((e) => e.inputType === 'all')) return 'all';
  return [...new Set(groupEntries.flatMap((e) => (e.inputType === 'manual' ? (e.values ?? []) : [])))].sort();
}

function show(value: Effective): string {
  return value === 'all' ? 'all' : `{${value.join(', ')}}`;
}
