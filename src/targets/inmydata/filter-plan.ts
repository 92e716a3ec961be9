import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { AttributeType, Condition, Operator, PolicySet, RuleDef, Scalar } from '../../model/policy.js';

/**
 * How each row rule becomes an inmydata subject filter (seed 000, "Applying User Specific
 * Filters to Subjects"): a filter condition on one field of the subject, compared either with
 * fixed values or with a Filter Parameter, i.e. a column of the user-data subject.
 *
 * inmydata documents no OR between filter conditions and one value list per parameter, so an
 * `any` rule and a `between` against an attribute cannot be expressed: they are errors at the
 * rule, never a broader filter.
 *
 * A parameter column serves one kind of comparison, because its cell must encode the user's
 * values for that kind: a value list (`in`/`eq`, or `not_in`/`ne`) or a single bound (`ge`/`gt`
 * compare the field with a lower bound, `le`/`lt` with an upper bound).
 */
export type ParameterKind = 'in' | 'not_in' | 'lower' | 'upper';

export interface ParameterInfo {
  kind: ParameterKind;
  /** The subject field's type the column is compared as. */
  type: AttributeType;
  /** The first rule that reads it. */
  rule: string;
}

export interface SubjectFilter {
  rule: string;
  /** The subject field's physical column. */
  column: string;
  operator: Operator;
  /** The user-data column compared against (Filter Parameter), or fixed values, or a relative period. */
  parameter?: string;
  values?: Scalar[];
  period?: { unit: string; amount: number };
  /** The rule only applies to some users (`applies_to`): as a subject filter it applies to all. */
  scoped: boolean;
}

export interface FilterPlan {
  /** Subject name -> its filters, sorted by rule. */
  bySubject: Map<string, SubjectFilter[]>;
  /** Attribute -> the kind of comparison its column serves (and the type it is compared as). */
  parameterKinds: Map<string, ParameterInfo>;
  diagnostics: Diagnostic[];
}

const KIND: Partial<Record<Operator, ParameterKind>> = {
  in: 'in',
  eq: 'in',
  not_in: 'not_in',
  ne: 'not_in',
  ge: 'lower',
  gt: 'lower',
  le: 'upper',
  lt: 'upper',
};

export function planFilters(policy: PolicySet): FilterPlan {
  const diagnostics: Diagnostic[] = [];
  const bySubject = new Map<string, SubjectFilter[]>();
  const parameterKinds = new Map<string, ParameterInfo>();
  const rules = [...policy.rules.values()].sort((a, b) => cmp(a.name, b.name));
  for (const rule of rules) {
    if (rule.isAny) {
      diagnostics.push(
        error('E-INMYDATA-UNSUPPORTED', `rule "${rule.name}" is an OR (\`any\`); inmydata subject filters cannot express OR`, rule.loc, {
          hint: "split it into rules that each hold for every user, or leave the subject off inmydata: list the subjects it publishes in the target config's `subjects` option",
        }),
      );
      continue;
    }
    const condition = rule.conditions[0];
    if (condition === undefined) continue;
    const filter = subjectFilter(policy, rule, condition, parameterKinds, diagnostics);
    if (filter === undefined) continue;
    const subject = rule.subject.value;
    if (!bySubject.has(subject)) bySubject.set(subject, []);
    bySubject.get(subject)!.push(filter);
  }
  return { bySubject, parameterKinds, diagnostics };
}

function subjectFilter(
  policy: PolicySet,
  rule: RuleDef,
  condition: Condition,
  parameterKinds: FilterPlan['parameterKinds'],
  diagnostics: Diagnostic[],
): SubjectFilter | undefined {
  const field = policy.subjects.get(rule.subject.value)?.fields.get(condition.field.value);
  if (field === undefined) return undefined; // the validator reports unknown fields
  const operator = condition.operator.value;
  const base = { rule: rule.name, column: field.column, operator, scoped: rule.appliesTo !== undefined };
  if (condition.modifier !== undefined) {
    return { ...base, period: { unit: condition.modifier.value.unit, amount: condition.modifier.value.amount } };
  }
  if (condition.attribute === undefined) {
    const values = (condition.values ?? []).map((v) => v.value).filter(isScalar);
    return { ...base, values };
  }
  const attribute = condition.attribute.value;
  const kind = KIND[operator];
  if (kind === undefined) {
    diagnostics.push(
      error('E-INMYDATA-UNSUPPORTED', `rule "${rule.name}": \`${operator}\` against a user attribute needs two values per user; an inmydata Filter Parameter holds one list`, condition.operator.loc),
    );
    return undefined;
  }
  const seen = parameterKinds.get(attribute);
  if (seen !== undefined && seen.kind !== kind) {
    diagnostics.push(
      error(
        'E-INMYDATA-FILTER-CONFLICT',
        `attribute "${attribute}" is compared with \`${operator}\` here and as a ${describe(seen.kind)} by rule "${seen.rule}"; its user-data column can serve one kind of comparison`,
        condition.operator.loc,
        { hint: 'use one kind of comparison per attribute (define a second attribute for the other)', related: [{ message: `rule "${seen.rule}"`, loc: policy.rules.get(seen.rule)!.loc }] },
      ),
    );
    return undefined;
  }
  if (seen === undefined) parameterKinds.set(attribute, { kind, type: field.type, rule: rule.name });
  return { ...base, parameter: attribute };
}

function describe(kind: ParameterKind): string {
  return { in: 'value list', not_in: 'excluded value list', lower: 'lower bound', upper: 'upper bound' }[kind];
}

function isScalar(value: unknown): value is Scalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
