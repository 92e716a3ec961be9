import type { AttributeType, AttributeValues, Located, Scalar } from '../model/policy.js';

/**
 * Typing of attribute values as written. Strict on purpose, matching the attribute-value-types
 * rule: a number where text is expected (`[001]` read as 1) is not turned into "1", because a
 * silently converted value could compare unequal and change access. A value that does not fit
 * is left out of the typed set and kept in the raw list, where that rule reports it.
 */

export function typedScalar(value: unknown, type: AttributeType): Scalar | undefined {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'date':
      return typeof value === 'string' && isIsoDate(value) ? value : undefined;
  }
}

/**
 * `all`, or the de-duplicated typed values in source order. With no known type (an assignment
 * to an undefined attribute, reported elsewhere) scalars are kept as written.
 */
export function typedValues(raw: readonly Located<unknown>[] | 'all', type: AttributeType | undefined): AttributeValues {
  if (raw === 'all') return { kind: 'all' };
  const seen = new Set<string>();
  const values: Scalar[] = [];
  for (const item of raw) {
    const typed = type === undefined ? asScalar(item.value) : typedScalar(item.value, type);
    if (typed === undefined) continue;
    const key = `${typeof typed}:${String(typed)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    values.push(typed);
  }
  return { kind: 'values', values };
}

function asScalar(value: unknown): Scalar | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
}

/** `YYYY-MM-DD` naming a real day of the Gregorian calendar (no 2027-02-30). */
export function isIsoDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= days;
}
