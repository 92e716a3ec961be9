import type { AttributeType } from '../../model/policy.js';
import type { PolicySet } from '../../model/policy.js';
import type { AccessDiff, FilterCondition, FilterSnapshot, UserAccessChange } from '../access-diff-types.js';
import { diffSubject, summarise } from '../access-diff.js';
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
      const s = diffSubject(subject, b && sortFilters(b), a && sortFilters(a));
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


