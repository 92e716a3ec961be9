import { sortDiagnostics } from '../diagnostics/diagnostic.js';
import type { PolicySet, UserDef } from '../model/policy.js';
import { apiKeysEnabled, resolveApiKeys } from './api-keys.js';
import { checkComparisonValues } from './comparison-values.js';
import { AttributeResolver, userEmail } from './attributes.js';
import { GroupFacts } from './group-facts.js';
import { GroupGraph } from './group-graph.js';
import { HomeResolver } from './home.js';
import { directGroupNames, indexMembersLists, membershipsOf, userGroups, type MembersIndex } from './membership.js';
import type { Because, Provenance, ResolvedModel } from './model.js';
import { LazyResolvedUser, type LazyFacts } from './resolved-user.js';
import { RoleResolver, type ResolvedRoles } from './roles.js';
import { compareText } from './scalars.js';
import { changeInPlace } from '../util/past-map.js';

/**
 * Resolution (SPEC 4): a pure, deterministic function from a valid PolicySet to every user's
 * effective access with provenance.
 *
 * Cost: work that depends only on a group (its ancestors, attribute values, roles, home, key
 * setting) is memoized per group, and combinations are memoized per set of direct groups, so
 * 100,000 users sharing 2,000 groups cost little more than reading them. Each user's group and
 * attribute maps are built on first read (resolved-user.ts), the group membership lists of the
 * model on first read, and subject access with row filters on demand (access.ts).
 */
export function resolve(policy: PolicySet, options: { now?: Date } = {}): ResolvedModel {
  const resolution = Resolution.create(policy);
  const users = new Map<string, LazyResolvedUser>();
  // Default sort: UTF-16 code-unit order, as everywhere in the output, and native speed.
  for (const login of [...policy.users.keys()].sort()) users.set(login, resolution.user(login));
  return resolution.model(users, options.now ?? new Date());
}

/**
 * Watch mode: the model of `policy`, which differs from the policy `previous` was resolved from
 * only in the users named in `changed` (added, removed or redefined: groups, roles, attributes,
 * settings and everything else are the same objects). Only those users are resolved; the others
 * are the previous model's, and so is everything memoized per group, role and combination of
 * groups. API keys and the checks over all users are worked out again, exactly as `resolve` does.
 */
export function resolveChangedUsers(previous: ResolvedModel, policy: PolicySet, changed: ReadonlySet<string>, options: { now?: Date } = {}): ResolvedModel {
  const before = resolutions.get(previous);
  if (before === undefined) return resolve(policy, options);
  const resolution = before.withPolicy(policy);
  const old = previous.users as Map<string, LazyResolvedUser>;
  let sameLogins = true;
  for (const login of changed) if (old.has(login) !== policy.users.has(login)) sameLogins = false;
  let users: Map<string, LazyResolvedUser>;
  if (sameLogins) {
    // Set in place; the previous model (which the access diff still reads) keeps reading as it was.
    const resolved = new Map<string, LazyResolvedUser>();
    for (const login of changed) if (policy.users.has(login)) resolved.set(login, resolution.userAgain(old.get(login)!, login));
    users = old;
    const past = changeInPlace(old, resolved);
    if (past !== null) previous.users = past;
    else {
      users = new Map(old);
      for (const [login, user] of resolved) users.set(login, user);
    }
  } else {
    // Both lists sorted: merge them rather than sort 100,000 logins again.
    const kept = [...old.keys()].filter((login) => !changed.has(login));
    const added = [...changed].filter((login) => policy.users.has(login)).sort();
    users = new Map();
    let i = 0;
    let j = 0;
    while (i < kept.length || j < added.length) {
      if (j >= added.length || (i < kept.length && kept[i] < added[j])) {
        users.set(kept[i], old.get(kept[i])!);
        i++;
      } else {
        users.set(added[j], resolution.user(added[j]));
        j++;
      }
    }
  }
  return resolution.model(users, options.now ?? new Date());
}

/** How each model was resolved, for resolveChangedUsers. */
const resolutions = new WeakMap<ResolvedModel, Resolution>();

/** Everything resolution memoizes per group, role and combination of direct groups, and how one user is resolved. */
class Resolution {
  private constructor(
    private readonly policy: PolicySet,
    private readonly memos: {
      graph: GroupGraph;
      facts: GroupFacts;
      attributes: AttributeResolver;
      roles: RoleResolver;
      homes: HomeResolver;
      membersIndex: MembersIndex;
      keysFromGroups: Map<string, Because<boolean>>;
      lazy: LazyFacts;
    },
  ) {}

  static create(policy: PolicySet): Resolution {
    const graph = new GroupGraph(policy);
    const facts = new GroupFacts(policy, graph);
    const attributes = new AttributeResolver(policy, graph);
    const membersIndex = indexMembersLists(policy);
    const lazy: LazyFacts = {
      groups: (user) =>
        !user.enabled ? new Map() : userGroups(user.definition, membershipsOf(membersIndex, user.login), policy, user.directGroups, graph),
      attributes: (user) =>
        user.enabled
          ? attributes.ofUser(user.definition, user.email, user.directGroups)
          : attributes.ofDisabledUser(user.definition),
    };
    return new Resolution(policy, {
      graph,
      facts,
      attributes,
      roles: new RoleResolver(policy, facts),
      homes: new HomeResolver(policy, graph),
      membersIndex,
      keysFromGroups: new Map(),
      lazy,
    });
  }

  /** The same memos for a policy that differs only in its users (they read groups, roles, attributes and settings only). */
  withPolicy(policy: PolicySet): Resolution {
    return new Resolution(policy, this.memos);
  }

  /**
   * A user whose definition changed. When only its positions changed (lines added above it in its
   * file) and none of its eager facts carries a position of its own (no own home, API-key
   * setting, admin or disabled flag), the previous facts stand with the new definition (the lazy
   * ones are computed from it when read); otherwise it is resolved anew.
   */
  userAgain(previous: LazyResolvedUser, login: string): LazyResolvedUser {
    const def = this.policy.users.get(login)!;
    const was = previous.definition;
    if (!previous.enabled || def.admin || def.disabled || was.admin || def.home || was.home || def.apiKeys || was.apiKeys || !sameFacts(was, def)) return this.user(login);
    const roles: ResolvedRoles = { roles: previous.roles, permissions: previous.permissions, bypassRowRules: previous.bypassRowRules, impersonate: previous.impersonate };
    return new LazyResolvedUser(def, true, previous.directGroups, roles, previous.home, previous.apiKeysEnabled, previous.email, this.memos.lazy);
  }

  user(login: string): LazyResolvedUser {
    const { roles, facts, homes, membersIndex, keysFromGroups, lazy } = this.memos;
    const user = this.policy.users.get(login)!;
    const email = userEmail(user);
    if (user.disabled) {
      // A disabled user has no groups, roles, subjects, rows, attribute values, home or keys.
      const because: Provenance[] = [{ source: 'disabled', login, loc: user.loc }];
      const disabled: ResolvedRoles = { ...DISABLED_ROLES, bypassRowRules: { value: false, because } };
      return new LazyResolvedUser(user, false, [], disabled, null, { value: false, because }, email, lazy);
    }
    const direct = directGroupNames(user, membershipsOf(membersIndex, login), this.policy.settings.defaultGroup);
    const userRoles = roles.forUser(direct, user.admin ? { login, loc: user.loc } : null);
    const keysEnabled = apiKeysEnabled(user, groupKeySetting(direct, facts, keysFromGroups));
    return new LazyResolvedUser(user, true, direct, userRoles, homes.ofUser(user), keysEnabled, email, lazy);
  }

  model(users: Map<string, LazyResolvedUser>, now: Date): ResolvedModel {
    const { policy } = this;
    const { graph } = this.memos;
    const keys = resolveApiKeys(policy, users, now);
    let groupMembers: Map<string, string[]> | undefined;
    const model: ResolvedModel = {
      policy,
      users,
      get groupMembers() {
        // model.users, not `users`: a later edit may change that map in place and leave this model a past version of it.
        return (groupMembers ??= membersOfGroups(policy, graph, model.users as unknown as ReadonlyMap<string, LazyResolvedUser>));
      },
      apiKeys: keys.apiKeys,
      diagnostics: [],
    };
    model.diagnostics = sortDiagnostics([...keys.diagnostics, ...checkComparisonValues(model)]);
    resolutions.set(model, this);
    return model;
  }
}

/** Whether two definitions of a user give the same eager facts (positions aside): the same groups, in order, name, e-mail and database role. */
function sameFacts(a: UserDef, b: UserDef): boolean {
  if (a.login !== b.login || a.name !== b.name || a.email !== b.email || a.dbRole?.value !== b.dbRole?.value) return false;
  if (a.groups.length !== b.groups.length) return false;
  for (let i = 0; i < a.groups.length; i++) if (a.groups[i].value !== b.groups[i].value) return false;
  return true;
}

const DISABLED_ROLES: ResolvedRoles = { roles: new Map(), permissions: [], bypassRowRules: { value: false, because: [] }, impersonate: false };

/** Whether any direct group (or what it inherits) enables API keys; shared per combination. */
function groupKeySetting(direct: readonly string[], facts: GroupFacts, memo: Map<string, Because<boolean>>): Because<boolean> {
  let key = '';
  for (const group of direct) if (facts.apiKeyEnablers(group).length > 0) key += `${group}\u0000`;
  let setting = memo.get(key);
  if (!setting) {
    const seen = new Set<string>();
    const because: Provenance[] = [];
    for (const group of direct) {
      for (const p of facts.apiKeyEnablers(group)) {
        const id = (p as { group: string }).group;
        if (!seen.has(id)) because.push(p);
        seen.add(id);
      }
    }
    setting = Object.freeze({ value: because.length > 0, because });
    memo.set(key, setting);
  }
  return setting;
}

/** Group -> sorted logins of its members, inherited membership included; every group listed. */
function membersOfGroups(policy: PolicySet, graph: GroupGraph, users: ReadonlyMap<string, LazyResolvedUser>): Map<string, string[]> {
  const members = new Map<string, string[]>();
  for (const name of [...policy.groups.keys(), policy.settings.defaultGroup].sort(compareText)) members.set(name, []);
  const add = (group: string, login: string) => {
    let list = members.get(group);
    if (!list) members.set(group, (list = []));
    // Logins arrive in sorted order; a user reaching a group twice is listed once.
    if (list[list.length - 1] !== login) list.push(login);
  };
  for (const [login, user] of users) {
    const direct = user.directGroups;
    const seen = new Set<string>();
    for (const group of direct) {
      if (!seen.has(group)) add(group, login);
      seen.add(group);
      for (const ancestor of graph.ancestors(group).keys()) {
        if (!seen.has(ancestor)) add(ancestor, login);
        seen.add(ancestor);
      }
    }
  }
  return new Map([...members].sort((a, b) => compareText(a[0], b[0])));
}
