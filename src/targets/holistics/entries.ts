import type { AttributeValues, PolicySet } from '../../model/policy.js';
import type { ResolvedUser } from '../../resolve/model.js';
import { normalizeValues, sortedUnique } from '../../resolve/scalars.js';
import { allGroupNames, directGroupNames } from '../http/direct-groups.js';

/**
 * Holistics user-attribute entries that make Holistics compute exactly the values SPEC section 4
 * gives. Holistics groups are flat and a user's `inherit` value is the union of their groups'
 * values (seed 003), so:
 * - each group carries its *effective* value: its own definition, else the union of its parents'
 *   (nearest definition wins) — `all`, a manual list, or `inherit` (nothing) when no ancestor
 *   defines the attribute;
 * - a user who sets the attribute gets `manual` (or `all`); a user without a value takes
 *   `inherit` when a direct group defines it, else the attribute's default (`all`/`manual`), else
 *   `inherit` (the empty union: none);
 * - a disabled user gets `manual` with no values: no access at all.
 */
export type InputType = 'manual' | 'inherit' | 'all';

export interface Entry {
  subjectType: 'User' | 'Group';
  /** Group name or user login. */
  subject: string;
  attribute: string;
  inputType: InputType;
  /** Only for `manual`: sorted, as text. */
  values?: string[];
}

/** A group's effective value of an attribute, or undefined when neither it nor an ancestor defines it. */
export function groupValue(policy: PolicySet, group: string, attribute: string, memo = new Map<string, AttributeValues | undefined>(), path = new Set<string>()): AttributeValues | undefined {
  const key = `${group}\u0000${attribute}`;
  if (memo.has(key)) return memo.get(key);
  const def = policy.groups.get(group);
  let result: AttributeValues | undefined;
  const own = def?.attributes.get(attribute);
  if (own) result = own.values;
  else if (def && !path.has(group)) {
    path.add(group);
    const parents = def.inherits.map((r) => groupValue(policy, r.value, attribute, memo, path)).filter((v): v is AttributeValues => v !== undefined);
    path.delete(group);
    result = parents.length === 0 ? undefined : union(parents);
  }
  const type = policy.attributes.get(attribute)?.type;
  if (result && type) result = normalizeValues(result, type);
  memo.set(key, result);
  return result;
}

function union(values: AttributeValues[]): AttributeValues {
  if (values.some((v) => v.kind === 'all')) return { kind: 'all' };
  return { kind: 'values', values: sortedUnique(values.flatMap((v) => (v.kind === 'values' ? v.values : []))) };
}

function entryFor(values: AttributeValues): Pick<Entry, 'inputType' | 'values'> {
  return values.kind === 'all' ? { inputType: 'all' } : { inputType: 'manual', values: values.values.map(String) };
}

export function attributeEntries(policy: PolicySet, users: Iterable<ResolvedUser>): Entry[] {
  const attributes = [...policy.attributes.keys()].filter((a) => !a.startsWith('user.')).sort();
  const memo = new Map<string, AttributeValues | undefined>();
  const entries: Entry[] = [];
  for (const group of allGroupNames(policy)) {
    for (const attribute of attributes) {
      const value = groupValue(policy, group, attribute, memo);
      entries.push({ subjectType: 'Group', subject: group, attribute, ...(value === undefined ? { inputType: 'inherit' as const } : entryFor(value)) });
    }
  }
  for (const user of users) {
    const def = policy.users.get(user.login);
    const direct = directGroupNames(user);
    for (const attribute of attributes) {
      const base = { subjectType: 'User' as const, subject: user.login, attribute };
      if (!user.enabled) {
        entries.push({ ...base, inputType: 'manual', values: [] });
        continue;
      }
      const own = def?.attributes.get(attribute);
      if (own) {
        entries.push({ ...base, ...entryFor(normalizeValues(own.values, policy.attributes.get(attribute)!.type)) });
      } else if (direct.some((group) => groupValue(policy, group, attribute, memo) !== undefined)) {
        entries.push({ ...base, inputType: 'inherit' });
      } else {
        const fallback = policy.attributes.get(attribute)!.default;
        entries.push({ ...base, ...(fallback.kind === 'values' && fallback.values.length === 0 ? { inputType: 'inherit' as const } : entryFor(fallback)) });
      }
    }
  }
  return entries;
}

/** What Holistics computes for a user from the entries: own `manual`/`all`, else the union of the groups'. */
export function holisticsValue(entries: readonly Entry[], login: string, groups: readonly string[], attribute: string): 'all' | string[] {
  const find = (type: 'User' | 'Group', subject: string) => entries.find((e) => e.subjectType === type && e.subject === subject && e.attribute === attribute);
  const own = find('User', login);
  if (own && own.inputType !== 'inherit') return own.inputType === 'all' ? 'all' : [...(own.values ?? [])];
  const fromGroups = groups.map((g) => find('Group', g)).filter((e): e is Entry => e !== undefined && e.inputType !== 'inherit');
  if (fromGroups.some((e) => e.inputType === 'all')) return 'all';
  return [...new Set(fromGroups.flatMap((e) => e.values ?? []))].sort();
}
