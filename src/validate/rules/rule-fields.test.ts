import { describe, expect, it } from 'vitest';
import { at, validateYaml, withCode } from '../../../test/helpers/validate-yaml.js';

const yaml = (...lines: string[]): string => lines.join('\n') + '\n';

describe('rule-fields', () => {
  it('reports fields the subject lacks, with a did-you-mean hint, in single and any conditions', () => {
    const { diagnostics } = validateYaml({
      'policies/a.yaml': yaml(
        'subjects:',
        '  sales: { table: public.sales, fields: { country: { type: string }, store_id: { type: integer } } }',
        '  logs: { table: public.logs }',
        'rules:',
        '  by-country: { subject: sales, field: contry, operator: eq, values: [VN] }',
        '  either:',
        '    subject: sales',
        '    any:',
        '      - { field: store_id, operator: eq, values: [1] }',
        '      - { field: region, operator: eq, values: [APAC] }',
        '  on-logs: { subject: logs, field: level, operator: eq, values: [error] }',
      ),
    });
    const found = withCode(diagnostics, 'E-UNKNOWN-FIELD');
    expect(found.map((d) => [at(d.loc), d.message, d.hint])).toEqual([
      ['policies/a.yaml:5:40', 'rule "by-country" filters on field "contry", which subject "sales" does not define', 'did you mean "country"?'],
      ['policies/a.yaml:10:18', 'rule "either" filters on field "region", which subject "sales" does not define', 'expected one of: country, store_id'],
      [
        'policies/a.yaml:11:36',
        'rule "on-logs" filters on field "level", but subject "logs" defines no fields',
        'add "level" under fields of subject "logs" with its column and type',
      ],
    ]);
    expect(found.map((d) => d.related!.map((r) => at(r.loc)))).toEqual([['policies/a.yaml:2:3'], ['policies/a.yaml:2:3'], ['policies/a.yaml:3:3']]);
  });
});
