import type { DurationUnit, Operator, Scalar } from '../model/policy.js';

/**
 * The access diff: who gains or loses what between two resolved models (SPEC section 6).
 * Shared by `plan`, `diff` and `watch`. Every list is sorted, so the same pair of models gives
 * byte-identical output in every renderer. The JSON renderer writes this shape as is; its
 * schema is `schemas/access-diff.schema.json`.
 */

/** One comparison as a reviewer reads it (the shape of `explain --format json`, without source positions). */
export interface FilterCondition {
  field: string;
  operator: Operator;
  /** Sorted values, or `all`. Absent for last/next. */
  values?: 'all' | Scalar[];
  modifier?: { unit: DurationUnit; amount: number };
  /** The user attribute the values came from, when not static. */
  attribute?: string;
}

export type FilterSnapshot = ({ rule: string } & FilterCondition) | { rule: string; any: FilterCondition[] };

/** A list that gained and lost members. */
export interface SetChange {
  gained: string[];
  lost: string[];
}

export interface Flip {
  before: boolean;
  after: boolean;
}

/**
 * How one rule's condition changed for a user on a subject. For a simple rule, the value sets
 * before and after (null when the rule did not apply on that side); `added`/`removed` are the
 * values that entered or left the set (empty when either side is `all`).
 */
export interface ConditionChange {
  rule: string;
  /** For `any` rules, the index of the condition inside the OR; absent for simple rules. */
  index?: number;
  field: string;
  operator: Operator;
  before: FilterCondition | null;
  after: FilterCondition | null;
  added: Scalar[];
  removed: Scalar[];
}

export type SubjectChangeKind = 'gained' | 'lost' | 'filters';

/**
 * A subject whose access changed for a user. `before` and `after` are the user's COMPLETE filter
 * sets on the subject (full replacement: a platform or database receives the whole `after`),
 * null when the user had / has no access.
 */
export interface SubjectChange {
  subject: string;
  change: SubjectChangeKind;
  before: FilterSnapshot[] | null;
  after: FilterSnapshot[] | null;
  /** Per rule/condition detail of what differs (empty for gained/lost). */
  conditions: ConditionChange[];
}

export type UserChangeKind = 'added' | 'removed' | 'changed';

export interface UserAccessChange {
  login: string;
  change: UserChangeKind;
  /** Only present when the flag differs. */
  enabled?: Flip;
  admin?: Flip;
  bypassRowRules?: Flip;
  groups: SetChange;
  roles: SetChange;
  permissions: SetChange;
  /** Sorted by subject name. */
  subjects: SubjectChange[];
}

export interface AccessDiffSummary {
  usersAdded: number;
  usersRemoved: number;
  usersChanged: number;
  /** Counted over users: one user gaining two subjects counts two. */
  subjectsGained: number;
  subjectsLost: number;
  filtersChanged: number;
  /** Per subject: how many users gained, lost, or had their filters changed. Sorted by subject. */
  bySubject: { subject: string; gained: number; lost: number; filters: number }[];
}

export interface AccessDiff {
  summary: AccessDiffSummary;
  /** Only users with at least one change, sorted by login. */
  users: UserAccessChange[];
}

export function isEmptyDiff(diff: AccessDiff): boolean {
  return diff.users.length === 0;
}
