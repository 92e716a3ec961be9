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

export interface DirectGroup {
  group: string;
  because: Provenance[];
}

/** login -> the groups whose `members` name it, sorted by group name (file order must not matter). */
export function indexMembersLists(policy: PolicySet): Map<string, { group: string; loc: Loc }[]> {
  const index = new Map<string, { group: string; loc: Loc }[]>();
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

/**
 * The user's direct groups: their own `groups` in their order (that order decides the home
 * page), then `members` lists, then the default group. A group reached several ways keeps
 * every reason.
 */
export function directGroups(user: UserDef, membersOf: readonly { group: string; loc: Loc }[], policy: PolicySet): DirectGroup[] {
  const byName = new Map<string, DirectGroup>();
  const add = (group: string, because: Provenance) => {
    const known = byName.get(group);
    if (known) known.because.push(because);
    else byName.set(group, { group, because: [because] });
  };
  for (const ref of user.groups) add(ref.value, { source: 'user', login: user.login, loc: ref.loc });
  for (const m of membersOf) add(m.group, { source: 'members', group: m.group, loc: m.loc });
  const settings = policy.settings;
  add(settings.defaultGroup, { source: 'default-group', group: settings.defaultGroup, loc: settings.locs.defaultGroup });
  return [...byName.values()];
}

/**
 * What users with the same direct groups (in the same order) share: the group closure with the
 * path to each group. Keyed so that it can be memoized across users.
 */
export interface MembershipShape {
  key: string;
  /** Direct group names, in direct-group order. */
  direct: string[];
  /** Every group of the user -> path from a direct group to it (`[g]` for a direct group). Sorted by name. */
  closure: Map<string, string[]>;
}

export function membershipKey(direct: readonly DirectGroup[]): string {
  return direct.map((d) => d.group).join('\u0000');
}

export function membershipShape(key: string, direct: readonly string[], graph: GroupGraph): MembershipShape {
  const found = new Map<string, string[]>();
  for (const d of direct) if (!found.has(d)) found.set(d, [d]);
  for (const d of direct) {
    for (const [ancestor, via] of graph.ancestors(d)) if (!found.has(ancestor)) found.set(ancestor, via.path);
  }
  const closure = new Map([...found].sort((a, b) => compareText(a[0], b[0])));
  return { key, direct: [...direct], closure };
}

/** The user's groups with every reason: direct reasons, then each inheritance path. Sorted by name. */
export function userGroups(direct: readonly DirectGroup[], shape: MembershipShape, graph: GroupGraph): Map<string, Provenance[]> {
  const reasons = new Map<string, Provenance[]>();
  for (const name of shape.closure.keys()) reasons.set(name, []);
  for (const d of direct) reasons.get(d.group)!.push(...d.because);
  for (const d of direct) {
    for (const [ancestor, via] of graph.ancestors(d.group)) reasons.get(ancestor)!.push(via.because);
  }
  return reasons;
}
