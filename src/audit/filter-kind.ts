import type { FilterCondition, FilterSnapshot } from '../plan/access-diff-types.js';
import type { CellKind } from './types.js';

/**
 * What a user's filter set means for the rows they see, from the condition semantics of SPEC 4:
 * `in`/`eq` against none admits no row and against `all` admits every row; `not_in`/`ne` the
 * reverse; comparisons against none admit nothing. Filters are ANDed, so one filter that admits
 * nothing denies the whole subject; an `any` rule denies only when each of its conditions does.
 */
export function filterSetKind(filters: readonly FilterSnapshot[]): Exclude<CellKind, 'none'> {
  if (filters.length === 0) return 'full';
  let everyRowAdmitted = true;
  for (const filter of filters) {
    const effect = filterEffect(filter);
    if (effect === 'nothing') return 'denied';
    if (effect === 'some') everyRowAdmitted = false;
  }
  return everyRowAdmitted ? 'full' : 'filtered';
}

export type Effect = 'everything' | 'nothing' | 'some';

export function filterEffect(filter: FilterSnapshot): Effect {
  if (!('any' in filter)) return conditionEffect(filter);
  const effects = filter.any.map(conditionEffect);
  if (effects.includes('everything')) return 'everything';
  return effects.every((e) => e === 'nothing') ? 'nothing' : 'some';
}

/**
 * A condition that admits every row still hides rows whose field is NULL (SPEC 4: a NULL field
 * never passes), except `in`/`eq` against `all`, which the spec defines as true for every row;
 * for the audit's colours "every row" is what a reviewer means by unrestricted.
 */
export function conditionEffect(condition: FilterCondition): Effect {
  const values = condition.values;
  if (values === undefined) return 'some';
  const none = Array.isArray(values) && values.length === 0;
  const all = values === 'all';
  switch (condition.operator) {
    case 'in':
    case 'eq':
      return all ? 'everything' : none ? 'nothing' : 'some';
    case 'not_in':
    case 'ne':
      return all ? 'nothing' : none ? 'everything' : 'some';
    default:
      return all ? 'everything' : none ? 'nothing' : 'some';
  }
}
