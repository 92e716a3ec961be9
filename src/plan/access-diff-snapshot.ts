import type { Scalar } from '../model/policy.js';
import type { ResolvedCondition, ResolvedFilter } from '../resolve/model.js';
import type { FilterCondition, FilterSnapshot } from './access-diff-types.js';

/**
 * Converts resolved filters to the position-free snapshots the access diff compares and prints:
 * moving a rule to another file must not show up as an access change.
 */

export function snapshotFilters(filters: readonly ResolvedFilter[]): FilterSnapshot[] {
  return filters.map(snapshotFilter).sort((a, b) => compareText(a.rule, b.rule));
}

export function snapshotFilter(filter: ResolvedFilter): FilterSnapshot {
  if ('any' in filter) return { rule: filter.rule, any: filter.any.map(snapshotCondition) };
  return { rule: filter.rule, ...snapshotCondition(filter) };
}

export function snapshotCondition(condition: ResolvedCondition): FilterCondition {
  const out: FilterCondition = { field: condition.field, operator: condition.operator };
  if (condition.values !== undefined) out.values = condition.values === 'all' ? 'all' : [...condition.values];
  if (condition.modifier !== undefined) out.modifier = { unit: condition.modifier.unit, amount: condition.modifier.amount };
  if (condition.attribute !== undefined) out.attribute = condition.attribute;
  return out;
}

/** Key-order-stable identity of a condition, for equality checks. */
export function conditionKey(condition: FilterCondition | null): string {
  if (condition === null) return 'null';
  return JSON.stringify([condition.field, condition.operator, condition.values ?? null, condition.modifier ?? null, condition.attribute ?? null]);
}

export function snapshotsKey(filters: readonly FilterSnapshot[] | null): string {
  if (filters === null) return 'null';
  return JSON.stringify(
    filters.map((f) => ('any' in f ? [f.rule, f.any.map(conditionKey)] : [f.rule, conditionKey(f)])),
  );
}

export function scalarKey(value: Scalar): string {
  return `${typeof value}:${String(value)}`;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
