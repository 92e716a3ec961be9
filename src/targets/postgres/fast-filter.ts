import type { AttributeType } from '../../model/policy.js';
import type { DesiredState, RuleSpec } from './desired-state.js';
import { quoteIdent, quoteLiteral, sqlType } from './quote.js';

/**
 * The planner-friendly copy of an `in`/`eq` rule, for `principal: session`.
 *
 * The verified look-ups are InitPlans: evaluated once per query, but opaque to the planner, which
 * then guesses the selectivity of `col = ANY($1)` (ten elements) and picks bad plans for
 * `ORDER BY id LIMIT n`; and the `open OR col = ANY(..)` they need for users with `all` is not
 * indexable. This copy reads the values `enter` wrote into transaction-local settings through
 * STABLE expressions: the planner folds those when it estimates selectivity (so its estimate is
 * that of a hand-written constant list), and every arm is indexable:
 *
 *   col >= CASE WHEN <open> THEN <minimum of the type> END     -- `all`: every non-NULL value
 *   OR col = ANY(<values>)                                     -- the principal's values
 *   OR col IS NULL                                             -- left to the verified condition
 *
 * The copy is ANDed with the verified condition, so it only has to let through a superset of
 * what that allows: a setting changed by hand can only hide rows, never show more. That is why
 * NULLs may always pass here (the verified condition admits them only for `all`), which keeps
 * every arm a plain index condition: the bitmap scan then implements the whole clause and the
 * executor does not re-evaluate it per row. For a restricted principal the first arm is an
 * empty index scan.
 */

/** The smallest value of each type, so `col >= min` holds for every non-NULL value. */
export const MIN_VALUE: Record<AttributeType, string> = {
  string: '',
  integer: '-9223372036854775808',
  number: '-Infinity',
  date: '-infinity',
  boolean: 'false',
};

export function isFastRule(rule: RuleSpec): boolean {
  const c = rule.conditions[0];
  return !rule.isAny && rule.conditions.length === 1 && (c.operator === 'in' || c.operator === 'eq');
}

export function fastRules(state: DesiredState): RuleSpec[] {
  if (state.options.principal !== 'session') return [];
  return state.subjects.flatMap((s) => s.rules).filter(isFastRule).sort((a, b) => a.id - b.id);
}

export function fastSettingNames(prefix: string, rule: RuleSpec): { values: string; open: string } {
  return { values: `${prefix}_r${rule.id}_v`, open: `${prefix}_r${rule.id}_o` };
}

export function fastExpression(prefix: string, rule: RuleSpec): string {
  const c = rule.conditions[0];
  const T = sqlType(c.type);
  const col = quoteIdent(c.column);
  const names = fastSettingNames(prefix, rule);
  const open = `pg_catalog.current_setting(${quoteLiteral(names.open)}, true) = 'on'`;
  return [
    `${col} >= CASE WHEN ${open} THEN ${quoteLiteral(MIN_VALUE[c.type])}::${T} END`,
    `${col} = ANY(NULLIF(pg_catalog.current_setting(${quoteLiteral(names.values)}, true), '')::${T}[])`,
    `${col} IS NULL`,
  ].join('\n      OR ');
}
