import { describe, expect, it } from 'vitest';
import { comparable, isCalendarDate, typeMismatch } from './value-types.js';

describe('value-types', () => {
  it('accepts only real calendar dates', () => {
    expect(['2024-02-29', '2000-02-29', '2027-12-31', '2027-04-30'].filter(isCalendarDate)).toHaveLength(4);
    expect(['1900-02-29', '2027-02-29', '2027-04-31', '2027-00-10', '2027-13-01', '2027-1-01', '27-01-01', '2027-01-00'].filter(isCalendarDate)).toEqual([]);
  });

  it('checks each type strictly', () => {
    expect(typeMismatch(1, 'string')).toBe('1 is not text');
    expect(typeMismatch(1.5, 'integer')).toBe('1.5 is not an integer');
    expect(typeMismatch(2 ** 60, 'integer')).toBeDefined();
    expect(typeMismatch(Number.NaN, 'number')).toBeDefined();
    expect(typeMismatch('true', 'boolean')).toBe('"true" is not true or false');
    expect(typeMismatch('2027-06-30', 'date')).toBeUndefined();
    expect(typeMismatch(3, 'number')).toBeUndefined();
  });

  it('compares integers with numbers, and nothing else across types', () => {
    expect(comparable('integer', 'number')).toBe(true);
    expect(comparable('date', 'date')).toBe(true);
    expect(comparable('string', 'date')).toBe(false);
  });
});
