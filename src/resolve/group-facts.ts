import type { PolicySet } from '../model/policy.js';
import type { GroupGraph } from './group-graph.js';
import type { Provenance } from './model.js';
import type { RoleGrant } from './roles.js';

/**
 * What a membership of one direct group brings, over the group and everything it inherits,
 * with provenance paths starting at that group: role grants and API-key enablement. Memoized
 * per group; users combine the lists of their few direct groups.
 */
export class GroupFacts {
  private readonly roleMemo = new Map<string, RoleGrant[]>();
  private readonly keyMemo = new Map<string, Provenance[]>();

  constructor(
    private readonly policy: PolicySet,
    private readonly graph: GroupGraph,
  ) {}

  /** Roles granted by the group or any group it inherits. */
  roleGrants(name: string): RoleGrant[] {
    let grants = this.roleMemo.get(name);
    if (!grants) {
      grants = [];
      for (const ref of this.policy.groups.get(name)?.roles ?? []) {
        grants.push({ role: ref.value, because: Object.freeze({ source: 'group', group: name, path: [name], loc: ref.loc }) });
      }
      for (const [ancestor, via] of this.graph.ancestors(name)) {
        for (const ref of this.policy.groups.get(ancestor)?.roles ?? []) {
          grants.push({ role: ref.value, because: Object.freeze({ source: 'group', group: ancestor, path: via.path, loc: ref.loc }) });
        }
      }
      this.roleMemo.set(name, grants);
    }
    return grants;
  }

  /** Groups (the group itself or an ancestor) that enable API-key generation. */
  apiKeyEnablers(name: string): Provenance[] {
    let enablers = this.keyMemo.get(name);
    if (!enablers) {
      enablers = [];
      const own = this.policy.groups.get(name)?.apiKeys;
      if (own?.value === 'enabled') enablers.push(Object.freeze({ source: 'group', group: name, path: [name], loc: own.loc }));
      for (const [ancestor, via] of this.graph.ancestors(name)) {
        const setting = this.policy.groups.get(ancestor)?.apiKeys;
        if (setting?.value === 'enabled') enablers.push(Object.freeze({ source: 'group', group: ancestor, path: via.path, loc: setting.loc }));
      }
      this.keyMemo.set(name, enablers);
    }
    return enablers;
  }
}
