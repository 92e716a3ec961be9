import type { Loc } from '../../src/diagnostics/diagnostic.js';
import type {
  AttributeDef,
  AttributeType,
  AttributeValues,
  Condition,
  DurationUnit,
  GroupDef,
  Home,
  Operator,
  Permission,
  PolicySet,
  RoleDef,
  RuleDef,
  Scalar,
  SubjectDef,
  UserDef,
} from '../../src/model/policy.js';
import { builtinRoles } from '../../src/validate/merge-builtins.js';

/**
 * Builds a PolicySet directly from a compact description, without YAML, for unit and
 * property tests of the resolver. Every node gets a distinct synthetic position
 * (`file: 'built.yaml'`, increasing lines), and `loc(path)` returns the position given to the
 * node at a dotted path such as `groups.apac.attributes.country`, so tests can assert
 * provenance. Built-in roles are added as validation adds them.
 */

type Values = 'all' | Scalar[];

export interface ConditionSpec {
  field: string;
  operator: Operator;
  attribute?: string;
  values?: unknown[];
  modifier?: Partial<Record<DurationUnit, number>>;
}

export interface PolicySpec {
  settings?: { enforce_subject_access?: boolean; default_group?: string; base_role?: string };
  attributes?: Record<string, { type?: AttributeType; default?: Values }>;
  subjects?: Record<string, { restricted?: boolean; table?: string; fields?: Record<string, AttributeType | { column: string; type: AttributeType }> }>;
  roles?: Record<string, { extends?: string[]; permissions?: Permission[]; row_rules?: 'enforce' | 'bypass' }>;
  groups?: Record<
    string,
    {
      inherits?: string[];
      roles?: string[];
      subjects?: string[];
      attributes?: Record<string, Values>;
      home?: Home;
      api_keys?: 'enabled' | 'disabled';
      members?: string[];
    }
  >;
  users?: Record<
    string,
    {
      name?: string;
      email?: string;
      groups?: string[];
      attributes?: Record<string, Values>;
      admin?: boolean;
      disabled?: boolean;
      api_keys?: 'enabled' | 'disabled';
      home?: Home;
      db_role?: string;
    }
  >;
  api_keys?: Record<string, { user: string; expires?: string }>;
  rules?: Record<string, ({ any: ConditionSpec[] } | ConditionSpec) & { subject: string; applies_to?: { groups?: string[]; users?: string[] } }>;
}

export interface Built {
  policy: PolicySet;
  loc(path: string): Loc;
}

export function buildPolicy(spec: PolicySpec): Built {
  const locs = new Map<string, Loc>();
  let line = 0;
  const at = (path: string): Loc => {
    const loc = { file: 'built.yaml', line: ++line, column: 1 };
    locs.set(path, loc);
    return loc;
  };
  const refs = (path: string, names: string[] | undefined) => (names ?? []).map((value, i) => ({ value, loc: at(`${path}.${i}`) }));
  const values = (v: Values): AttributeValues => (v === 'all' ? { kind: 'all' } : { kind: 'values', values: [...v] });
  const assignments = (path: string, attrs: Record<string, Values> | undefined) =>
    new Map(
      Object.entries(attrs ?? {}).map(([attribute, v]) => [
        attribute,
        { attribute, loc: at(`${path}.${attribute}`), values: values(v), raw: v === 'all' ? [] : v.map((value, i) => ({ value, loc: at(`${path}.${attribute}.${i}`) })) },
      ]),
    );

  const s = spec.settings ?? {};
  const settingLocs: PolicySet['settings']['locs'] = {};
  if (s.enforce_subject_access !== undefined) settingLocs.enforceSubjectAccess = at('settings.enforce_subject_access');
  if (s.default_group !== undefined) settingLocs.defaultGroup = at('settings.default_group');
  if (s.base_role !== undefined) settingLocs.baseRole = at('settings.base_role');
  const settings = { enforceSubjectAccess: s.enforce_subject_access ?? false, defaultGroup: s.default_group ?? 'everyone', baseRole: s.base_role ?? 'user', locs: settingLocs };

  const attributes = new Map<string, AttributeDef>();
  for (const [name, a] of Object.entries(spec.attributes ?? {})) {
    const def: AttributeDef = { name, loc: at(`attributes.${name}`), type: a.type ?? 'string', default: a.default === undefined ? { kind: 'values', values: [] } : values(a.default) };
    if (a.default !== undefined) def.defaultLoc = at(`attributes.${name}.default`);
    attributes.set(name, def);
  }

  const subjects = new Map<string, SubjectDef>();
  for (const [name, sub] of Object.entries(spec.subjects ?? {})) {
    const loc = at(`subjects.${name}`);
    const fields = new Map(
      Object.entries(sub.fields ?? {}).map(([field, f]) => {
        const { column, type } = typeof f === 'string' ? { column: field, type: f } : f;
        return [field, { name: field, loc: at(`subjects.${name}.fields.${field}`), column, type }];
      }),
    );
    const def: SubjectDef = { name, loc, restricted: sub.restricted ?? false, fields, platforms: {} };
    if (sub.table) def.table = { value: sub.table, loc: at(`subjects.${name}.table`) };
    subjects.set(name, def);
  }

  // The built-in roles exactly as validation adds them.
  const roles: Map<string, RoleDef> = builtinRoles();
  const builtinLoc: Loc = { file: '<built-in>', line: 1, column: 1 };
  for (const [name, r] of Object.entries(spec.roles ?? {})) {
    roles.set(name, {
      name,
      builtin: false,
      loc: at(`roles.${name}`),
      extends: refs(`roles.${name}.extends`, r.extends),
      permissions: refs(`roles.${name}.permissions`, r.permissions) as { value: Permission; loc: Loc }[],
      rowRules: r.row_rules ?? 'enforce',
      impersonate: false,
    });
  }

  const groups = new Map<string, GroupDef>();
  for (const [name, g] of Object.entries(spec.groups ?? {})) {
    const def: GroupDef = {
      name,
      loc: at(`groups.${name}`),
      implicit: false,
      inherits: refs(`groups.${name}.inherits`, g.inherits),
      roles: refs(`groups.${name}.roles`, g.roles),
      subjects: refs(`groups.${name}.subjects`, g.subjects),
      attributes: assignments(`groups.${name}.attributes`, g.attributes),
      members: refs(`groups.${name}.members`, g.members),
    };
    if (g.home) def.home = { value: g.home, loc: at(`groups.${name}.home`) };
    if (g.api_keys) def.apiKeys = { value: g.api_keys, loc: at(`groups.${name}.api_keys`) };
    groups.set(name, def);
  }
  if (!groups.has(settings.defaultGroup)) {
    groups.set(settings.defaultGroup, {
      name: settings.defaultGroup,
      loc: builtinLoc,
      implicit: true,
      inherits: [],
      roles: [],
      subjects: [],
      attributes: new Map(),
      members: [],
    });
  }

  const users = new Map<string, UserDef>();
  for (const [login, u] of Object.entries(spec.users ?? {})) {
    const def: UserDef = {
      login,
      loc: at(`users.${login}`),
      groups: refs(`users.${login}.groups`, u.groups),
      attributes: assignments(`users.${login}.attributes`, u.attributes),
      admin: u.admin ?? false,
      disabled: u.disabled ?? false,
    };
    if (u.name !== undefined) def.name = u.name;
    if (u.email !== undefined) def.email = u.email;
    if (u.api_keys) def.apiKeys = { value: u.api_keys, loc: at(`users.${login}.api_keys`) };
    if (u.home) def.home = { value: u.home, loc: at(`users.${login}.home`) };
    if (u.db_role) def.dbRole = { value: u.db_role, loc: at(`users.${login}.db_role`) };
    users.set(login, def);
  }

  const apiKeys = new Map(
    Object.entries(spec.api_keys ?? {}).map(([name, k]) => {
      const loc = at(`api_keys.${name}`);
      const def = { name, loc, user: { value: k.user, loc: at(`api_keys.${name}.user`) } } as PolicySet['apiKeys'] extends Map<string, infer D> ? D : never;
      if (k.expires) def.expires = { value: k.expires, loc: at(`api_keys.${name}.expires`) };
      return [name, def];
    }),
  );

  const rules = new Map<string, RuleDef>();
  for (const [name, r] of Object.entries(spec.rules ?? {})) {
    const loc = at(`rules.${name}`);
    const condition = (path: string, c: ConditionSpec): Condition => {
      const out: Condition = { loc: at(path), field: { value: c.field, loc: at(`${path}.field`) }, operator: { value: c.operator, loc: at(`${path}.operator`) } };
      if (c.attribute !== undefined) out.attribute = { value: c.attribute, loc: at(`${path}.attribute`) };
      if (c.values !== undefined) out.values = c.values.map((value, i) => ({ value, loc: at(`${path}.values.${i}`) }));
      if (c.modifier !== undefined) {
        const [unit, amount] = Object.entries(c.modifier)[0] as [DurationUnit, number];
        out.modifier = { value: { unit, amount }, loc: at(`${path}.modifier`) };
      }
      return out;
    };
    const isAny = 'any' in r;
    const def: RuleDef = {
      name,
      loc,
      subject: { value: r.subject, loc: at(`rules.${name}.subject`) },
      conditions: isAny ? r.any.map((c, i) => condition(`rules.${name}.any.${i}`, c)) : [condition(`rules.${name}.condition`, r)],
      isAny,
    };
    if (r.applies_to) {
      def.appliesTo = {
        loc: at(`rules.${name}.applies_to`),
        groups: refs(`rules.${name}.applies_to.groups`, r.applies_to.groups),
        users: refs(`rules.${name}.applies_to.users`, r.applies_to.users),
      };
    }
    rules.set(name, def);
  }

  const policy: PolicySet = { settings, attributes, subjects, roles, groups, users, apiKeys, rules };
  return {
    policy,
    loc(path: string): Loc {
      const loc = locs.get(path);
      if (!loc) throw new Error(`no node at ${path}`);
      return loc;
    },
  };
}
