import { describe, expect, it } from 'vitest';
import { at, validateYaml, withCode } from '../../../test/helpers/validate-yaml.js';

const yaml = (...lines: string[]): string => lines.join('\n') + '\n';

const project = {
  'policies/a.yaml': yaml(
    'attributes:',
    '  country: { type: string }',
    '  merchant: { type: string }',
    'subjects:',
    '  sales: { table: public.sales, fields: { country: { type: string } } }',
    '  notes: { description: not mapped anywhere yet }',
    '  web: { platforms: { inmydata: { subject: Web } } }',
    'roles:',
    '  lead: { extends: [helper], permissions: [catalog.manage] }',
    '  helper: { permissions: [schema.view] }',
    '  orphan: { permissions: [data.view] }',
    '  orphan-base: { extends: [orphan-parent], permissions: [data.view] }',
    '  orphan-parent: { permissions: [data.view] }',
    'groups:',
    '  everyone: { roles: [lead] }',
    '  staff: {}',
    '  apac: { inherits: [staff] }',
    '  listed: { members: [ann@acme.com] }',
    '  lonely: { inherits: [lonely-parent] }',
    '  lonely-parent: {}',
    'users:',
    '  ann@acme.com: { groups: [apac] }',
    'rules:',
    '  by-country: { subject: sales, field: country, operator: in, attribute: country }',
  ),
};

describe('unused-groups', () => {
  it('warns about groups no user can be in, never about the default group', () => {
    const found = withCode(validateYaml(project).diagnostics, 'W-UNUSED-GROUP');
    expect(found.map((d) => [at(d.loc), d.message, d.severity])).toEqual([
      ['policies/a.yaml:19:3', 'group "lonely" has no members: no user is in it or in a group that inherits it', 'warning'],
      ['policies/a.yaml:20:3', 'group "lonely-parent" has no members: no user is in it or in a group that inherits it', 'warning'],
    ]);
  });
});

describe('unused-roles', () => {
  it('warns about custom roles no group grants, directly or through extends', () => {
    const found = withCode(validateYaml(project).diagnostics, 'W-UNUSED-ROLE');
    expect(found.map((d) => [at(d.loc), d.message, d.severity])).toEqual([
      ['policies/a.yaml:11:3', 'role "orphan" is not granted by any group, and no granted role extends it', 'warning'],
      ['policies/a.yaml:12:3', 'role "orphan-base" is not granted by any group, and no granted role extends it', 'warning'],
      ['policies/a.yaml:13:3', 'role "orphan-parent" is not granted by any group, and no granted role extends it', 'warning'],
    ]);
  });

  it('counts the base role as granted', () => {
    const { diagnostics } = validateYaml({
      'policies/a.yaml': yaml('settings: { base_role: reader }', 'roles:', '  reader: { extends: [viewer] }', '  viewer: { permissions: [catalog.view] }'),
    });
    expect(withCode(diagnostics, 'W-UNUSED-ROLE')).toEqual([]);
  });
});

describe('unused-attributes', () => {
  it('warns about attributes no rule compares with', () => {
    const found = withCode(validateYaml(project).diagnostics, 'W-UNUSED-ATTRIBUTE');
    expect(found.map((d) => [at(d.loc), d.message, d.severity])).toEqual([
      ['policies/a.yaml:3:3', 'attribute "merchant" is not used by any rule, so it restricts nothing', 'warning'],
    ]);
  });
});

describe('unmapped-subjects', () => {
  it('warns about subjects with neither a table nor platform identifiers', () => {
    const found = withCode(validateYaml(project).diagnostics, 'W-UNMAPPED-SUBJECT');
    expect(found.map((d) => [at(d.loc), d.message, d.severity])).toEqual([
      ['policies/a.yaml:6:3', 'subject "notes" has no table and no platform identifiers, so no target can enforce it', 'warning'],
    ]);
  });
});
