import { error, warning, type Diagnostic, type RelatedLocation } from '../../diagnostics/diagnostic.js';
import type { Permission, PolicySet, Ref, RoleDef } from '../../model/policy.js';

/**
 * Incorta has only its immutable built-in roles (seed 004): warden's built-ins map to them by
 * name, and a custom role must say which built-ins it stands for (`incorta_roles`). Guessing
 * from `extends` could grant more than the policy says, so without that list it is an error.
 */
export const INCORTA_ROLE_NAMES: ReadonlyMap<string, string> = new Map([
  ['analyze_user', 'Analyze User'],
  ['dashboard_analyzer', 'Dashboard Analyzer'],
  ['individual_analyzer', 'Individual Analyzer'],
  ['privileged_user', 'Privileged User'],
  ['schema_manager', 'Schema Manager'],
  ['super_role', 'SuperRole'],
  ['user', 'User'],
  ['user_manager', 'User Manager'],
]);

export interface RoleMapping {
  /** warden role -> Incorta built-in role names (display names, sorted). */
  byRole: Map<string, string[]>;
  diagnostics: Diagnostic[];
}

/**
 * Maps every role that is assigned somewhere (a group's `roles`, or `base_role`) to Incorta
 * built-ins. `assignments` gives, per role, where it is assigned, for the error's `related`.
 */
export function mapRoles(policy: PolicySet, assignments: ReadonlyMap<string, RelatedLocation[]>): RoleMapping {
  const byRole = new Map<string, string[]>();
  const diagnostics: Diagnostic[] = [];
  for (const name of [...assignments.keys()].sort()) {
    const role = policy.roles.get(name);
    if (role === undefined) continue; // an unknown reference is the validator's error, reported there
    if (role.builtin) {
      const incorta = INCORTA_ROLE_NAMES.get(role.name);
      if (incorta !== undefined) byRole.set(name, [incorta]);
      continue;
    }
    const standsFor = role.incortaRoles;
    if (standsFor === undefined || standsFor.length === 0) {
      diagnostics.push(
        error('E-INCORTA-CUSTOM-ROLE', `role "${name}" is custom; Incorta only has built-in roles`, role.loc, {
          hint: `add \`incorta_roles: [...]\` naming the Incorta built-ins it stands for (${[...INCORTA_ROLE_NAMES.keys()].join(', ')})`,
          related: assignments.get(name),
        }),
      );
      continue;
    }
    const names: string[] = [];
    let ok = true;
    for (const ref of standsFor) {
      const incorta = policy.roles.get(ref.value)?.builtin ? INCORTA_ROLE_NAMES.get(ref.value) : undefined;
      if (incorta === undefined) {
        ok = false;
        diagnostics.push(
          error('E-INCORTA-CUSTOM-ROLE', `\`incorta_roles\` of role "${name}" names "${ref.value}", which is not an Incorta built-in role`, ref.loc, {
            hint: `one of: ${[...INCORTA_ROLE_NAMES.keys()].join(', ')}`,
            related: [{ message: `role "${name}"`, loc: role.loc }],
          }),
        );
      } else names.push(incorta);
    }
    if (!ok) continue;
    const broader = grantedBeyond(policy, role, standsFor);
    if (broader.length > 0) {
      diagnostics.push(
        warning('W-INCORTA-ROLE-BROADER', `on Incorta, role "${name}" grants more than in the policy: ${broader.join(', ')}`, role.loc, {
          hint: 'Incorta roles are fixed; choose built-ins in `incorta_roles` whose permissions the role has, or accept the wider grant',
        }),
      );
    }
    byRole.set(name, [...new Set(names)].sort());
  }
  return { byRole, diagnostics };
}

/** Permissions the named built-ins give that the custom role (closed under `extends`) does not. */
function grantedBeyond(policy: PolicySet, role: RoleDef, standsFor: readonly Ref[]): Permission[] {
  const own = closedPermissions(policy, role.name);
  const given = new Set<Permission>();
  for (const ref of standsFor) for (const permission of closedPermissions(policy, ref.value)) given.add(permission);
  return [...given].filter((permission) => !own.has(permission)).sort();
}

/** A role's permissions with `extends` followed and the implied `view`s added (cycles are cut). */
export function closedPermissions(policy: PolicySet, name: string): Set<Permission> {
  const out = new Set<Permission>();
  const seen = new Set<string>();
  const visit = (roleName: string): void => {
    if (seen.has(roleName)) return;
    seen.add(roleName);
    const role = policy.roles.get(roleName);
    if (role === undefined) return;
    for (const permission of role.permissions) {
      out.add(permission.value);
      const [object] = permission.value.split('.');
      out.add(`${object}.view` as Permission);
    }
    for (const parent of role.extends) visit(parent.value);
  };
  visit(name);
  return out;
}
