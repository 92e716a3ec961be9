import type { AccessDiff, ConditionChange, FilterCondition, FilterSnapshot, SubjectChange, UserAccessChange } from './access-diff-types.js';

/**
 * The access diff for machines: `schemas/access-diff.schema.json`, version 1. Keys are written
 * in a fixed order and every list is sorted, so the output is byte-stable; absent flags are
 * omitted (not null), values are sorted lists or the string "all".
 */
export const ACCESS_DIFF_JSON_VERSION = 1;

export function accessDiffToJson(diff: AccessDiff): object {
  return {
    version: ACCESS_DIFF_JSON_VERSION,
    summary: {
      users_added: diff.summary.usersAdded,
      users_removed: diff.summary.usersRemoved,
      users_changed: diff.summary.usersChanged,
      subjects_gained: diff.summary.subjectsGained,
      subjects_lost: diff.summary.subjectsLost,
      filters_changed: diff.summary.filtersChanged,
      by_subject: diff.summary.bySubject.map((s) => ({ subject: s.subject, gained: s.gained, lost: s.lost, filters: s.filters })),
    },
    users: diff.users.map(userJson),
  };
}

export function renderAccessDiffJson(diff: AccessDiff): string {
  return `${JSON.stringify(accessDiffToJson(diff), null, 2)}\n`;
}

function userJson(user: UserAccessChange): object {
  const out: Record<string, unknown> = { login: user.login, change: user.change };
  if (user.enabled) out.enabled = { before: user.enabled.before, after: user.enabled.after };
  if (user.admin) out.admin = { before: user.admin.before, after: user.admin.after };
  if (user.bypassRowRules) out.bypass_row_rules = { before: user.bypassRowRules.before, after: user.bypassRowRules.after };
  out.groups = { gained: user.groups.gained, lost: user.groups.lost };
  out.roles = { gained: user.roles.gained, lost: user.roles.lost };
  out.permissions = { gained: user.permissions.gained, lost: user.permissions.lost };
  out.subjects = user.subjects.map(subjectJson);
  return out;
}

function subjectJson(subject: SubjectChange): object {
  return {
    subject: subject.subject,
    change: subject.change,
    before: subject.before === null ? null : subject.before.map(filterJson),
    after: subject.after === null ? null : subject.after.map(filterJson),
    conditions: subject.conditions.map(conditionChangeJson),
  };
}

function conditionChangeJson(change: ConditionChange): object {
  const out: Record<string, unknown> = { rule: change.rule };
  if (change.index !== undefined) out.index = change.index;
  out.field = change.field;
  out.operator = change.operator;
  out.before = change.before === null ? null : conditionJson(change.before);
  out.after = change.after === null ? null : conditionJson(change.after);
  out.added = change.added;
  out.removed = change.removed;
  return out;
}

function filterJson(filter: FilterSnapshot): object {
  if ('any' in filter) return { rule: filter.rule, any: filter.any.map(conditionJson) };
  return { rule: filter.rule, ...conditionJson(filter) };
}

function conditionJson(condition: FilterCondition): object {
  const out: Record<string, unknown> = { field: condition.field, operator: condition.operator };
  if (condition.attribute !== undefined) out.attribute = condition.attribute;
  if (condition.values !== undefined) out.values = condition.values;
  if (condition.modifier !== undefined) out.modifier = { unit: condition.modifier.unit, amount: condition.modifier.amount };
  return out;
}
