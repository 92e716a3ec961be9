import { describe, expect, it } from 'vitest';
import { at, validateYaml, withCode } from '../../../test/helpers/validate-yaml.js';

const yaml = (...lines: string[]): string => lines.join('\n') + '\n';

const subjects = yaml(
  'attributes:',
  '  limit: { type: integer }',
  'subjects:',
  '  sales: { table: public.sales, fields: { amount: { type: integer }, sold_at: { type: date } } }',
);

describe('operator-arity', () => {
  it('requires exactly one static value for lt/le/gt/ge and two for between, at the operator', () => {
    const { diagnostics } = validateYaml({
      'policies/a.yaml': subjects,
      'policies/rules.yaml': yaml(
        'rules:',
        '  small: { subject: sales, field: amount, operator: lt, values: [10, 20] }',
        '  none: { subject: sales, field: amount, operator: ge, values: [] }',
        '  range: { subject: sales, field: amount, operator: between, values: [1] }',
        '  range2: { subject: sales, field: amount, operator: between, attribute: limit }',
      ),
    });
    const found = withCode(diagnostics, 'E-OPERATOR-ARITY');
    expect(found.map((d) => [at(d.loc), d.message])).toEqual([
      ['policies/rules.yaml:2:53', 'rule "small": operator lt compares with exactly one value, got 2'],
      ['policies/rules.yaml:3:52', 'rule "none": operator ge compares with exactly one value, got 0'],
      ['policies/rules.yaml:4:53', 'rule "range": operator between takes exactly two values, got 1'],
      ['policies/rules.yaml:5:54', 'rule "range2": operator between compares with two static values, not an attribute'],
    ]);
    expect(found[0]!.hint).toContain('between');
  });

  it('accepts well-formed conditions, including attribute-based comparisons', () => {
    const { diagnostics } = validateYaml({
      'policies/a.yaml': subjects,
      'policies/rules.yaml': yaml(
        'rules:',
        '  a: { subject: sales, field: amount, operator: le, values: [10] }',
        '  b: { subject: sales, field: amount, operator: gt, attribute: limit }',
        '  c: { subject: sales, field: amount, operator: between, values: [1, 5] }',
        '  d: { subject: sales, field: amount, operator: in, values: [1, 2, 3] }',
        '  e: { subject: sales, field: sold_at, operator: last, modifier: { days: 7 } }',
      ),
    });
    expect(withCode(diagnostics, 'E-OPERATOR-ARITY')).toEqual([]);
  });
});
