import type { Loc } from '../diagnostics/diagnostic.js';
import type { Permission, RoleDef } from '../model/policy.js';

/**
 * The built-in roles of SPEC section 3, following Incorta's table. They exist in every project
 * and are immutable; their position is synthetic because no policy file defines them.
 */

export const BUILTIN_LOC: Loc = { file: '<builtin>', line: 0, column: 0 };

interface BuiltinRole {
  name: string;
  description: string;
  permissions: Permission[];
  bypass?: boolean;
  impersonate?: boolean;
}

const BUILTIN_ROLES: readonly BuiltinRole[] = [
  { name: 'user', description: 'Every user has this role', permissions: ['catalog.view'] },
  { name: 'analyze_user', description: 'Creates and manages content and explores schemas', permissions: ['catalog.manage', 'schema.view'] },
  { name: 'dashboard_analyzer', description: 'Shares content', permissions: ['catalog.share'] },
  { name: 'individual_analyzer', description: 'Creates and manages own content and explores schemas', permissions: ['catalog.manage', 'schema.view'] },
  { name: 'privileged_user', description: 'Shares content', permissions: ['catalog.share'] },
  { name: 'schema_manager', description: 'Manages schemas and data', permissions: ['schema.manage', 'data.manage'] },
  { name: 'user_manager', description: 'Manages users, groups and roles', permissions: ['security.manage'] },
  {
    name: 'super_role',
    description: 'Tenant administrator: manages everything, bypasses row rules, may impersonate',
    permissions: ['security.manage', 'catalog.manage', 'schema.manage', 'data.manage'],
    bypass: true,
    impersonate: true,
  },
];

export const BUILTIN_ROLE_NAMES: readonly string[] = BUILTIN_ROLES.map((role) => role.name);

/** Fresh definitions of the built-in roles (a new map each call: callers may add to it). */
export function builtinRoles(): Map<string, RoleDef> {
  const roles = new Map<string, RoleDef>();
  for (const role of BUILTIN_ROLES) {
    roles.set(role.name, {
      name: role.name,
      builtin: true,
      loc: BUILTIN_LOC,
      description: role.description,
      extends: [],
      permissions: role.permissions.map((value) => ({ value, loc: BUILTIN_LOC })),
      rowRules: role.bypass === true ? 'bypass' : 'enforce',
      impersonate: role.impersonate === true,
    });
  }
  return roles;
}
