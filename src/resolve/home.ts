import type { Home, PolicySet, UserDef } from '../model/policy.js';
import type { GroupGraph } from './group-graph.js';
import type { Because } from './model.js';

/**
 * Home page (SPEC 4): the user's own `home`, else that of the first group, in the user's own
 * `groups` order and then `default_group`, that has one. Groups that list the user in `members`
 * are not in that order (the spec names only the user's own list and the default group).
 *
 * Decision: a group's home is its own, else the one it inherits (its parents in `inherits`
 * order, depth first). So a user in `vietnam`, which inherits `apac`, gets apac's home page
 * before falling back to the default group's: the nearer group's choice wins, as it does for
 * attributes.
 */
export class HomeResolver {
  private readonly memo = new Map<string, Because<Home> | null>();

  constructor(
    private readonly policy: PolicySet,
    private readonly graph: GroupGraph,
  ) {}

  ofGroup(name: string): Because<Home> | null {
    if (this.memo.has(name)) return this.memo.get(name)!;
    this.graph.ancestors(name); // refuses a cycle before we recurse along it
    let result: Because<Home> | null = null;
    const group = this.graph.group(name);
    if (group?.home) {
      result = { value: group.home.value, because: [{ source: 'group', group: name, path: [name], loc: group.home.loc }] };
    } else {
      for (const parent of group?.inherits ?? []) {
        const inherited = this.ofGroup(parent.value);
        if (!inherited) continue;
        result = {
          value: inherited.value,
          because: inherited.because.map((p) => (p.source === 'group' ? { ...p, path: [name, ...p.path] } : p)),
        };
        break;
      }
    }
    this.memo.set(name, result);
    return result;
  }

  /** The home page the user's groups give (memoizable per direct-group order). */
  fromGroups(user: UserDef): Because<Home> | null {
    for (const ref of user.groups) {
      const home = this.ofGroup(ref.value);
      if (home) return home;
    }
    return this.ofGroup(this.policy.settings.defaultGroup);
  }

  ofUser(user: UserDef): Because<Home> | null {
    if (user.home) return { value: user.home.value, because: [{ source: 'user', login: user.login, loc: user.home.loc }] };
    return this.fromGroups(user);
  }
}
