import { describe, expect, it } from 'vitest';
import { at, validateYaml, withCode } from '../../../test/helpers/validate-yaml.js';

const yaml = (...lines: string[]): string => lines.join('\n') + '\n';

const subjects = yaml(
  'attributes:',
  '  country: { type: string }',
  '  store_id: { type: integer }',
  '  share: { type: number }',
  'subjects:',
  '  sales:',
  '    table: public.sales',
  '    fields:',
  '      country: { type: string }',
  '      store_id: { type: integer }',
  '      amount: { type: number }',
  '      sold_at: { type: date }',
);

describe('condition-types', () => {
  it('reports static values that do not fit the field type, at the value', () => {
    const { diagnostics } = validateYaml({
      'policies/a.yaml': subjects,
      'policies/rules.yaml': yaml(
        'rules:',
        '  stores: { subject: sales, field: store_id, operator: not_in, values: [0, "999"] }',
        '  recent: { subject: sales, field: sold_at, operator: between, values: [2026-01-01, 2026-02-30] }',
      ),
    });
    const found = withCode(diagnostics, 'E-TYPE-MISMATCH');
    expect(found.map((d) => [at(d.loc), d.message])).toEqual([
      ['policies/rules.yaml:2:76', `rule "stores": "999" is not an integer, but field "store_id" has type integer`],
      ['policies/rules.yaml:3:85', `rule "recent": "2026-02-30" is not a calendar date (YYYY-MM-DD), but field "sold_at" has type date`],
    ]);
    expect(found[0]!.related!.map((r) => at(r.loc))).toEqual(['policies/a.yaml:10:7']);
  });

  it('reports a field compared with an attribute of another type, and accepts integer with number', () => {
    const { diagnostics } = validateYaml({
      'policies/a.yaml': subjects,
      'policies/rules.yaml': yaml(
        'rules:',
        '  bad: { subject: sales, field: store_id, operator: in, attribute: country }',
        '  ok: { subject: sales, field: amount, operator: le, attribute: store_id }',
        '  also-ok: { subject: sales, field: store_id, operator: in, attribute: share }',
        '  mail: { subject: sales, field: sold_at, operator: eq, attribute: user.email }',
      ),
    });
    const found = withCode(diagnostics, 'E-TYPE-MISMATCH');
    expect(found.map((d) => [at(d.loc), d.message])).toEqual([
      ['policies/rules.yaml:2:68', 'rule "bad" compares field "store_id" (integer) with attribute "country" (string)'],
      ['policies/rules.yaml:5:68', 'rule "mail" compares field "sold_at" (date) with attribute "user.email" (string)'],
    ]);
    expect(found[0]!.related!.map((r) => at(r.loc))).toEqual(['policies/a.yaml:10:7', 'policies/a.yaml:2:3']);
    expect(found[1]!.related!.map((r) => at(r.loc))).toEqual(['policies/a.yaml:12:7']);
  });

  it('requires a date field for last and next', () => {
    const { diagnostics } = validateYaml({
      'policies/a.yaml': subjects,
      'policies/rules.yaml': yaml(
        'rules:',
        '  recent: { subject: sales, field: sold_at, operator: last, modifier: { days: 90 } }',
        '  odd: { subject: sales, field: amount, operator: next, modifier: { weeks: 2 } }',
      ),
    });
    expect(withCode(diagnostics, 'E-TYPE-MISMATCH').map((d) => [at(d.loc), d.message])).toEqual([
      ['policies/rules.yaml:3:51', 'rule "odd": operator next needs a date field, but "amount" has type number'],
    ]);
  });
});
