import { warning } from '../../diagnostics/diagnostic.js';
import type { ValidationRule } from '../rule.js';

/**
 * W-UNUSED-ROLE: a custom role that no group grants, that is not the base role, and that no
 * granted role extends (directly or along a chain) gives nobody anything. Built-in roles exist in
 * every project and are never reported.
 */
export const unusedRoles: ValidationRule = {
  name: 'unused-roles',
  check(context) {
    const { policy } = context;
    const pending: string[] = [policy.settings.baseRole];
    for (const group of policy.groups.values()) for (const ref of group.roles) pending.push(ref.value);
    // `admin: true` gives super_role; whatever it extends is in use too.
    pending.push(...[...policy.roles.values()].filter((role) => role.builtin).map((role) => role.name));
    const used = new Set<string>();
    while (pending.length > 0) {
      const name = pending.pop()!;
      if (used.has(name)) continue;
      used.add(name);
      for (const parent of policy.roles.get(name)?.extends ?? []) pending.push(parent.value);
    }
    for (const role of policy.roles.values()) {
      if (used.has(role.name) || role.builtin) continue;
      context.report(
        warning('W-UNUSED-ROLE', `role "${role.name}" is not granted by any group, and no granted role extends it`, role.loc, {
          hint: `add it to a group's roles, or remove it`,
        }),
      );
    }
  },
};
