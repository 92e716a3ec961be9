import type { Loc } from '../diagnostics/diagnostic.js';
import type { PolicySet, UserDef } from '../model/policy.js';
import type { GroupGraph } from './group-graph.js';
import type { Provenance } from './model.js';
import { compareText } from './scalars.js';

/**
 * Membership (SPEC 4): a user's direct groups are the groups listed on the user, the groups
 * whose `members` list the user, and `default_group`; every group those inherit, transitively,
 * is a group of the user too.
 */

export type MembersIndex = Map<string, { group: string; loc: Loc }[]>;

const NO_MEMBERSHIPS: readonly { group: string; loc: Loc }[] = Object.freeze([]);

/** login -> the groups whose `members` name it, sorted by group name (file order must not matter). */
export function indexMembersLists(policy: PolicySet): MembersIndex {
  const index: MembersIndex = new Map();
  for (const group of policy.groups.values()) {
    for (const member of group.members) {
      let list = index.get(member.value);
      if (!list) index.set(member.value, (list = []));
      list.push({ group: group.name, loc: member.loc });
    }
  }
  for (const list of index.values()) list.sort((a, b) => compareText(a.group, b.group));
  return index;
}

export function membershipsOf(index: MembersIndex, login: string): readonly { group: string; loc: Loc }[] {
  return index.get(login) ?? NO_MEMBERSHIPS;
}

/**
 * The user's direct group names, each once: their own `groups` in their order, then the groups
 * whose `members` name them, then the default group.
 */
export function directGroupNames(user: UserDef, memberships: readonly { group: string }[], defaultGroup: string): string[] {
  const groups = user.groups;
  // The common cases as array literals (exact size, no scratch work): a user listing one or two
  // groups and named in no `members` list.
  if (memberships.length === 0 && groups.length <= 2) {
    if (groups.length === 0) return [defaultGroup];
    const a = groups[0].value;
    if (groups.length === 1) return a === defaultGroup ? [a] : [a, defaultGroup];
    const b = groups[1].value;
    if (a !== b && a !== defaultGroup && b !== defaultGroup) return [a, b, defaultGroup];
  }
  // Otherwise collected in a reused scratch list and copied out at exact size: the list is kept
  // for every user, and an array grown by push keeps spare room (100,000 users).
  const names = scratch;
  names.length = 0;
  for (const ref of user.groups) if (!names.includes(ref.value)) names.push(ref.value);
  for (const m of memberships) if (!names.includes(m.group)) names.push(m.group);
  if (!names.includes(defaultGroup)) names.push(defaultGroup);
  return names.slice();
}

const scratch: string[] = [];

/**
 * The user's groups with every reason, sorted by group name: for a direct group, the user's
 * line, the `members` entry or the default-group setting; for an inherited group, the path
 * from each direct group that leads to it (shared provenance objects from the graph).
 */
export function userGroups(
  user: UserDef,
  memberships: readonly { group: string; loc: Loc }[],
  policy: PolicySet,
  direct: readonly string[],
  graph: GroupGraph,
): Map<string, Provenance[]> {
  const reasons = new Map<string, Provenance[]>();
  const add = (group: string, because: Provenance) => {
    const list = reasons.get(group);
    if (list) list.push(because);
    else reasons.set(group, [because]);
  };
  for (const ref of user.groups) add(ref.value, { source: 'user', login: user.login, loc: ref.loc });
  for (const m of memberships) add(m.group, { source: 'members', group: m.group, loc: m.loc });
  const { defaultGroup, locs } = policy.settings;
  add(defaultGroup, { source: 'default-group', group: defaultGroup, loc: locs.defaultGroup });
  for (const d of direct) for (const [ancestor, via] of graph.ancestors(d)) add(ancestor, via.because);
  return new Map([...reasons].sort((a, b) => compareText(a[0], b[0])));
}
