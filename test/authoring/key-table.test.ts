import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyTable } from '../../src/audit/key-table.js';

describe('KeyTable', () => {
  it('finds exactly the keys stored, across growth, like a Map of joined keys', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 5, maxLength: 5 }), { maxLength: 400 }), (width, rows) => {
        const table = new KeyTable(width, 2);
        const reference = new Map<string, number>();
        const key = new Int32Array(width);
        for (const row of rows) {
          key.set(row.slice(0, width));
          const text = row.slice(0, width).join(',');
          const expected = reference.get(text) ?? -1;
          expect(table.get(key)).toBe(expected);
          if (expected < 0) {
            reference.set(text, reference.size);
            table.set(key, reference.size - 1);
          }
        }
        for (const [text, id] of reference) {
          key.set(text.split(',').map(Number));
          expect(table.get(key)).toBe(id);
        }
      }),
    );
  });
});
