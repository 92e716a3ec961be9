import { error } from '../../diagnostics/diagnostic.js';
import type { UserDef } from '../../model/policy.js';
import type { ValidationContext, ValidationRule } from '../rule.js';

/**
 * Users get roles only through groups (and `admin`), as on Incorta (spec section 3):
 * a `roles` list on a user is E-USER-ROLES, one diagnostic per role named.
 */
export const userDirectRoles: ValidationRule = {
  name: 'user-direct-roles',
  check(context) {
    for (const user of context.policy.users.values()) checkUserDirectRoles(context, user);
  },
};

/** The check for one user (watch mode re-checks the users that changed). */
export function checkUserDirectRoles(context: ValidationContext, user: UserDef): void {
  for (const role of user.directRoles ?? []) {
    context.report(
      error('E-USER-ROLES', `user "${user.login}" is given role "${role.value}" directly; roles come from groups`, role.loc, {
        hint: `put the user in a group that has role "${role.value}" (or set admin: true for super_role)`,
      }),
    );
  }
}
