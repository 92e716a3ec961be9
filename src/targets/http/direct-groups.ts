import type { ResolvedUser } from '../../resolve/model.js';
import type { PolicySet } from '../../model/policy.js';

/**
 * Shared by the platform targets: platforms hold group membership themselves, so they get the
 * user's *direct* groups (their own `groups`, `members` lists, the default group) — the ones a
 * membership is recorded for — while inheritance is expressed by the platform (GoodData parent
 * groups) or by the values written on each group (Holistics, whose groups are flat).
 */
export function directGroupNames(user: ResolvedUser): string[] {
  const direct: string[] = [];
  for (const [group, because] of user.groups) {
    if (because.some((p) => p.source === 'user' || p.source === 'members' || p.source === 'default-group')) direct.push(group);
  }
  return direct.sort();
}

/** Group names ordered so that every group comes after the groups it inherits (ties by name). */
export function parentsFirst(policy: PolicySet): string[] {
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visit = (name: string, path: Set<string>): void => {
    if (placed.has(name) || path.has(name)) return;
    path.add(name);
    const parents = [...(policy.groups.get(name)?.inherits ?? [])].map((r) => r.value).sort();
    for (const parent of parents) if (policy.groups.has(parent)) visit(parent, path);
    path.delete(name);
    placed.add(name);
    ordered.push(name);
  };
  for (const name of allGroupNames(policy)) visit(name, new Set());
  return ordered;
}

/** Every group, including the default group even when no file defines it. */
export function allGroupNames(policy: PolicySet): string[] {
  return [...new Set([...policy.groups.keys(), policy.settings.defaultGroup])].sort();
}

/** The model's users sorted by login (output must not depend on file order). */
export function usersByLogin(model: { users: Map<string, ResolvedUser> }): ResolvedUser[] {
  return [...model.users.values()].sort((a, b) => (a.login < b.login ? -1 : a.login > b.login ? 1 : 0));
}
