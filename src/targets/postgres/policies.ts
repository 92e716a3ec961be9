import { createHash } from 'node:crypto';
import type { ConditionSpec, DesiredState, RuleSpec, SubjectTableSpec } from './desired-state.js';
import { comparisonName } from './comparisons.js';
import { accessFunction, valuesFunction } from './function-names.js';
import { grantSettingSql, transactionKeySql } from './session-functions.js';
import { quoteIdent, quoteLiteral } from './quote.js';
import type { Statement } from './statements.js';

/**
 * The row-level-security policies of one subject table: static text that reads entitlements
 * through warden's look-ups, so adding a user never changes a policy.
 *
 * Plan-time folding. The look-ups are IMMUTABLE with constant arguments, so PostgreSQL's planner
 * evaluates each once, while it plans the query, and puts the principal's values into the plan
 * as constants: a restricted user's plan is the hand-written plan
 * (`Index Cond: (country = ANY ('{C0042}'::text[]))`), an unrestricted rule disappears from it,
 * and nothing is looked up per row or per execution except the tie below.
 *
 * Why declaring them IMMUTABLE (they are not: they read tables and the transaction's principal)
 * is safe:
 * 1. Fold-time verification: a look-up folds only what the verified principal may see: the
 *    settings `enter` wrote, each signed with a keyed hash of backend, transaction start,
 *    principal, name and payload, or for `principal: role` the caller's role, checked against
 *    the session's login role. Forged, copied or missing settings fold to deny.
 * 2. The runtime tie: the permissive policy compares, once per execution (an InitPlan), the
 *    current transaction's key (`<transaction start>:<the subject's signed grant setting>`,
 *    builtin functions only) or `current_user` with the key folded at plan time. A plan cached in an earlier transaction,
 *    before a re-`enter`, or under another role, fails the tie and returns no rows.
 * 3. Stale constants can only fail closed, and are replanned: `enter` runs DISCARD PLANS, and
 *    apply touches the look-ups after changing entitlements (PostgreSQL drops every cached plan
 *    that folded a function whose catalog row changed).
 * No non-warden code runs during folding: the look-ups are warden's own SECURITY DEFINER
 * functions with a fixed search_path, their arguments are literals, and the comparison wrappers
 * they feed (comparisons.ts) use only pg_catalog operators on builtin types.
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
  const out: Statement[] = [
    { kind: 'enable_rls', table: subject.table },
    { kind: 'drop_warden_policies', table: subject.table, prefix: POLICY_PREFIX },
    { kind: 'create_policy', name: ACCESS_POLICY, table: subject.table, restrictive: false, using: accessExpression(state, subject.subject) },
  ];
  for (const rule of subject.rules) {
    const using = rule.conditions.map((c, i) => conditionExpression(S, rule, c, i)).join('\n    OR ');
    out.push({ kind: 'create_policy', name: rulePolicyName(rule.name), table: subject.table, restrictive: true, using });
  }
  return out;
}

/**
 * The subject-access tie: a scalar sub-select (an InitPlan, once per execution) comparing the
 * current transaction's key, or `current_user`, with the one folded for this subject at plan time.
 * NULL (no access, no principal) hides every row.
 */
export function accessExpression(state: DesiredState, subject: string): string {
  const S = quoteIdent(state.options.schema);
  const folded = `${S}.${accessFunction(state.options.principal)}(${quoteLiteral(subject)})`;
  const current = state.options.principal === 'session' ? transactionKeySql(grantSettingSql(state, subject)) : 'current_user';
  return `(SELECT (${current}) OPERATOR(pg_catalog.=) ${folded})`;
}

/** SPEC 4 for one condition: the comparison wrapper of its operator and type over the folded values. */
export function conditionExpression(S: string, rule: RuleSpec, c: ConditionSpec, index: number): string {
  const values = `${S}.${valuesFunction(c.type)}(${quoteLiteral(rule.name)}, ${index})`;
  const args = [quoteIdent(c.column), values];
  if (c.operator === 'last' || c.operator === 'next') {
    // No modifier cannot pass validation; deny rather than guess.
    if (!c.modifier) return 'false';
    args.push(`${quoteLiteral(`${c.modifier.amount} ${c.modifier.unit}`)}::interval`);
  }
  return `${S}.${comparisonName(c)}(${args.join(', ')})`;
}
