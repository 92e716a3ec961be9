/* eslint-disable */
/**
 * Generated from schemas/policy.schema.json by scripts/generate-policy-types.mjs (npm run gen:types).
 * Do not edit: change the schema and regenerate.
 */

/**
 * A name: a lower-case letter, then lower-case letters, digits, `_` or `-`.
 */
export type Name = string;
/**
 * Free text for people reading the policies and the audit report.
 */
export type Description = string;
/**
 * Value of users who get none from themselves or their groups: `none` (the default), `all`, or a list of values.
 */
export type Default = ('none' | 'all') | ValueList;
/**
 * A single value: text, a number or a boolean. Dates are written as YYYY-MM-DD.
 */
export type Scalar = string | number | boolean;
/**
 * A list of values; an empty list means none (deny).
 */
export type ValueList = Scalar[];
/**
 * The name of something defined elsewhere in the policy files.
 */
export type Reference = string;
/**
 * Names of things defined elsewhere in the policy files.
 */
export type Names = Reference[];
/**
 * <object>.<action>: objects catalog, schema, data, security; actions view, share, manage. share and manage each imply view.
 */
export type Permission =
  | 'catalog.view'
  | 'catalog.share'
  | 'catalog.manage'
  | 'schema.view'
  | 'schema.share'
  | 'schema.manage'
  | 'data.view'
  | 'data.share'
  | 'data.manage'
  | 'security.view'
  | 'security.share'
  | 'security.manage';
/**
 * `all` (unrestricted) or a list of values such as [Vietnam, Singapore]; [] means none.
 */
export type AttributeValues = 'all' | ValueList;
/**
 * Whether members may generate API keys: enabled | disabled.
 */
export type ApiKeysSetting = 'enabled' | 'disabled';
/**
 * A user's login: an e-mail address or any non-empty string without control characters.
 */
export type Login = string;
/**
 * Logins of users.
 */
export type Logins = Login[];
/**
 * in | not_in | eq | ne | lt | le | gt | ge | between | last | next.
 */
export type Operator = 'in' | 'not_in' | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'between' | 'last' | 'next';

/**
 * One YAML document of a warden policy project. Every file under the policy folders holds any of these sections; files are merged by name. Add `# yaml-language-server: $schema=<path to this file>` at the top of a policy file for completion and checks in your editor.
 */
export interface PolicyDocument {
  settings?: Settings;
  attributes?: Attributes;
  subjects?: Subjects;
  roles?: Roles;
  groups?: Groups;
  users?: Users;
  api_keys?: ApiKeys;
  rules?: Rules;
}
/**
 * Project-wide settings. Each may be given once across all files.
 */
export interface Settings {
  /**
   * true: every subject is visible only to groups granted it. Default false.
   */
  enforce_subject_access?: boolean;
  default_group?: Name;
  base_role?: Name;
}
/**
 * User attributes: the values that row rules compare against, keyed by attribute name.
 */
export interface Attributes {
  [k: string]: Attribute | undefined;
}
/**
 * A user attribute definition.
 */
export interface Attribute {
  /**
   * Type of the attribute's values; every value given anywhere is checked against it.
   */
  type: 'string' | 'integer' | 'number' | 'date' | 'boolean';
  description?: Description;
  default?: Default;
}
/**
 * Datasets that access is granted to and row rules restrict, keyed by subject name.
 */
export interface Subjects {
  [k: string]: Subject | undefined;
}
/**
 * A dataset that access is granted to and row rules restrict.
 */
export interface Subject {
  description?: Description;
  /**
   * true: only groups granted this subject may see it (also implied by settings.enforce_subject_access).
   */
  restricted?: boolean;
  /**
   * `schema.table` or `table`, for SQL targets.
   */
  table?: string;
  fields?: Fields;
  platforms?: Platforms;
}
/**
 * Logical field name -> physical column and type.
 */
export interface Fields {
  [k: string]: Field | undefined;
}
/**
 * A logical field of a subject: its physical column and type.
 */
export interface Field {
  /**
   * Physical column name in the subject's table. Default: the field's name.
   */
  column?: string;
  /**
   * Type of the column's values, compared with attribute values of the same type.
   */
  type: 'string' | 'integer' | 'number' | 'date' | 'boolean';
}
/**
 * The subject's identifiers on each BI platform, read by that platform's target.
 */
export interface Platforms {
  /**
   * Holistics: `dataset` (unique name) and `models` (field -> model name) for `permissions.row_based` paths.
   */
  holistics?: {
    /**
     * The dataset's unique name.
     */
    dataset?: string;
    /**
     * Field name -> data model name holding it.
     */
    models?: {
      [k: string]: string | undefined;
    };
  };
  /**
   * GoodData: `attributes` (field -> attribute URI or id) used in data-permission filters.
   */
  gooddata?: {
    /**
     * Field name -> GoodData attribute URI (legacy) or id (cloud).
     */
    attributes?: {
      [k: string]: string | undefined;
    };
  };
  /**
   * inmydata: `subject`, the subject's name on the platform.
   */
  inmydata?: {
    /**
     * Subject name in inmydata.
     */
    subject?: string;
  };
  /**
   * Incorta: identifiers of the subject's schema and table.
   */
  incorta?: {
    /**
     * Incorta schema name.
     */
    schema?: string;
    /**
     * Incorta table name.
     */
    table?: string;
  };
}
/**
 * Custom roles (sets of permissions), keyed by role name. The built-in roles (user, analyze_user, dashboard_analyzer, individual_analyzer, privileged_user, schema_manager, user_manager, super_role) exist in every project and cannot be redefined.
 */
export interface Roles {
  [k: string]: Role | undefined;
}
/**
 * A custom role: a set of permissions, possibly extending other roles.
 */
export interface Role {
  description?: Description;
  extends?: Names;
  /**
   * Permissions `<object>.<action>` of this role.
   */
  permissions?: Permission[];
  /**
   * enforce (default): row rules apply to holders of this role; bypass: they do not.
   */
  row_rules?: 'enforce' | 'bypass';
  incorta_roles?: Names;
}
/**
 * Groups of users, keyed by group name: inheritance, roles, subject grants, attribute values, home page.
 */
export interface Groups {
  [k: string]: Group | undefined;
}
/**
 * A group of users.
 */
export interface Group {
  description?: Description;
  inherits?: Names;
  roles?: Names;
  subjects?: Names;
  attributes?: AttributeAssignments;
  home?: Home;
  api_keys?: ApiKeysSetting;
  members?: Logins;
}
/**
 * Attribute name -> `all` or a list of values.
 */
export interface AttributeAssignments {
  [k: string]: AttributeValues | undefined;
}
/**
 * The home page: either `{ dashboard: <id> }` or `{ category: <id> }`.
 */
export interface Home {
  /**
   * Dashboard shown on login.
   */
  dashboard?: string;
  /**
   * Category shown on login.
   */
  category?: string;
}
/**
 * Users keyed by login (an e-mail address or any non-empty string without control characters).
 */
export interface Users {
  [k: string]: User | undefined;
}
/**
 * A user. Roles come from groups (and `admin`), never directly.
 */
export interface User {
  /**
   * Display name (system attribute user.name).
   */
  name?: string;
  /**
   * E-mail address (system attribute user.email); default: the login when it is an e-mail address.
   */
  email?: string;
  groups?: Names;
  attributes?: AttributeAssignments;
  /**
   * Tenant administrator: gets super_role and access to every subject.
   */
  admin?: boolean;
  /**
   * A disabled user has no access at all.
   */
  disabled?: boolean;
  api_keys?: ApiKeysSetting;
  home?: Home;
  /**
   * PostgreSQL role name of this user under `principal: role` (default: the login).
   */
  db_role?: string;
  roles?: Names;
}
/**
 * API keys keyed by key name. A key is tied to one user and inherits exactly that user's access. Only metadata appears here, never the secret.
 */
export interface ApiKeys {
  [k: string]: ApiKey | undefined;
}
/**
 * Metadata of an API key tied to one user.
 */
export interface ApiKey {
  user: Login;
  description?: Description;
  /**
   * Expiry date, YYYY-MM-DD.
   */
  expires?: string;
}
/**
 * Row rules keyed by rule name: which rows of a subject a user sees.
 */
export interface Rules {
  [k: string]: Rule | undefined;
}
/**
 * A row rule on one subject: a single condition (field/operator/attribute|values|modifier) or `any` (an OR of conditions).
 */
export interface Rule {
  subject: Reference;
  description?: Description;
  applies_to?: AppliesTo;
  field?: Reference;
  operator?: Operator;
  attribute?: Reference;
  values?: ValueList;
  modifier?: Modifier;
  /**
   * An OR of conditions inside one rule.
   *
   * @minItems 1
   */
  any?: [Condition, ...Condition[]];
}
/**
 * Who the rule applies to: listed users and members (transitively) of listed groups. Without it the rule applies to every user.
 */
export interface AppliesTo {
  groups?: Names;
  users?: Logins;
}
/**
 * For last/next: how far back or ahead, e.g. { days: 90 }.
 */
export interface Modifier {
  /**
   * Number of days back (last) or ahead (next) of the current date, at query time.
   */
  days?: number;
  /**
   * Number of weeks back (last) or ahead (next) of the current date, at query time.
   */
  weeks?: number;
  /**
   * Number of months back (last) or ahead (next) of the current date, at query time.
   */
  months?: number;
  /**
   * Number of years back (last) or ahead (next) of the current date, at query time.
   */
  years?: number;
}
/**
 * One comparison of a subject field with a user attribute, static values, or a relative date range.
 */
export interface Condition {
  field: Reference;
  operator: Operator;
  attribute?: Reference;
  values?: ValueList;
  modifier?: Modifier;
}
