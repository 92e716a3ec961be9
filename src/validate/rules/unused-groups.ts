import { warning } from '../../diagnostics/diagnostic.js';
import type { ValidationContext, ValidationRule } from '../rule.js';

/**
 * W-UNUSED-GROUP: a group no user can ever be in — nobody lists it, it lists no members, and no
 * such group inherits it (directly or along a chain). Its grants and values reach nobody, which
 * is usually a typo or a leftover. The default group holds every user and is never unused.
 */
export const unusedGroups: ValidationRule = {
  name: 'unused-groups',
  check(context) {
    const listed = new Set<string>();
    for (const user of context.policy.users.values()) for (const ref of user.groups) listed.add(ref.value);
    checkUnusedGroups(context, listed);
  },
};

/** The check, given the groups users list (watch mode keeps a count of them across edits). */
export function checkUnusedGroups(context: ValidationContext, listedByUsers: Iterable<string>): void {
  const { policy } = context;
  // Marked when first reached, so each group is queued once (not once per user listing it).
  const used = new Set<string>();
  const pending: string[] = [];
  const reach = (name: string): void => {
    if (used.has(name)) return;
    used.add(name);
    pending.push(name);
  };
  reach(policy.settings.defaultGroup);
  for (const name of listedByUsers) reach(name);
  for (const group of policy.groups.values()) if (group.members.length > 0) reach(group.name);
  while (pending.length > 0) {
    for (const parent of policy.groups.get(pending.pop()!)?.inherits ?? []) reach(parent.value);
  }
  for (const group of policy.groups.values()) {
    if (used.has(group.name) || group.implicit) continue;
    context.report(
      warning('W-UNUSED-GROUP', `group "${group.name}" has no members: no user is in it or in a group that inherits it`, group.loc, {
        hint: `add users to it (users' groups, or members), or remove it`,
      }),
    );
  }
}
