import type { AttributeType } from '../../model/policy.js';
import type { PolicySet } from '../../model/policy.js';
import type { AccessDiff, AccessDiffSummary, FilterCondition, FilterSnapshot, SubjectChange, UserAccessChange, ConditionChange } from '../access-diff-types.js';
import { conditionKey, scalarKey, snapshotsKey } from '../access-diff-snapshot.js';
import { conditionParts, typedValue, valueParts, type PrincipalRecord } from './entitlements.js';
import { compareText } from './live.js';

/**
 * The access diff of a plan, computed from entitlement ROWS (live vs desired) rather than from
 * two policy models: a row inserted or deleted by hand is an access change too, and it is
 * shown like any other, with the user's full filter set before and after.
 *
 * Rows say which subjects a principal sees and, per rule condition, `open`, `deny` or the
 * values; the policies say which field and operator a rule's condition compares. Rows of a
 * rule that the policies no longer define are described by the rule name alone.
 */

interface RuleShape {
  subject: string;
  conditions: { field: string; operator: FilterCondition['operator']; attribute?: string; modifier?: FilterCondition['modifier'] }[];
}

export function ruleShapes(policy: PolicySet): Map<string, RuleShape> {
  const out = new Map<string, RuleShape>();
  for (const rule of policy.rules.values()) {
    out.set(rule.name, {
      subject: rule.subject.value,
      conditions: rule.conditions.map((c) => {
        const shape: RuleShape['conditions'][number] = { field: c.field.value, operator: c.operator.value };
        if (c.attribute) shape.attribute = c.attribute.value;
        if (c.modifier) shape.modifier = { unit: c.modifier.value.unit, amount: c.modifier.value.amount };
        return shape;
      }),
    });
  }
  return out;
}

/** A principal's filters per subject it may see (null: no such principal, or disabled). */
function snapshots(record: PrincipalRecord | undefined, rules: Map<string, RuleShape>): Map<string, FilterSnapshot[]> | null {
  if (!record || !record.enabled) return null;
  const values = new Map<string, { type: AttributeType; text: string }[]>();
  for (const row of record.values) {
    const { type, rule, cond, text } = valueParts(row);
    const key = `${rule}\u0000${cond}`;
    const list = values.get(key) ?? [];
    list.push({ type, text });
    values.set(key, list);
  }
  const byRule = new Map<string, { cond: number; state: string }[]>();
  for (const row of record.conditions) {
    const { rule, cond, state } = conditionParts(row);
    const list = byRule.get(rule) ?? [];
    list.push({ cond, state });
    byRule.set(rule, list);
  }
  const out = new Map<string, FilterSnapshot[]>();
  for (const subject of record.subjects) out.set(subject, []);
  for (const [rule, conds] of [...byRule].sort((a, b) => compareText(a[0], b[0]))) {
    const shape = rules.get(rule);
    const subject = shape?.subject;
    // A rule the policies no longer know has no known subject: it is listed under every subject of the principal.
    const targets = subject !== undefined ? (out.has(subject) ? [subject] : []) : [...out.keys()];
    const conditions = conds
      .sort((a, b) => a.cond - b.cond)
      .map(({ cond, state }) => describe(shape?.conditions[cond], state, values.get(`${rule}\u0000${cond}`) ?? []));
    const filter: FilterSnapshot = shape && shape.conditions.length > 1 ? { rule, any: conditions } : { rule, ...conditions[0] };
    for (const t of targets) out.get(t)!.push(filter);
  }
  return out;
}

function describe(shape: RuleShape['conditions'][number] | undefined, state: string, values: { type: AttributeType; text: string }[]): FilterCondition {
  const out: FilterCondition = { field: shape?.field ?? '?', operator: shape?.operator ?? 'in' };
  if (shape?.attribute !== undefined) out.attribute = shape.attribute;
  if (shape?.modifier !== undefined) out.modifier = shape.modifier;
  if (out.operator === 'last' || out.operator === 'next') return out;
  if (state === 'values') {
    const typed = values.map((v) => typedValue(v.type, v.text));
    out.values = typed.sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : compareText(String(a), String(b))));
  } else out.values = 'all';
  return out;
}

export function accessDiffFromRows(
  logins: string[],
  live: (login: string) => PrincipalRecord | undefined,
  desired: (login: string) => PrincipalRecord | undefined,
  policy: PolicySet,
): AccessDiff {
  const rules = ruleShapes(policy);
  const users: UserAccessChange[] = [];
  for (const login of [...new Set(logins)].sort(compareText)) {
    const was = live(login);
    const now = desired(login);
    const change: UserAccessChange = {
      login,
      change: !was ? 'added' : !now ? 'removed' : 'changed',
      groups: { gained: [], lost: [] },
      roles: { gained: [], lost: [] },
      permissions: { gained: [], lost: [] },
      subjects: [],
    };
    if (was && now) {
      if (was.enabled !== now.enabled) change.enabled = { before: was.enabled, after: now.enabled };
      if (was.admin !== now.admin) change.admin = { before: was.admin, after: now.admin };
      if (was.bypass !== now.bypass) change.bypassRowRules = { before: was.bypass, after: now.bypass };
    }
    const before = snapshots(was, rules);
    const after = snapshots(now, rules);
    const subjects = new Set([...(before?.keys() ?? []), ...(after?.keys() ?? [])]);
    for (const subject of [...subjects].sort(compareText)) {
      const b = before?.get(subject) ?? null;
      const a = after?.get(subject) ?? null;
      const s = subjectChange(subject, b && sortFilters(b), a && sortFilters(a));
      if (s) change.subjects.push(s);
    }
    const flagged = change.enabled || change.admin || change.bypassRowRules;
    if (change.change !== 'changed' || flagged || change.subjects.length > 0) users.push(change);
  }
  return { summary: summarise(users), users };
}

function sortFilters(list: FilterSnapshot[]): FilterSnapshot[] {
  return [...list].sort((a, b) => compareText(a.rule, b.rule));
}

function subjectChange(subject: string, before: FilterSnapshot[] | null, after: FilterSnapshot[] | null): SubjectChange | null {
  if (before === null && after === null) return null;
  if (before === null) return { subject, change: 'gained', before, after, conditions: [] };
  if (after === null) return { subject, change: 'lost', before, after, conditions: [] };
  if (snapshotsKey(before) === snapshotsKey(after)) return null;
  return { subject, change: 'filters', before, after, conditions: conditionChanges(before, after) };
}

function conditionList(f: FilterSnapshot | undefined): FilterCondition[] {
  if (!f) return [];
  if ('any' in f) return f.any;
  const { rule: _rule, ...c } = f;
  return [c];
}

function conditionChanges(before: FilterSnapshot[], after: FilterSnapshot[]): ConditionChange[] {
  const b = new Map(before.map((f) => [f.rule, f]));
  const a = new Map(after.map((f) => [f.rule, f]));
  const out: ConditionChange[] = [];
  for (const rule of [...new Set([...b.keys(), ...a.keys()])].sort(compareText)) {
    const was = conditionList(b.get(rule));
    const now = conditionList(a.get(rule));
    const isAny = Boolean((b.get(rule) && 'any' in b.get(rule)!) || (a.get(rule) && 'any' in a.get(rule)!));
    for (let i = 0; i < Math.max(was.length, now.length); i++) {
      const x = was[i] ?? null;
      const y = now[i] ?? null;
      if (conditionKey(x) === conditionKey(y)) continue;
      const shape = (y ?? x)!;
      const xv = x?.values;
      const yv = y?.values;
      const finite = Array.isArray(xv) && Array.isArray(yv);
      const xKeys = new Set(finite ? xv.map(scalarKey) : []);
      const yKeys = new Set(finite ? yv.map(scalarKey) : []);
      const entry: ConditionChange = {
        rule,
        field: shape.field,
        operator: shape.operator,
        before: x,
        after: y,
        added: finite ? yv.filter((v) => !xKeys.has(scalarKey(v))) : [],
        removed: finite ? xv.filter((v) => !yKeys.has(scalarKey(v))) : [],
      };
      if (isAny) entry.index = i;
      out.push(entry);
    }
  }
  return out;
}

function summarise(users: UserAccessChange[]): AccessDiffSummary {
  const summary: AccessDiffSummary = { usersAdded: 0, usersRemoved: 0, usersChanged: 0, subjectsGained: 0, subjectsLost: 0, filtersChanged: 0, bySubject: [] };
  const bySubject = new Map<string, { subject: string; gained: number; lost: number; filters: number }>();
  for (const u of users) {
    if (u.change === 'added') summary.usersAdded++;
    else if (u.change === 'removed') summary.usersRemoved++;
    else summary.usersChanged++;
    for (const s of u.subjects) {
      const entry = bySubject.get(s.subject) ?? { subject: s.subject, gained: 0, lost: 0, filters: 0 };
      bySubject.set(s.subject, entry);
      entry[s.change]++;
      if (s.change === 'gained') summary.subjectsGained++;
      else if (s.change === 'lost') summary.subjectsLost++;
      else summary.filtersChanged++;
    }
  }
  summary.bySubject = [...bySubject.values()].sort((a, b) => compareText(a.subject, b.subject));
  return summary;
}
