import type { AttributeType, Condition, Operator, PolicySet, RuleDef, Scalar, SubjectDef } from '../model/policy.js';
import { AttributeResolver, SYSTEM_ATTRIBUTES, userEmail } from '../resolve/attributes.js';
import { GroupGraph } from '../resolve/group-graph.js';
import { directGroupNames, indexMembersLists, membershipsOf } from '../resolve/membership.js';
import type { ResolvedModel } from '../resolve/model.js';
import { normalizeValues, sortedUnique } from '../resolve/scalars.js';
import { subjectIndex } from '../resolve/subject-index.js';
import { ALL_ID, NONE_ID, ValueTable } from './value-table.js';

/**
 * The facts a user's access depends on, factored so that nothing is computed per user x subject
 * and no per-user attribute or group map is built (the compile is lazy; 100,000 users' maps
 * cost more than the compile itself).
 *
 * A user's access to a subject depends only on (SPEC 4): enabled, admin and bypass; the groups
 * the user is in (direct groups and everything they inherit); and the values of the attributes
 * the subject's rules compare with. So:
 *  - groups are integers, and "is the user in group G" is "is one of the user's direct groups G
 *    or a descendant of G": a per-group mask tested against 1-3 direct groups;
 *  - value sets are interned integers (value-table.ts), and a user's value of an attribute is
 *    folded from the resolver's per-group values (`ofGroup`) of their 1-3 direct groups, a union
 *    of two value ids computed once for all users, then replaced by the user's own value.
 * Everything else (counts, the matrix for markdown/csv/json, the HTML's cells in the browser)
 * is computed from these arrays. The audit tests check every cell against `subjectAccess`.
 */

export interface ProfileCondition {
  condition: Condition;
  field: string;
  operator: Operator;
  /** The subject field's type (what the values are typed as). */
  type: AttributeType;
  /** Column of per-user value ids (attribute conditions), else -1. */
  column: number;
  /** The value id of static values, else -1. */
  staticId: number;
  /**
   * What `all` and none mean (filter-kind.ts): 0 in/eq and comparisons (all: every row, none:
   * no row), 1 not_in/ne (the reverse), 2 last/next (some rows, whatever the values).
   */
  effectClass: 0 | 1 | 2;
}

export interface ProfileRule {
  def: RuleDef;
  conditions: ProfileCondition[];
  /** Absent when the rule has no `applies_to`. Over group ids: 1 where a direct group makes the rule apply. */
  appliesGroups?: Uint8Array;
  /** Over users: 1 where the user is listed in `applies_to`. */
  appliesUsers?: Uint8Array;
}

export interface ProfileSubject {
  name: string;
  def: SubjectDef;
  /** Every enabled user may see it (not restricted, subject access not enforced). */
  open: boolean;
  /** The granted groups' ids, sorted by name. */
  grants: number[];
  /** Over group ids: 1 where a direct group gives the user a granted group (itself or by inheritance). */
  grantMask: Uint8Array;
  /** The rules that contribute a filter, in name order (a rule without conditions contributes none). */
  rules: ProfileRule[];
}

export interface ProfileColumn {
  attribute: string;
  /** The type the values are compared as, when it differs from the attribute's own (values re-typed). */
  retype?: AttributeType;
  /** Per user: the value id (none for disabled users). */
  ids: Int32Array;
}

export interface AccessProfile {
  model: ResolvedModel;
  policy: PolicySet;
  values: ValueTable;
  graph: GroupGraph;
  attributes: AttributeResolver;
  /** Logins in model order (row i is logins[i]). */
  logins: string[];
  n: number;
  enabled: Uint8Array;
  admin: Uint8Array;
  bypass: Uint8Array;
  /** Group id -> name (every defined group, the default group, and any name a user lists). */
  groupNames: string[];
  groupId: Map<string, number>;
  /** Per user: the direct group ids in the resolver's order, userGroups[userStart[u] .. userStart[u + 1]). */
  userStart: Int32Array;
  userGroups: Int32Array;
  /** Every defined attribute (sorted), then the system attributes rules compare with. */
  attributeNames: string[];
  /** Per attribute (attributeNames order): the value id of its default (none for system attributes). */
  attributeDefaults: number[];
  /** Per attribute (attributeNames order), per user: the value id (none for disabled users). */
  attributeIds: Int32Array[];
  /** Per group id: (attribute index, value id) pairs of the group's own or inherited values (the resolver's `ofGroup`). */
  groupValues: Int32Array[];
  /** Value id a * 2^32 + b -> the id of their union, for the unions the users' groups needed. */
  unions: Map<number, number>;
  /** Compared attribute columns (one per attribute and type compared as). */
  columns: ProfileColumn[];
  /** Sorted by name. */
  subjects: ProfileSubject[];
  /** Whether some enabled user has the group (directly or by inheritance). */
  groupUsed: Uint8Array;
}

export function buildAccessProfile(model: ResolvedModel): AccessProfile {
  const policy = model.policy;
  const index = subjectIndex(model);
  const values = new ValueTable();
  const graph = new GroupGraph(policy);
  const attributes = new AttributeResolver(policy, graph);
  const membersIndex = indexMembersLists(policy);
  const { defaultGroup } = policy.settings;

  const groupNames: string[] = [];
  const groupId = new Map<string, number>();
  const gid = (name: string) => {
    let id = groupId.get(name);
    if (id === undefined) {
      id = groupNames.length;
      groupNames.push(name);
      groupId.set(name, id);
    }
    return id;
  };
  for (const name of [...policy.groups.keys(), defaultGroup].sort()) gid(name);

  // Which attributes rules compare with, and as which type: the columns.
  const columnKey = new Map<string, number>();
  const columns: ProfileColumn[] = [];
  const baseColumns = new Map<string, number>();
  const attributeType = (name: string): AttributeType => policy.attributes.get(name)?.type ?? 'string';
  const columnFor = (attribute: string, type: AttributeType): number => {
    const retype = type === attributeType(attribute) ? undefined : type;
    const key = `${attribute}\u0000${retype ?? ''}`;
    let col = columnKey.get(key);
    if (col === undefined) {
      col = columns.length;
      const column: ProfileColumn = { attribute, ids: new Int32Array(0) };
      if (retype) column.retype = retype;
      columns.push(column);
      columnKey.set(key, col);
      if (!baseColumns.has(attribute)) baseColumns.set(attribute, baseColumns.size);
    }
    return col;
  };

  const logins = [...model.users.keys()];
  const n = logins.length;
  const enabled = new Uint8Array(n);
  const admin = new Uint8Array(n);
  const bypass = new Uint8Array(n);
  let u = 0;
  for (const user of model.users.values()) {
    enabled[u] = user.enabled ? 1 : 0;
    admin[u] = user.admin ? 1 : 0;
    bypass[u] = user.bypassRowRules.value ? 1 : 0;
    u++;
  }
  // Rows by login, only when a rule lists users in `applies_to`.
  let userRow: Map<string, number> | undefined;

  // Subjects and their rules; group ids get assigned for every name they mention.
  const appliesGroupNames = new Map<ProfileRule, string[]>();
  const subjects: ProfileSubject[] = [...policy.subjects.keys()].sort().map((name) => {
    const def = policy.subjects.get(name)!;
    const rules: ProfileRule[] = [];
    for (const indexed of index.rules.get(name) ?? []) {
      const rule = indexed.def;
      if (!rule.isAny && rule.conditions.length === 0) continue;
      const conditions = rule.conditions.map((condition): ProfileCondition => {
        const field = condition.field.value;
        const type: AttributeType = def.fields.get(field)?.type ?? 'string';
        const operator = condition.operator.value;
        const effectClass = condition.modifier ? 2 : operator === 'not_in' || operator === 'ne' ? 1 : 0;
        let column = -1;
        let staticId = -1;
        if (!condition.modifier) {
          if (condition.attribute) column = columnFor(condition.attribute.value, type);
          else {
            // As written (any YAML scalar); typed by the field like the resolver's conditions.ts.
            const typed = normalizeValues({ kind: 'values', values: (condition.values ?? []).map((v) => v.value) as Scalar[] }, type);
            staticId = values.id(typed);
          }
        }
        return { condition, field, operator, type, column, staticId, effectClass };
      });
      const profiled: ProfileRule = { def: rule, conditions };
      if (indexed.appliesTo) {
        appliesGroupNames.set(profiled, indexed.appliesTo.groups);
        const listed = new Uint8Array(n);
        if (indexed.appliesTo.users.size > 0) userRow ??= new Map(logins.map((login, row) => [login, row]));
        for (const login of indexed.appliesTo.users) {
          const row = userRow!.get(login);
          if (row !== undefined) listed[row] = 1;
        }
        profiled.appliesUsers = listed;
        for (const group of indexed.appliesTo.groups) gid(group);
      }
      rules.push(profiled);
    }
    const open = !def.restricted && !policy.settings.enforceSubjectAccess;
    const grants = [...(index.grants.get(name)?.keys() ?? [])].map(gid);
    return { name, def, open, grants, grantMask: new Uint8Array(0), rules };
  });

  // Direct groups per user, in the resolver's order (none for a disabled user).
  const userStart = new Int32Array(n + 1);
  const direct: number[] = [];
  for (let u = 0; u < n; u++) {
    if (enabled[u]) {
      const def = policy.users.get(logins[u])!;
      for (const name of directGroupNames(def, membershipsOf(membersIndex, logins[u]), defaultGroup)) direct.push(gid(name));
    }
    userStart[u + 1] = direct.length;
  }
  const userGroups = Int32Array.from(direct);

  // Group masks, closed downwards: a direct group counts for G when it is G or inherits G.
  const descendants: number[][] = groupNames.map(() => []);
  for (let g = 0; g < descendants.length; g++) for (const ancestor of graph.ancestors(groupNames[g]).keys()) descendants[gid(ancestor)]?.push(g);
  const maskOf = (ids: Iterable<number>) => {
    const mask = new Uint8Array(groupNames.length);
    for (const g of ids) {
      mask[g] = 1;
      for (const d of descendants[g] ?? []) mask[d] = 1;
    }
    return mask;
  };
  for (const subject of subjects) {
    subject.grantMask = maskOf(subject.grants);
    for (const rule of subject.rules) {
      const groups = appliesGroupNames.get(rule);
      if (groups) rule.appliesGroups = maskOf(groups.map(gid));
    }
  }
  const groupUsed = new Uint8Array(groupNames.length);
  for (const g of userGroups) {
    if (groupUsed[g]) continue;
    groupUsed[g] = 1;
    for (const ancestor of graph.ancestors(groupNames[g]).keys()) groupUsed[gid(ancestor)] = 1;
  }

  // Attribute values (SPEC 4): the user's own value, else the union over the direct groups of
  // each group's value (the resolver's `ofGroup`: nearest definition along `inherits`), else the
  // default. Folded per user over value ids, a union of two ids computed once.
  const attributeNames = [...policy.attributes.keys()].sort();
  for (const name of baseColumns.keys()) if (!policy.attributes.has(name)) attributeNames.push(name); // compared system attributes
  const attributeIndex = new Map(attributeNames.map((a, i) => [a, i]));
  const groupValues: Int32Array[] = groupNames.map((name) => {
    const pairs: number[] = [];
    for (const [attribute, value] of attributes.ofGroup(name)) {
      const i = attributeIndex.get(attribute);
      if (i !== undefined) pairs.push(i, values.id(value.value));
    }
    return Int32Array.from(pairs);
  });
  const unions = new Map<number, number>();
  const unionOf = (a: number, b: number): number => {
    if (a === b || a === ALL_ID) return a;
    if (b === ALL_ID) return b;
    const key = a * 0x100000000 + b;
    let id = unions.get(key);
    if (id === undefined) {
      id = values.idOf(sortedUnique([...(values.values[a] as Scalar[]), ...(values.values[b] as Scalar[])]));
      unions.set(key, id);
    }
    return id;
  };
  const attributeDefaults = attributeNames.map((name) => {
    const def = policy.attributes.get(name);
    return def ? values.id(normalizeValues(def.default, def.type)) : NONE_ID;
  });
  const attributeIds = attributeDefaults.map((id) => new Int32Array(n).fill(id));
  const width = attributeNames.length;
  const stamp = new Int32Array(width);
  const system = attributeNames.map((a) => (SYSTEM_ATTRIBUTES as readonly string[]).includes(a));
  const anySystem = system.includes(true);
  for (let u = 0; u < n; u++) {
    if (!enabled[u]) {
      for (let i = 0; i < width; i++) attributeIds[i][u] = NONE_ID;
      continue;
    }
    for (let k = userStart[u]; k < userStart[u + 1]; k++) {
      const pairs = groupValues[userGroups[k]];
      for (let p = 0; p < pairs.length; p += 2) {
        const i = pairs[p];
        if (stamp[i] !== u + 1) {
          stamp[i] = u + 1;
          attributeIds[i][u] = pairs[p + 1];
        } else attributeIds[i][u] = unionOf(attributeIds[i][u], pairs[p + 1]);
      }
    }
    const def = policy.users.get(logins[u])!;
    if (def.attributes.size > 0) {
      for (const [name, own] of def.attributes) {
        const i = attributeIndex.get(name);
        const attribute = policy.attributes.get(name);
        if (i !== undefined && attribute) attributeIds[i][u] = values.id(normalizeValues(own.values, attribute.type));
      }
    }
    if (anySystem) {
      for (let i = 0; i < width; i++) {
        if (!system[i]) continue;
        const value = attributeNames[i] === 'user.login' ? def.login : attributeNames[i] === 'user.email' ? userEmail(def) : def.name;
        attributeIds[i][u] = value === undefined ? NONE_ID : values.idOf([value]);
      }
    }
  }
  for (const column of columns) {
    const base = attributeIds[attributeIndex.get(column.attribute)!];
    if (!column.retype) {
      column.ids = base;
      continue;
    }
    const type = column.retype;
    const retyped = new Map<number, number>();
    const ids = new Int32Array(n);
    for (let u = 0; u < n; u++) {
      const id = base[u];
      let to = retyped.get(id);
      if (to === undefined) {
        const v = values.values[id];
        to = v === 'all' ? id : values.id(normalizeValues({ kind: 'values', values: v }, type));
        retyped.set(id, to);
      }
      ids[u] = to;
    }
    column.ids = ids;
  }

  return {
    model,
    policy,
    values,
    graph,
    attributes,
    logins,
    n,
    enabled,
    admin,
    bypass,
    groupNames,
    groupId,
    userStart,
    userGroups,
    attributeNames,
    attributeDefaults,
    attributeIds,
    groupValues,
    unions,
    columns,
    subjects,
    groupUsed,
  };
}

/** Whether rule `rule` applies to user `u` (no `applies_to`, listed, or in a listed group). */
export function ruleApplies(profile: AccessProfile, rule: ProfileRule, u: number): boolean {
  if (!rule.appliesGroups) return true;
  if (rule.appliesUsers![u]) return true;
  return inMask(profile, rule.appliesGroups, u);
}

/** Whether one of user `u`'s direct groups is set in a group mask. */
export function inMask(profile: AccessProfile, mask: Uint8Array, u: number): boolean {
  for (let k = profile.userStart[u]; k < profile.userStart[u + 1]; k++) if (mask[profile.userGroups[k]]) return true;
  return false;
}
