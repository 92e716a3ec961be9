import type { Diagnostic, Loc } from '../diagnostics/diagnostic.js';
import type { AttributeType, AttributeValues, DurationUnit, Home, Operator, Permission, PolicySet, Scalar } from '../model/policy.js';

/**
 * The resolved model: every user's effective access, computed from a PolicySet by a pure,
 * deterministic function (section 4 of the spec). Every fact says why it holds (provenance).
 * All maps here iterate in sorted key order.
 */

/** Why a fact holds: the source node(s) that produced it. */
export type Provenance =
  | { source: 'user'; login: string; loc: Loc }
  /** Through group `group`; `path` runs from the user's direct group to `group` along `inherits`. */
  | { source: 'group'; group: string; path: string[]; loc: Loc }
  /** A group's `members` list names the user. */
  | { source: 'members'; group: string; loc: Loc }
  | { source: 'default-group'; group: string; loc?: Loc }
  | { source: 'base-role'; role: string; loc?: Loc }
  | { source: 'admin'; login: string; loc: Loc }
  /** Through role `role`; `path` runs from the granted role to `role` along `extends`. */
  | { source: 'role'; role: string; path: string[]; loc: Loc }
  | { source: 'attribute-default'; attribute: string; loc?: Loc }
  | { source: 'system'; attribute: string }
  | { source: 'setting'; setting: string; loc?: Loc }
  | { source: 'rule'; rule: string; loc: Loc }
  | { source: 'disabled'; login: string; loc: Loc };

export interface Because<T> {
  value: T;
  because: Provenance[];
}

export interface ResolvedUser {
  login: string;
  loc: Loc;
  enabled: boolean;
  admin: boolean;
  name?: string;
  /** The user's e-mail: `email` if given, else the login when it is an e-mail address. */
  email?: string;
  /** Group name -> why the user is a member (empty map for a disabled user). Sorted. */
  groups: Map<string, Provenance[]>;
  /** Role name -> why the user has it, closed under `extends`. Sorted. */
  roles: Map<string, Provenance[]>;
  /** Sorted, with implied `view`s. */
  permissions: Permission[];
  bypassRowRules: Because<boolean>;
  /** Whether the user may impersonate (super_role). */
  impersonate: boolean;
  home: Because<Home> | null;
  /**
   * Every defined attribute plus the system attributes `user.login`, `user.email`, `user.name`.
   * Values are typed, de-duplicated and sorted; none = `{kind:'values', values: []}`.
   */
  attributes: Map<string, Because<AttributeValues>>;
  apiKeysEnabled: Because<boolean>;
  /** Database role name for `principal: role` (login unless `db_role` overrides). */
  dbRole: string;
}

/** One comparison, with the user's attribute values already substituted. */
export interface ResolvedCondition {
  field: string;
  /** Physical column and type from the subject's `fields`. */
  column: string;
  type: AttributeType;
  operator: Operator;
  /** `all`, or the sorted typed values compared against (empty = none). Absent for last/next. */
  values?: 'all' | Scalar[];
  /** For last/next. */
  modifier?: { unit: DurationUnit; amount: number };
  /** The attribute the values came from, when not static. */
  attribute?: string;
}

export type ResolvedFilter =
  | ({ rule: string; loc: Loc } & ResolvedCondition)
  | { rule: string; loc: Loc; any: ResolvedCondition[] };

export interface SubjectAccess {
  subject: string;
  access: boolean;
  because: Provenance[];
  /** ANDed; empty when the user bypasses row rules or has no access. Sorted by rule name. */
  filters: ResolvedFilter[];
}

export interface ResolvedApiKey {
  name: string;
  user: string;
  loc: Loc;
  valid: boolean;
  /** Why not valid, or expiry warnings. */
  problems: string[];
  expires?: string;
}

export interface ResolvedModel {
  policy: PolicySet;
  /** Sorted by login. */
  users: Map<string, ResolvedUser>;
  /** Group -> sorted logins of (transitive) members. */
  groupMembers: Map<string, string[]>;
  apiKeys: Map<string, ResolvedApiKey>;
  /** Resolution warnings (e.g. keys expiring within 30 days). */
  diagnostics: Diagnostic[];
}
