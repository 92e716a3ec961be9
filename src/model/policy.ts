import type { Loc } from '../diagnostics/diagnostic.js';

/**
 * The merged, typed policy set: every policy document of a project after schema validation,
 * merged by name. Every definition and every reference keeps its source position so that
 * validation rules, the resolver's provenance and `explain` can point at it.
 *
 * Maps are keyed by name; iteration order is source order (files sorted by path, then
 * document order). Consumers that print or emit must sort.
 */

export type AttributeType = 'string' | 'integer' | 'number' | 'date' | 'boolean';

/** A typed scalar value. Dates are ISO `YYYY-MM-DD` strings. */
export type Scalar = string | number | boolean;

/** `all` (unrestricted) or a finite set of values (empty = none = deny). */
export type AttributeValues = { kind: 'all' } | { kind: 'values'; values: Scalar[] };

/** A value as written in a policy file, with its position. */
export interface Located<T> {
  value: T;
  loc: Loc;
}

/** A reference to another definition by name (group, role, subject, attribute, user). */
export type Ref = Located<string>;

export interface Settings {
  enforceSubjectAccess: boolean;
  defaultGroup: string;
  baseRole: string;
  /** Where each setting was given, when it was (absent = built-in default). */
  locs: Partial<Record<'enforceSubjectAccess' | 'defaultGroup' | 'baseRole', Loc>>;
}

export interface AttributeDef {
  name: string;
  loc: Loc;
  type: AttributeType;
  description?: string;
  /** `none` unless stated. */
  default: AttributeValues;
  defaultLoc?: Loc;
  /** Raw values as written in the default list, for type checks. */
  defaultValues?: Located<unknown>[];
}

export interface FieldDef {
  name: string;
  loc: Loc;
  column: string;
  type: AttributeType;
}

export interface SubjectDef {
  name: string;
  loc: Loc;
  description?: string;
  restricted: boolean;
  /** `schema.table` or `table`, for SQL targets. */
  table?: Located<string>;
  fields: Map<string, FieldDef>;
  /** Per platform, the platform's own identifiers (shape checked by the schema, read by targets). */
  platforms: Record<string, Located<Record<string, unknown>>>;
}

export type Permission = `${'catalog' | 'schema' | 'data' | 'security'}.${'view' | 'share' | 'manage'}`;

export interface RoleDef {
  name: string;
  /** Built-in roles have `builtin: true` and a synthetic location. */
  builtin: boolean;
  loc: Loc;
  description?: string;
  extends: Ref[];
  permissions: Located<Permission>[];
  rowRules: 'enforce' | 'bypass';
  /** Whether members may impersonate other users (super_role). */
  impersonate: boolean;
  /** For the incorta target: built-in roles a custom role stands for. */
  incortaRoles?: Ref[];
}

export type Home = { dashboard: string } | { category: string };

/** An attribute assignment as written on a group or user: `all` or a list of values. */
export interface AttributeAssignment {
  attribute: string;
  loc: Loc;
  values: AttributeValues;
  /** Raw values as written, for type checks (empty when `all`). */
  raw: Located<unknown>[];
}

export interface GroupDef {
  name: string;
  loc: Loc;
  /** True for the default group when no file defines it. */
  implicit: boolean;
  description?: string;
  inherits: Ref[];
  roles: Ref[];
  subjects: Ref[];
  attributes: Map<string, AttributeAssignment>;
  home?: Located<Home>;
  apiKeys?: Located<'enabled' | 'disabled'>;
  members: Ref[];
}

export interface UserDef {
  login: string;
  loc: Loc;
  name?: string;
  email?: string;
  groups: Ref[];
  attributes: Map<string, AttributeAssignment>;
  admin: boolean;
  disabled: boolean;
  apiKeys?: Located<'enabled' | 'disabled'>;
  home?: Located<Home>;
  /** `principal: role` override of the database role name. */
  dbRole?: Located<string>;
  /** Roles given directly (an error: roles come from groups); kept so validation can point at them. */
  directRoles?: Ref[];
}

export interface ApiKeyDef {
  name: string;
  loc: Loc;
  user: Ref;
  description?: string;
  /** ISO date `YYYY-MM-DD`. */
  expires?: Located<string>;
}

export type Operator = 'in' | 'not_in' | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'between' | 'last' | 'next';

export type DurationUnit = 'days' | 'weeks' | 'months' | 'years';

/** One comparison of a subject field against a user attribute or static values. */
export interface Condition {
  loc: Loc;
  field: Ref;
  operator: Located<Operator>;
  /** Exactly one of `attribute` or `values` (or `modifier` for last/next). */
  attribute?: Ref;
  values?: Located<unknown>[];
  modifier?: Located<{ unit: DurationUnit; amount: number }>;
}

export interface RuleDef {
  name: string;
  loc: Loc;
  subject: Ref;
  description?: string;
  /** A single condition (`field`/`operator`/…) or an OR of conditions (`any`). */
  conditions: Condition[];
  isAny: boolean;
  appliesTo?: { loc: Loc; groups: Ref[]; users: Ref[] };
}

export interface PolicySet {
  settings: Settings;
  attributes: Map<string, AttributeDef>;
  subjects: Map<string, SubjectDef>;
  roles: Map<string, RoleDef>;
  groups: Map<string, GroupDef>;
  users: Map<string, UserDef>;
  apiKeys: Map<string, ApiKeyDef>;
  rules: Map<string, RuleDef>;
}
