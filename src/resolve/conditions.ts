import type { AttributeType, Condition, FieldDef, Scalar, SubjectDef } from '../model/policy.js';
import type { ResolvedCondition, ResolvedUser } from './model.js';
import { sortedUnique, toTyped } from './scalars.js';

/**
 * Substitutes a user's values into one condition of a row rule: the values of the user's
 * attribute (`all`, or a sorted list; empty = none, which denies), or the rule's static values
 * typed by the subject field. What the condition then means per operator is the targets'
 * business (SPEC 4, row filters); this module only decides *what is compared*.
 *
 * Results are shared: users whose attribute value is the same resolved object (the resolver
 * shares one among users who got it the same way) get the same ResolvedCondition, so asking
 * for 100,000 users x 300 subjects does not allocate a condition per cell. Treat them as
 * immutable.
 */

/** The "values source" a condition's result depends on: a user's attribute value object, or this for static values. */
const STATIC = {};
const MISSING = {};
const cache = new WeakMap<object, WeakMap<Condition, ResolvedCondition>>();

/** The object that decides the condition's values for this user (the cache key). */
export function valuesSource(condition: Condition, user: ResolvedUser): object {
  if (!condition.attribute) return STATIC;
  return user.attributes.get(condition.attribute.value) ?? MISSING;
}

export function resolveCondition(condition: Condition, subject: SubjectDef | undefined, user: ResolvedUser): ResolvedCondition {
  const source = valuesSource(condition, user);
  let bySource = cache.get(source);
  if (!bySource) cache.set(source, (bySource = new WeakMap()));
  let resolved = bySource.get(condition);
  if (!resolved) bySource.set(condition, (resolved = compute(condition, subject, user)));
  return resolved;
}

function compute(condition: Condition, subject: SubjectDef | undefined, user: ResolvedUser): ResolvedCondition {
  const field = condition.field.value;
  const def: FieldDef | undefined = subject?.fields.get(field);
  const type: AttributeType = def?.type ?? 'string';
  const resolved: ResolvedCondition = { field, column: def?.column ?? field, type, operator: condition.operator.value };
  if (condition.modifier) {
    resolved.modifier = { unit: condition.modifier.value.unit, amount: condition.modifier.value.amount };
    return resolved;
  }
  if (condition.attribute) {
    const attribute = condition.attribute.value;
    resolved.attribute = attribute;
    // An attribute the user has no entry for is "none": it denies, it never widens.
    const values = user.attributes.get(attribute)?.value;
    resolved.values = values?.kind === 'all' ? 'all' : typedList(values?.values ?? [], type);
    return resolved;
  }
  resolved.values = typedList((condition.values ?? []).map((v) => v.value), type);
  return resolved;
}

function typedList(raw: readonly unknown[], type: AttributeType): Scalar[] {
  const typed: Scalar[] = [];
  for (const value of raw) {
    const t = toTyped(value, type);
    if (t !== undefined) typed.push(t);
  }
  return sortedUnique(typed);
}
