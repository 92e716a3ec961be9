import type { AttributeType } from '../../model/policy.js';

/**
 * Checks one value as written against a declared type. Returns why it does not fit, or
 * undefined when it does. Strict on purpose: a number where text is expected (`[001]` read as 1)
 * or text where a number is expected would silently compare unequal and deny or widen access.
 */
export function typeMismatch(value: unknown, type: AttributeType): string | undefined {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : `${show(value)} is not text`;
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) ? undefined : `${show(value)} is not an integer`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `${show(value)} is not a finite number`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${show(value)} is not true or false`;
    case 'date':
      return typeof value === 'string' && isCalendarDate(value) ? undefined : `${show(value)} is not a calendar date (YYYY-MM-DD)`;
  }
}

/** Whether the operand types of a comparison are compatible: integers and numbers compare as numbers. */
export function comparable(a: AttributeType, b: AttributeType): boolean {
  const numeric = (t: AttributeType): boolean => t === 'integer' || t === 'number';
  return a === b || (numeric(a) && numeric(b));
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real date of the Gregorian calendar written as YYYY-MM-DD (no 2027-02-30, no 2026-13-01). */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

/** A value for a message: text quoted, other scalars as written. */
export function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
