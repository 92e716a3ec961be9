import type { AttributeValues, GroupDef, PolicySet, Scalar, UserDef } from '../model/policy.js';
import { subjectAccess } from '../resolve/access.js';
import type { ResolvedModel, ResolvedUser, SubjectAccess } from '../resolve/model.js';
import type {
  AccessDiff,
  AccessDiffSummary,
  ConditionChange,
  FilterCondition,
  FilterSnapshot,
  Flip,
  SetChange,
  SubjectChange,
  UserAccessChange,
} from './access-diff-types.js';
import { compareText, conditionKey, scalarKey, snapshotFilters, snapshotsKey } from './access-diff-snapshot.js';

export * from './access-diff-types.js';

/** How a user's access to one subject is computed; the resolver's `subjectAccess` unless a caller substitutes it. */
export type AccessFn = (model: ResolvedModel, login: string, subject: string) => SubjectAccess;

export interface AccessDiffOptions {
  access?: AccessFn;
  /** Compare every user, without the shortcuts for unchanged definitions (tests check the shortcuts against it). */
  exhaustive?: boolean;
}

/**
 * Compares two resolved models user by user: users added and removed, enabled/admin/bypass
 * flips, groups, roles and permissions gained and lost, and per subject the access gained or
 * lost and the filters changed, each with the user's FULL filter set before and after (SPEC 4,
 * full replacement). `before` null means "nothing was there" (a first plan): every user is added.
 * Pure and deterministic.
 */
export function accessDiff(before: ResolvedModel | null, after: ResolvedModel, options: AccessDiffOptions = {}): AccessDiff {
  const access = options.access ?? subjectAccess;
  // When nothing that decides subject access changed outside the users themselves, a user whose
  // own resolved facts are unchanged has unchanged access: skipping them keeps a one-user edit of
  // a 100,000-user organisation cheap (watch mode).
  // Watch mode's users-only updates share every other definition map with the previous model:
  // then both keys are equal without serialising 2,000 groups and 1,000 rules twice.
  const shared = before !== null && !options.exhaustive && sharesNonUserDefinitions(before.policy, after.policy);
  const samePolicy = before !== null && !options.exhaustive && (shared || accessPolicyKey(before.policy) === accessPolicyKey(after.policy));
  // Cheaper still: when nothing but users changed, a user whose own definition is unchanged
  // resolves exactly as before, and their (lazily computed) attributes need not even be read.
  // And after a group edit (watch mode's common non-user change) with nothing else changed,
  // only members of a changed group (before or after, inheritance included) can have different
  // facts; everyone else whose own definition is unchanged is skipped the same way.
  const sameOutsideGroups = samePolicy && (shared || organisationKey(before!.policy) === organisationKey(after.policy));
  const changedGroups = sameOutsideGroups && !shared ? changedGroupNames(before!.policy, after.policy) : new Set<string>();
  const subjects = subjectNames(before, after);
  const logins = new Set<string>(after.users.keys());
  if (before) for (const login of before.users.keys()) logins.add(login);

  const users: UserAccessChange[] = [];
  for (const login of [...logins].sort(compareText)) {
    const was = before?.users.get(login);
    const now = after.users.get(login);
    if (was && now && sameOutsideGroups && !inAnyGroup(was, changedGroups) && !inAnyGroup(now, changedGroups) && sameUserDef(before!.policy.users.get(login), after.policy.users.get(login))) continue;
    if (was && now && samePolicy && sameUserFacts(was, now)) continue;
    const change = diffUser(login, was && before ? { model: before, user: was } : null, now ? { model: after, user: now } : null, subjects, access);
    if (change) users.push(change);
  }
  return { summary: summarise(users), users };
}

interface Side {
  model: ResolvedModel;
  user: ResolvedUser;
}

function diffUser(login: string, was: Side | null, now: Side | null, subjects: string[], access: AccessFn): UserAccessChange | null {
  const change: UserAccessChange = {
    login,
    change: was === null ? 'added' : now === null ? 'removed' : 'changed',
    groups: setChange(was ? was.user.groups.keys() : [], now ? now.user.groups.keys() : []),
    roles: setChange(was ? was.user.roles.keys() : [], now ? now.user.roles.keys() : []),
    permissions: setChange(was ? was.user.permissions : [], now ? now.user.permissions : []),
    subjects: [],
  };
  if (was && now) {
    const enabled = flip(was.user.enabled, now.user.enabled);
    if (enabled) change.enabled = enabled;
    const admin = flip(was.user.admin, now.user.admin);
    if (admin) change.admin = admin;
    const bypass = flip(was.user.bypassRowRules.value, now.user.bypassRowRules.value);
    if (bypass) change.bypassRowRules = bypass;
  }
  for (const subject of subjects) {
    const before = was ? filtersOf(access, was, subject) : null;
    const after = now ? filtersOf(access, now, subject) : null;
    const subjectChange = diffSubject(subject, before, after);
    if (subjectChange) change.subjects.push(subjectChange);
  }
  const changed =
    change.change !== 'changed' ||
    change.enabled ||
    change.admin ||
    change.bypassRowRules ||
    change.groups.gained.length + change.groups.lost.length + change.roles.gained.length + change.roles.lost.length > 0 ||
    change.permissions.gained.length + change.permissions.lost.length > 0 ||
    change.subjects.length > 0;
  return changed ? change : null;
}

/** The user's complete filter set on a subject, or null without access (or when the subject does not exist on that side). */
function filtersOf(access: AccessFn, side: Side, subject: string): FilterSnapshot[] | null {
  if (!side.model.policy.subjects.has(subject)) return null;
  const result = access(side.model, side.user.login, subject);
  return result.access ? snapshotFilters(result.filters) : null;
}

/** One subject's change for a user (shared with the plan's row-based access diff). */
export function diffSubject(subject: string, before: FilterSnapshot[] | null, after: FilterSnapshot[] | null): SubjectChange | null {
  if (before === null && after === null) return null;
  if (before === null) return { subject, change: 'gained', before, after, conditions: [] };
  if (after === null) return { subject, change: 'lost', before, after, conditions: [] };
  if (snapshotsKey(before) === snapshotsKey(after)) return null;
  return { subject, change: 'filters', before, after, conditions: conditionChanges(before, after) };
}

/** Matches filters by rule (and `any` conditions by position) and lists every condition that differs. */
function conditionChanges(before: FilterSnapshot[], after: FilterSnapshot[]): ConditionChange[] {
  const beforeByRule = new Map(before.map((f) => [f.rule, f]));
  const afterByRule = new Map(after.map((f) => [f.rule, f]));
  const rules = [...new Set([...beforeByRule.keys(), ...afterByRule.keys()])].sort(compareText);
  const out: ConditionChange[] = [];
  for (const rule of rules) {
    const was = beforeByRule.get(rule);
    const now = afterByRule.get(rule);
    const wasList = conditionsOf(was);
    const nowList = conditionsOf(now);
    const isAny = (was && 'any' in was) || (now && 'any' in now);
    for (let i = 0; i < Math.max(wasList.length, nowList.length); i++) {
      const a = wasList[i] ?? null;
      const b = nowList[i] ?? null;
      if (conditionKey(a) === conditionKey(b)) continue;
      const shape = (b ?? a) as FilterCondition;
      const values = valueChange(a, b);
      const entry: ConditionChange = { rule, field: shape.field, operator: shape.operator, before: a, after: b, added: values.added, removed: values.removed };
      if (isAny) entry.index = i;
      out.push(entry);
    }
  }
  return out;
}

function conditionsOf(filter: FilterSnapshot | undefined): FilterCondition[] {
  if (filter === undefined) return [];
  if ('any' in filter) return filter.any;
  const { rule: _rule, ...condition } = filter;
  return [condition];
}

/** Values that entered or left a finite set; nothing when either side is `all` or absent (the before/after sets say it). */
function valueChange(a: FilterCondition | null, b: FilterCondition | null): { added: Scalar[]; removed: Scalar[] } {
  const av = a?.values;
  const bv = b?.values;
  if (!Array.isArray(av) || !Array.isArray(bv)) return { added: [], removed: [] };
  const aKeys = new Set(av.map(scalarKey));
  const bKeys = new Set(bv.map(scalarKey));
  return { added: bv.filter((v) => !aKeys.has(scalarKey(v))), removed: av.filter((v) => !bKeys.has(scalarKey(v))) };
}

function setChange(before: Iterable<string>, after: Iterable<string>): SetChange {
  const a = new Set(before);
  const b = new Set(after);
  return {
    gained: [...b].filter((x) => !a.has(x)).sort(compareText),
    lost: [...a].filter((x) => !b.has(x)).sort(compareText),
  };
}

function flip(before: boolean, after: boolean): Flip | undefined {
  return before === after ? undefined : { before, after };
}

function subjectNames(before: ResolvedModel | null, after: ResolvedModel): string[] {
  const names = new Set<string>(after.policy.subjects.keys());
  if (before) for (const name of before.policy.subjects.keys()) names.add(name);
  return [...names].sort(compareText);
}

/** Counts of an access diff, per subject too (shared with the plan's row-based access diff). */
export function summarise(users: UserAccessChange[]): AccessDiffSummary {
  const bySubject = new Map<string, { subject: string; gained: number; lost: number; filters: number }>();
  const summary: AccessDiffSummary = { usersAdded: 0, usersRemoved: 0, usersChanged: 0, subjectsGained: 0, subjectsLost: 0, filtersChanged: 0, bySubject: [] };
  for (const user of users) {
    if (user.change === 'added') summary.usersAdded++;
    else if (user.change === 'removed') summary.usersRemoved++;
    else summary.usersChanged++;
    for (const s of user.subjects) {
      let entry = bySubject.get(s.subject);
      if (!entry) bySubject.set(s.subject, (entry = { subject: s.subject, gained: 0, lost: 0, filters: 0 }));
      entry[s.change]++;
      if (s.change === 'gained') summary.subjectsGained++;
      else if (s.change === 'lost') summary.subjectsLost++;
      else summary.filtersChanged++;
    }
  }
  summary.bySubject = [...bySubject.values()].sort((a, b) => compareText(a.subject, b.subject));
  return summary;
}

// ---------------------------------------------------------------------------------------------
// Fast path: when may a user be skipped?

/**
 * Everything outside a user's own resolved facts that decides subject access and filters:
 * the subject-access setting, subjects (restriction and fields), rules, and which groups are
 * granted which subjects. Source positions are left out, so moving a definition is not a change.
 */
function accessPolicyKey(policy: PolicySet): string {
  const subjects = [...policy.subjects.values()]
    .map((s) => [s.name, s.restricted, [...s.fields.values()].map((f) => [f.name, f.column, f.type]).sort(byFirst)])
    .sort(byFirst);
  const rules = [...policy.rules.values()]
    .map((r) => [
      r.name,
      r.subject.value,
      r.isAny,
      r.conditions.map((c) => [c.field.value, c.operator.value, c.attribute?.value ?? null, c.values?.map((v) => v.value) ?? null, c.modifier?.value ?? null]),
      r.appliesTo ? [r.appliesTo.groups.map((g) => g.value).sort(), r.appliesTo.users.map((u) => u.value).sort()] : null,
    ])
    .sort(byFirst);
  const grants = [...policy.groups.values()].map((g) => [g.name, g.subjects.map((s) => s.value).sort()]).sort(byFirst);
  return JSON.stringify([policy.settings.enforceSubjectAccess, policy.settings.defaultGroup, subjects, rules, grants]);
}

/** The same objects for everything but users (definitions are never changed in place once merged). */
function sharesNonUserDefinitions(a: PolicySet, b: PolicySet): boolean {
  return a.settings === b.settings && a.attributes === b.attributes && a.subjects === b.subjects && a.roles === b.roles && a.groups === b.groups && a.rules === b.rules;
}

/** Everything besides users and groups that decides a user's resolved facts: settings, attributes, roles (groups: changedGroupNames). */
function organisationKey(policy: PolicySet): string {
  const attributes = [...policy.attributes.values()].map((a) => [a.name, a.type, valuesKey(a.default)]).sort(byFirst);
  const roles = [...policy.roles.values()]
    .map((r) => [r.name, r.extends.map((e) => e.value), r.permissions.map((p) => p.value), r.rowRules, r.impersonate])
    .sort(byFirst);
  const s = policy.settings;
  return JSON.stringify([s.enforceSubjectAccess, s.defaultGroup, s.baseRole, attributes, roles]);
}

function valuesKey(v: AttributeValues): 'all' | Scalar[] {
  return v.kind === 'all' ? 'all' : v.values;
}

/** What a group gives its members (source positions aside). */
function groupFacts(g: GroupDef): unknown[] {
  return [
    g.name,
    g.inherits.map((i) => i.value),
    g.roles.map((r) => r.value),
    [...g.attributes.values()].map((a) => [a.attribute, valuesKey(a.values)]).sort(byFirst),
    g.home?.value ?? null,
    g.apiKeys?.value ?? null,
    g.members.map((m) => m.value).sort(),
  ];
}

/** Groups added, removed or defined differently between the two policies. */
function changedGroupNames(before: PolicySet, after: PolicySet): Set<string> {
  const changed = new Set<string>();
  for (const name of new Set([...before.groups.keys(), ...after.groups.keys()])) {
    const a = before.groups.get(name);
    const b = after.groups.get(name);
    if (!a || !b || JSON.stringify(groupFacts(a)) !== JSON.stringify(groupFacts(b))) changed.add(name);
  }
  return changed;
}

/** Whether the user is a member (directly, by a members list or by inheritance) of any of the groups. */
function inAnyGroup(user: ResolvedUser, groups: Set<string>): boolean {
  // No changed group: the user's (lazily resolved) groups need not be computed.
  if (groups.size === 0) return false;
  for (const name of user.groups.keys()) if (groups.has(name)) return true;
  return false;
}

/** Whether a user is defined the same way (source positions aside). */
function sameUserDef(a: UserDef | undefined, b: UserDef | undefined): boolean {
  if (!a || !b) return false;
  if (a.admin !== b.admin || a.disabled !== b.disabled || a.email !== b.email || a.name !== b.name) return false;
  if (a.apiKeys?.value !== b.apiKeys?.value || a.dbRole?.value !== b.dbRole?.value) return false;
  if (JSON.stringify(a.home?.value ?? null) !== JSON.stringify(b.home?.value ?? null)) return false;
  if (a.groups.length !== b.groups.length || a.groups.some((g, i) => g.value !== b.groups[i].value)) return false;
  if (a.attributes.size !== b.attributes.size) return false;
  for (const [name, assignment] of a.attributes) {
    const other = b.attributes.get(name);
    if (!other || !sameValues(assignment.values, other.values)) return false;
  }
  return true;
}

function byFirst(a: unknown[], b: unknown[]): number {
  return compareText(String(a[0]), String(b[0]));
}

/** Whether two resolved users have the same facts that subject access is computed from. */
function sameUserFacts(a: ResolvedUser, b: ResolvedUser): boolean {
  if (a === b) return true;
  if (a.enabled !== b.enabled || a.admin !== b.admin || a.bypassRowRules.value !== b.bypassRowRules.value) return false;
  if (a.email !== b.email || a.name !== b.name) return false;
  if (!sameKeys(a.groups, b.groups) || !sameKeys(a.roles, b.roles)) return false;
  if (a.permissions.length !== b.permissions.length || a.permissions.some((p, i) => p !== b.permissions[i])) return false;
  if (a.attributes.size !== b.attributes.size) return false;
  for (const [name, value] of a.attributes) {
    const other = b.attributes.get(name);
    if (!other || !sameValues(value.value, other.value)) return false;
  }
  return true;
}

function sameKeys(a: Map<string, unknown>, b: Map<string, unknown>): boolean {
  if (a.size !== b.size) return false;
  for (const key of a.keys()) if (!b.has(key)) return false;
  return true;
}

function sameValues(a: AttributeValues, b: AttributeValues): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  if (a.kind === 'all' || b.kind === 'all') return true;
  if (a.values.length !== b.values.length) return false;
  for (let i = 0; i < a.values.length; i++) if (a.values[i] !== b.values[i]) return false;
  return true;
}
