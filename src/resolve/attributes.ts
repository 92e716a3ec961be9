import type { AttributeValues, PolicySet, UserDef } from '../model/policy.js';
import type { GroupGraph } from './group-graph.js';
import type { Because, Provenance } from './model.js';
import { ALL, NONE, compareText, normalizeValues, sortedUnique } from './scalars.js';

/**
 * Attribute values (SPEC 4): the user's own value replaces everything; otherwise the union over
 * the user's direct groups of each group's nearest definition along `inherits`; otherwise the
 * attribute's default. Group values are memoized per group, and the union per set of direct
 * groups, so the work grows with groups, not with users.
 */

export const SYSTEM_ATTRIBUTES = ['user.email', 'user.login', 'user.name'] as const;

/** A shared, immutable resolved value. */
export type AttributeValue = Because<AttributeValues>;

const SYSTEM_PLACEHOLDER: AttributeValue = Object.freeze({ value: NONE, because: [] });

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `email` if given, else the login when it is an e-mail address. */
export function userEmail(user: UserDef): string | undefined {
  return user.email ?? (EMAIL.test(user.login) ? user.login : undefined);
}

export class AttributeResolver {
  private readonly groupMemo = new Map<string, Map<string, AttributeValue>>();
  private readonly unionMemo = new Map<string, Map<string, AttributeValue>>();
  private readonly defaults = new Map<string, AttributeValue>();
  /** Every attribute name the user map holds, system ones included, in output order. */
  readonly names: string[];

  constructor(
    private readonly policy: PolicySet,
    private readonly graph: GroupGraph,
  ) {
    for (const def of policy.attributes.values()) {
      const because: Provenance[] = [{ source: 'attribute-default', attribute: def.name, loc: def.defaultLoc }];
      this.defaults.set(def.name, freeze({ value: normalizeValues(def.default, def.type), because }));
    }
    this.names = [...policy.attributes.keys(), ...SYSTEM_ATTRIBUTES].sort(compareText);
  }

  /**
   * A group's value for every attribute it (or an ancestor) defines: its own definition, else the
   * union of its parents' values computed the same way, so the nearest definition wins.
   * Provenance paths start at this group.
   */
  ofGroup(name: string): Map<string, AttributeValue> {
    const known = this.groupMemo.get(name);
    if (known) return known;
    this.graph.ancestors(name); // refuses a cycle before we recurse along it
    const result = new Map<string, AttributeValue>();
    const group = this.graph.group(name);
    if (group) {
      for (const [attribute, assignment] of group.attributes) {
        const def = this.policy.attributes.get(attribute);
        if (!def) continue;
        const because: Provenance[] = [{ source: 'group', group: name, path: [name], loc: assignment.loc }];
        result.set(attribute, freeze({ value: normalizeValues(assignment.values, def.type), because }));
      }
      const inherited = new Map<string, AttributeValue[]>();
      for (const parent of group.inherits) {
        for (const [attribute, value] of this.ofGroup(parent.value)) {
          if (result.has(attribute)) continue;
          let list = inherited.get(attribute);
          if (!list) inherited.set(attribute, (list = []));
          list.push({ value: value.value, because: value.because.map((p) => prefixPath(name, p)) });
        }
      }
      for (const [attribute, values] of inherited) result.set(attribute, union(values));
    }
    this.groupMemo.set(name, result);
    return result;
  }

  /** The union over a set of direct groups (memoized by `key`, the direct groups in order). */
  ofDirectGroups(key: string, direct: readonly string[]): Map<string, AttributeValue> {
    const known = this.unionMemo.get(key);
    if (known) return known;
    const collected = new Map<string, AttributeValue[]>();
    for (const group of new Set(direct)) {
      for (const [attribute, value] of this.ofGroup(group)) {
        let list = collected.get(attribute);
        if (!list) collected.set(attribute, (list = []));
        list.push(value);
      }
    }
    const result = new Map<string, AttributeValue>();
    for (const [attribute, values] of collected) result.set(attribute, values.length === 1 ? values[0] : union(values));
    this.unionMemo.set(key, result);
    return result;
  }

  /** Every attribute of an enabled user, system attributes included, sorted by name. */
  ofUser(user: UserDef, email: string | undefined, direct: readonly string[]): Map<string, AttributeValue> {
    const fromGroups = this.ofDirectGroups(direct.join('\u0000'), direct);
    const result = new Map<string, AttributeValue>();
    // In output order; system attributes get a placeholder here (keeping their sorted position)
    // and their value below, with the user's own values.
    for (const name of this.names) result.set(name, fromGroups.get(name) ?? this.defaults.get(name) ?? SYSTEM_PLACEHOLDER);
    for (const [name, own] of user.attributes) {
      const def = this.policy.attributes.get(name);
      if (!def) continue;
      result.set(name, { value: normalizeValues(own.values, def.type), because: [{ source: 'user', login: user.login, loc: own.loc }] });
    }
    for (const name of SYSTEM_ATTRIBUTES) result.set(name, systemValue(name, user, email)!);
    return result;
  }

  /** A disabled user has no attribute values at all. */
  ofDisabledUser(user: UserDef): Map<string, AttributeValue> {
    const because: Provenance[] = [{ source: 'disabled', login: user.login, loc: user.loc }];
    const value = freeze({ value: NONE, because });
    return new Map(this.names.map((name) => [name, value]));
  }
}

function systemValue(name: string, user: UserDef, email: string | undefined): AttributeValue | undefined {
  let value: string | undefined;
  if (name === 'user.login') value = user.login;
  else if (name === 'user.email') value = email;
  else if (name === 'user.name') value = user.name;
  else return undefined;
  return { value: value === undefined ? NONE : { kind: 'values', values: [value] }, because: [{ source: 'system', attribute: name }] };
}

/** Union of several definitions: `all` absorbs (and only the `all`s explain it); else every value of every one. */
function union(values: readonly AttributeValue[]): AttributeValue {
  const alls = values.filter((v) => v.value.kind === 'all');
  if (alls.length > 0) return freeze({ value: ALL, because: distinctSources(alls.flatMap((v) => v.because)) });
  const merged = sortedUnique(values.flatMap((v) => (v.value.kind === 'values' ? v.value.values : [])));
  return freeze({ value: { kind: 'values', values: merged }, because: distinctSources(values.flatMap((v) => v.because)) });
}

/**
 * One reason per definition: a user in `vietnam` and `singapore`, which both inherit `apac`,
 * gets apac's region once (through the first path); the other paths are in the user's groups.
 */
function distinctSources(because: Provenance[]): Provenance[] {
  const seen = new Set<string>();
  return because.filter((p) => {
    const key = 'loc' in p && p.loc ? `${p.loc.file}:${p.loc.line}:${p.loc.column}` : JSON.stringify(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function prefixPath(group: string, p: Provenance): Provenance {
  return p.source === 'group' ? { ...p, path: [group, ...p.path] } : p;
}

function freeze(value: AttributeValue): AttributeValue {
  return Object.freeze(value);
}
