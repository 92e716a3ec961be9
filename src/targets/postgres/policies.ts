import { createHash } from 'node:crypto';
import type { ConditionSpec, DesiredState, RuleSpec, SubjectTableSpec } from './desired-state.js';
import { fastExpression, isFastRule } from './fast-filter.js';
import { quoteIdent, quoteLiteral, sqlType } from './quote.js';
import type { Statement } from './statements.js';

/**
 * The row-level-security policies of one subject table: static text that reads entitlements
 * through warden's functions, so adding a user never changes a policy.
 *
 * Each look-up is a scalar sub-select, which PostgreSQL runs once per query as an InitPlan
 * (a bare function call in a qual would run per row). The casts outside the sub-select are
 * no-ops on the already typed value, so nothing is converted per row either.
 */

export const POLICY_PREFIX = 'warden_';
export const ACCESS_POLICY = 'warden_access';
const MAX_IDENT = 63;

/** `warden_rule_<rule>`, shortened with a hash when PostgreSQL would truncate it (63 bytes). */
export function rulePolicyName(rule: string): string {
  const name = `${POLICY_PREFIX}rule_${rule}`;
  if (Buffer.byteLength(name) <= MAX_IDENT) return name;
  const hash = createHash('sha256').update(rule).digest('hex').slice(0, 10);
  return `${name.slice(0, MAX_IDENT - 11)}_${hash}`;
}

export function policyStatements(state: DesiredState, subject: SubjectTableSpec): Statement[] {
  const S = quoteIdent(state.options.schema);
  const roleArg = state.options.principal === 'role' ? ', current_user' : '';
  const out: Statement[] = [
    { kind: 'enable_rls', table: subject.table },
    { kind: 'drop_warden_policies', table: subject.table, prefix: POLICY_PREFIX },
    {
      kind: 'create_policy',
      name: ACCESS_POLICY,
      table: subject.table,
      restrictive: false,
      using: `(SELECT ${S}.can_access(${quoteLiteral(subject.subject)}${roleArg}))`,
    },
  ];
  for (const rule of subject.rules) {
    const verified = rule.conditions.map((c, i) => `(${conditionExpression(S, rule, c, i, roleArg)})`).join('\n    OR ');
    const using = state.options.principal === 'session' && isFastRule(rule) ? `(${verified})\n  AND (${fastExpression(state.settingPrefix, rule)})` : verified;
    out.push({ kind: 'create_policy', name: rulePolicyName(rule.name), table: subject.table, restrictive: true, using });
  }
  return out;
}

/**
 * SPEC 4 for one condition, given the InitPlans `open` (the condition passes everything) and
 * `vals` (the principal's typed values; NULL when the condition denies, so comparisons are
 * unknown and the row is hidden). A NULL field never passes a comparison; only `open` lets it through.
 */
export function conditionExpression(S: string, rule: RuleSpec, c: ConditionSpec, index: number, roleArg: string): string {
  const T = sqlType(c.type);
  const args = `${quoteLiteral(rule.name)}, ${index}${roleArg}`;
  const open = `(SELECT ${S}.cond_open(${args}))`;
  const vals = `(SELECT ${S}.cond_values_${c.type}(${args}))::${T}[]`;
  const col = quoteIdent(c.column);
  switch (c.operator) {
    case 'in':
    case 'eq':
      return `${open} OR ${col} = ANY(${vals})`;
    case 'not_in':
    case 'ne':
      // `<> ALL('{}')` is true even for NULL, so NULL is excluded explicitly.
      return `${open} OR (${col} IS NOT NULL AND ${col} <> ALL(${vals}))`;
    case 'lt':
      return `${open} OR ${col} < ANY(${vals})`;
    case 'le':
      return `${open} OR ${col} <= ANY(${vals})`;
    case 'gt':
      return `${open} OR ${col} > ANY(${vals})`;
    case 'ge':
      return `${open} OR ${col} >= ANY(${vals})`;
    case 'between':
      return `${open} OR (${col} >= (${vals})[1] AND ${col} <= (${vals})[2])`;
    case 'last':
    case 'next': {
      const m = c.modifier;
      // No modifier cannot pass validation; deny rather than guess.
      if (!m) return `${open}`;
      const span = `${quoteLiteral(`${m.amount} ${m.unit}`)}::interval`;
      return c.operator === 'last'
        ? `${open} OR (${col} >= (CURRENT_DATE - ${span})::date AND ${col} <= CURRENT_DATE)`
        : `${open} OR (${col} >= CURRENT_DATE AND ${col} <= (CURRENT_DATE + ${span})::date)`;
    }
  }
}
