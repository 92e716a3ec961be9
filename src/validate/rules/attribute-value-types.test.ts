import { describe, expect, it } from 'vitest';
import { at, validateYaml, withCode } from '../../../test/helpers/validate-yaml.js';

const yaml = (...lines: string[]): string => lines.join('\n') + '\n';

describe('attribute-value-types', () => {
  it('checks defaults, group values and user values against the attribute type', () => {
    const { diagnostics } = validateYaml({
      'policies/a.yaml': yaml(
        'attributes:',
        '  store_id: { type: integer, default: [1, "2"] }',
        '  since: { type: date }',
        '  code: { type: string }',
        '  share: { type: number }',
        '  vip: { type: boolean }',
        'groups:',
        '  shops:',
        '    attributes: { store_id: [3, 4.5], since: [2027-02-29, 2028-02-29, 2026-13-01], code: [001, "002"] }',
        'users:',
        '  ann@acme.com:',
        '    groups: [shops]',
        '    attributes: { share: [0.5, "x"], vip: [true, yes], since: all }',
      ),
    });
    const found = withCode(diagnostics, 'E-TYPE-MISMATCH').map((d) => [at(d.loc), d.message]);
    expect(found).toEqual([
      ['policies/a.yaml:2:43', `default of attribute "store_id": "2" is not an integer, but attribute "store_id" has type integer`],
      ['policies/a.yaml:9:33', 'group "shops": 4.5 is not an integer, but attribute "store_id" has type integer'],
      ['policies/a.yaml:9:47', `group "shops": "2027-02-29" is not a calendar date (YYYY-MM-DD), but attribute "since" has type date`],
      ['policies/a.yaml:9:71', `group "shops": "2026-13-01" is not a calendar date (YYYY-MM-DD), but attribute "since" has type date`],
      ['policies/a.yaml:9:91', 'group "shops": 1 is not text, but attribute "code" has type string'],
      ['policies/a.yaml:13:32', `user "ann@acme.com": "x" is not a finite number, but attribute "share" has type number`],
      ['policies/a.yaml:13:50', `user "ann@acme.com": "yes" is not true or false, but attribute "vip" has type boolean`],
    ]);
    const code = withCode(diagnostics, 'E-TYPE-MISMATCH').find((d) => d.message.includes('"code"'))!;
    expect(code.hint).toContain('write text in quotes');
    expect(code.related!.map((r) => at(r.loc))).toEqual(['policies/a.yaml:4:3']);
  });

  it('accepts values of the right type, all and empty lists', () => {
    const { diagnostics } = validateYaml({
      'policies/a.yaml': yaml(
        'attributes:',
        '  store_id: { type: integer, default: all }',
        '  since: { type: date, default: [2024-02-29] }',
        '  share: { type: number, default: [1, 2.5] }',
        'groups:',
        '  g: { attributes: { store_id: [], since: [2000-02-29] } }',
      ),
    });
    expect(withCode(diagnostics, 'E-TYPE-MISMATCH')).toEqual([]);
  });
});
