import { DiagnosticsError, error, type Loc } from '../diagnostics/diagnostic.js';
import type { Permission, PolicySet } from '../model/policy.js';
import type { Because, Provenance } from './model.js';
import type { GroupFacts } from './group-facts.js';
import { compareText } from './scalars.js';

/**
 * Roles and permissions (SPEC 4), optimistic: `base_role`, the roles of every group of the
 * user, `super_role` for administrators, closed under `extends`; permissions are the union plus
 * the `view` that `share` and `manage` imply (`manage` does not imply `share`).
 */

export const ADMIN_ROLE = 'super_role';

export interface RoleGrant {
  role: string;
  because: Provenance;
}

export interface ResolvedRoles {
  roles: Map<string, Provenance[]>;
  permissions: Permission[];
  bypassRowRules: Because<boolean>;
  impersonate: boolean;
}

export class RoleResolver {
  private readonly closureMemo = new Map<string, { role: string; because: Provenance }[]>();
  private readonly inProgress = new Set<string>();
  private readonly userMemo = new Map<string, ResolvedRoles>();

  constructor(
    private readonly policy: PolicySet,
    private readonly facts: GroupFacts,
  ) {}

  /**
   * Every role `name` extends, transitively, with the first `extends` path found (depth first).
   * Provenance objects are shared by every user who holds `name`.
   */
  extended(name: string): { role: string; because: Provenance }[] {
    const known = this.closureMemo.get(name);
    if (known) return known;
    if (this.inProgress.has(name)) {
      // Validation reports cycles with every member; this guard keeps the resolver from looping if called anyway.
      const loc = this.policy.roles.get(name)?.loc ?? { file: '', line: 0, column: 0 };
      throw new DiagnosticsError([error('E-INHERITANCE-CYCLE', `role extends cycle through ${name}`, loc)]);
    }
    this.inProgress.add(name);
    const seen = new Set<string>([name]);
    const result: { role: string; because: Provenance }[] = [];
    for (const parent of this.policy.roles.get(name)?.extends ?? []) {
      if (!seen.has(parent.value)) {
        seen.add(parent.value);
        result.push({ role: parent.value, because: Object.freeze({ source: 'role', role: parent.value, path: [name, parent.value], loc: parent.loc }) });
      }
      for (const via of this.extended(parent.value)) {
        if (seen.has(via.role)) continue;
        seen.add(via.role);
        const p = via.because as Extract<Provenance, { source: 'role' }>;
        result.push({ role: via.role, because: Object.freeze({ ...p, path: [name, ...p.path] }) });
      }
    }
    this.inProgress.delete(name);
    this.closureMemo.set(name, result);
    return result;
  }

  /**
   * A user's roles from their direct groups (each with everything it inherits), the base role
   * and, for an administrator, super_role. Users whose role-granting direct groups are the same
   * share one result; most users' groups grant no role at all, so they share the base role's.
   */
  forUser(direct: readonly string[], admin: { login: string; loc: Loc } | null): ResolvedRoles {
    let key = '';
    for (const group of direct) if (this.facts.roleGrants(group).length > 0) key += `${group}\u0000`;
    if (!admin) {
      const known = this.userMemo.get(key);
      if (known) return known;
    }
    const { baseRole, locs } = this.policy.settings;
    const grants: RoleGrant[] = [{ role: baseRole, because: { source: 'base-role', role: baseRole, loc: locs.baseRole } }];
    const seen = new Set<string>();
    for (const group of direct) {
      for (const grant of this.facts.roleGrants(group)) {
        // The same group's grant reached from two direct groups: keep the first path.
        const id = `${(grant.because as { group: string }).group}\u0000${grant.role}`;
        if (seen.has(id)) continue;
        seen.add(id);
        grants.push(grant);
      }
    }
    if (admin) grants.push({ role: ADMIN_ROLE, because: { source: 'admin', login: admin.login, loc: admin.loc } });
    const resolved = this.resolve(grants);
    if (!admin) this.userMemo.set(key, resolved);
    return resolved;
  }

  resolve(grants: readonly RoleGrant[]): ResolvedRoles {
    const reasons = new Map<string, Provenance[]>();
    const add = (role: string, because: Provenance) => {
      const list = reasons.get(role);
      if (list) list.push(because);
      else reasons.set(role, [because]);
    };
    for (const grant of grants) {
      // A role that does not exist (validation reports it) grants nothing.
      if (!this.policy.roles.has(grant.role)) continue;
      add(grant.role, grant.because);
      for (const via of this.extended(grant.role)) if (this.policy.roles.has(via.role)) add(via.role, via.because);
    }
    const roles = new Map([...reasons].sort((a, b) => compareText(a[0], b[0])));
    const permissions = new Set<Permission>();
    const bypassBecause: Provenance[] = [];
    let impersonate = false;
    for (const name of roles.keys()) {
      const def = this.policy.roles.get(name)!;
      for (const p of def.permissions) for (const implied of withImplied(p.value)) permissions.add(implied);
      if (def.rowRules === 'bypass') bypassBecause.push({ source: 'role', role: name, path: [name], loc: def.loc });
      if (def.impersonate) impersonate = true;
    }
    return {
      roles,
      permissions: [...permissions].sort(compareText),
      bypassRowRules: { value: bypassBecause.length > 0, because: bypassBecause },
      impersonate,
    };
  }
}

/** `share` and `manage` each imply `view` on the same object; `manage` does not imply `share`. */
export function withImplied(permission: Permission): Permission[] {
  const [object, action] = permission.split('.') as [string, string];
  return action === 'view' ? [permission] : [permission, `${object}.view` as Permission];
}
