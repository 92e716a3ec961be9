import type { AttributeType, Operator } from '../../model/policy.js';
import type { ConditionSpec, DesiredState } from './desired-state.js';
import { sqlType } from './quote.js';
import type { Statement } from './statements.js';

/**
 * The comparison wrappers: one inlinable `LANGUAGE sql` function per operator and attribute type,
 * e.g. `in_string(col anyelement, v text[])` = `col = ANY(v) OR v IS NULL`.
 *
 * A policy calls `in_string(country, values_string('rule', 0))`. The planner folds the look-up
 * (IMMUTABLE, constant arguments) into a constant before it inlines the wrapper, so the parameter
 * may be used twice, and what is left is what a hand-written WHERE says:
 * `country = ANY ('{C0042}'::text[])` (restricted; an index condition), `true` (open: the qual
 * disappears) or a comparison with `{NULL}` / `{}` (deny: nothing passes).
 *
 * Why these details:
 * - `col anyelement`: the body is parsed with the column's own type, so an `integer` column meets
 *   `bigint[]` through PostgreSQL's cross-type operator and keeps its index (a `bigint` parameter
 *   would cast the column, and the index on it would no longer apply).
 * - `OPERATOR(pg_catalog.=)` and friends: the body is parsed with the caller's search_path when it
 *   is inlined, so a caller's own `=` operator must not be able to stand in for the builtin one.
 * - STABLE, no SET clause, SECURITY INVOKER: what PostgreSQL requires to inline a function
 *   (STABLE rather than IMMUTABLE, so a cross-type operator that is STABLE, such as
 *   timestamptz = date, or CURRENT_DATE for last/next, does not prevent inlining).
 * - Only builtin operators on builtin types run during folding; the values are never cast to the
 *   column's type (a user domain or type would run user code), the column is compared as it is.
 */

type Comparison = 'in' | 'not_in' | 'lt' | 'le' | 'gt' | 'ge' | 'between' | 'last' | 'next';

const COMPARISON: Record<Operator, Comparison> = {
  in: 'in',
  eq: 'in',
  not_in: 'not_in',
  ne: 'not_in',
  lt: 'lt',
  le: 'le',
  gt: 'gt',
  ge: 'ge',
  between: 'between',
  last: 'last',
  next: 'next',
};

const op = (symbol: string) => `OPERATOR(pg_catalog.${symbol})`;

/** The wrapper body: `col` is the column, `v` the folded values (NULL = open), `p_span` the interval of last/next. */
function body(comparison: Comparison): string {
  const today = 'CURRENT_DATE';
  switch (comparison) {
    case 'in':
      return `col ${op('=')} ANY(v) OR v IS NULL`;
    case 'not_in':
      // `<> ALL('{}')` is true even for NULL, so NULL is excluded explicitly.
      return `(col IS NOT NULL AND col ${op('<>')} ALL(v)) OR v IS NULL`;
    case 'lt':
      return `col ${op('<')} v[1] OR v IS NULL`;
    case 'le':
      return `col ${op('<=')} v[1] OR v IS NULL`;
    case 'gt':
      return `col ${op('>')} v[1] OR v IS NULL`;
    case 'ge':
      return `col ${op('>=')} v[1] OR v IS NULL`;
    case 'between':
      return `(col ${op('>=')} v[1] AND col ${op('<=')} v[2]) OR v IS NULL`;
    // Relative to the date at execution time; the look-up only says open (NULL), applies ({}) or deny ({NULL}).
    case 'last':
      return `(col ${op('>=')} CAST(${today} ${op('-')} p_span AS pg_catalog.date) AND col ${op('<=')} ${today} AND v ${op('=')} '{}') OR v IS NULL`;
    case 'next':
      return `(col ${op('>=')} ${today} AND col ${op('<=')} CAST(${today} ${op('+')} p_span AS pg_catalog.date) AND v ${op('=')} '{}') OR v IS NULL`;
  }
}

export function comparisonName(condition: Pick<ConditionSpec, 'operator' | 'type'>): string {
  return `${COMPARISON[condition.operator]}_${condition.type}`;
}

export function comparisonArgs(comparison: Comparison, type: AttributeType): { name: string; type: string }[] {
  const args = [
    { name: 'col', type: 'anyelement' },
    { name: 'v', type: `${sqlType(type)}[]` },
  ];
  if (comparison === 'last' || comparison === 'next') args.push({ name: 'p_span', type: 'interval' });
  return args;
}

/** The wrappers the state's rules use, sorted by name (only those: the script stays short). */
export function comparisonFunctions(state: DesiredState): Extract<Statement, { kind: 'create_function' }>[] {
  const used = new Map<string, { comparison: Comparison; type: AttributeType }>();
  for (const subject of state.subjects) {
    for (const rule of subject.rules) {
      for (const c of rule.conditions) used.set(comparisonName(c), { comparison: COMPARISON[c.operator], type: c.type });
    }
  }
  return [...used.keys()].sort().map((name) => {
    const { comparison, type } = used.get(name)!;
    return {
      kind: 'create_function',
      schema: state.options.schema,
      name,
      args: comparisonArgs(comparison, type),
      returns: 'boolean',
      body: `\n  SELECT ${body(comparison)}\n`,
      language: 'sql',
      volatility: 'STABLE',
      securityDefiner: false,
      fixedSearchPath: false,
    };
  });
}
