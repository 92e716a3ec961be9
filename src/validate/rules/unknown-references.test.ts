import { describe, expect, it } from 'vitest';
import { at, validateYaml, withCode } from '../../../test/helpers/validate-yaml.js';

const yaml = (...lines: string[]): string => lines.join('\n') + '\n';

describe('unknown-references', () => {
  it('reports every dangling reference at the reference, with a did-you-mean hint', () => {
    const { diagnostics } = validateYaml({
      'policies/a.yaml': yaml(
        'attributes:',
        '  country: { type: string }',
        'subjects:',
        '  sales: { table: public.sales, fields: { country: { type: string } } }',
        'roles:',
        '  lead: { extends: [dashbord_analyzer], permissions: [catalog.view] }',
        'groups:',
        '  staff: {}',
        '  apac:',
        '    inherits: [staf]',
        '    roles: [leed]',
        '    subjects: [sale]',
        '    members: [bob@acme.com]',
        '    attributes: { contry: [VN] }',
      ),
      'policies/b.yaml': yaml(
        'users:',
        '  ann@acme.com:',
        '    groups: [apac, apak]',
        '    attributes: { countri: [VN] }',
        'api_keys:',
        '  bot: { user: anne@acme.com }',
        'rules:',
        '  by-country:',
        '    subject: sales',
        '    field: country',
        '    operator: in',
        '    attribute: cuntry',
        '    applies_to: { groups: [apac, asia], users: [ann@acme.co] }',
        '  on-nothing: { subject: sailes, field: country, operator: eq, values: [x] }',
      ),
    });
    const found = withCode(diagnostics, 'E-UNKNOWN-REF').map((d) => [at(d.loc), d.message, d.hint]);
    expect(found).toEqual([
      ['policies/a.yaml:6:21', 'role "lead" extends refers to unknown role "dashbord_analyzer"', 'did you mean "dashboard_analyzer"?'],
      ['policies/a.yaml:10:16', 'group "apac" inherits refers to unknown group "staf"', 'did you mean "staff"?'],
      ['policies/a.yaml:11:13', 'group "apac" roles refers to unknown role "leed"', 'did you mean "lead"?'],
      ['policies/a.yaml:12:16', 'group "apac" subjects refers to unknown subject "sale"', 'did you mean "sales"?'],
      ['policies/a.yaml:13:15', 'group "apac" members refers to unknown user "bob@acme.com"', expect.any(String)],
      ['policies/a.yaml:14:19', 'group "apac" attributes refers to unknown attribute "contry"', 'did you mean "country"?'],
      ['policies/b.yaml:3:20', 'user "ann@acme.com" groups refers to unknown group "apak"', 'did you mean "apac"?'],
      ['policies/b.yaml:4:19', 'user "ann@acme.com" attributes refers to unknown attribute "countri"', 'did you mean "country"?'],
      ['policies/b.yaml:6:16', 'api key "bot" refers to unknown user "anne@acme.com"', 'did you mean "ann@acme.com"?'],
      ['policies/b.yaml:12:16', 'rule "by-country" attribute refers to unknown attribute "cuntry"', 'did you mean "country"?'],
      ['policies/b.yaml:13:34', 'rule "by-country" applies_to refers to unknown group "asia"', expect.any(String)],
      ['policies/b.yaml:13:49', 'rule "by-country" applies_to refers to unknown user "ann@acme.co"', 'did you mean "ann@acme.com"?'],
      ['policies/b.yaml:14:26', 'rule "on-nothing" refers to unknown subject "sailes"', 'did you mean "sales"?'],
    ]);
  });

  it('accepts the system attributes in rules but not unknown user.* names', () => {
    const { diagnostics } = validateYaml({
      'policies/a.yaml': yaml(
        'subjects:',
        '  sales: { table: s, fields: { owner: { type: string } } }',
        'rules:',
        '  mine: { subject: sales, field: owner, operator: eq, attribute: user.email }',
        '  login: { subject: sales, field: owner, operator: eq, attribute: user.login }',
        '  phone: { subject: sales, field: owner, operator: eq, attribute: user.nam }',
      ),
    });
    const found = withCode(diagnostics, 'E-UNKNOWN-REF');
    expect(found.map((d) => [at(d.loc), d.message, d.hint])).toEqual([
      ['policies/a.yaml:6:67', 'rule "phone" attribute refers to unknown attribute "user.nam"', 'did you mean "user.name"?'],
    ]);
  });

  it('requires incorta_roles to name built-in roles', () => {
    const { diagnostics } = validateYaml({
      'policies/roles.yaml': yaml(
        'roles:',
        '  helper: { permissions: [catalog.view] }',
        '  lead: { permissions: [catalog.share], incorta_roles: [dashboard_analyzer, helper, privileged_usr] }',
      ),
    });
    expect(withCode(diagnostics, 'E-UNKNOWN-REF').map((d) => [at(d.loc), d.message, d.hint])).toEqual([
      ['policies/roles.yaml:3:77', 'role "lead" incorta_roles refers to unknown built-in role "helper"', expect.stringContaining('expected one of: analyze_user')],
      ['policies/roles.yaml:3:85', 'role "lead" incorta_roles refers to unknown built-in role "privileged_usr"', 'did you mean "privileged_user"?'],
    ]);
  });

  it('requires base_role to name a role', () => {
    const { diagnostics } = validateYaml({
      'policies/settings.yaml': yaml('settings:', '  base_role: analyst'),
    });
    const [d, ...rest] = withCode(diagnostics, 'E-UNKNOWN-REF');
    expect(rest).toEqual([]);
    expect(at(d!.loc)).toBe('policies/settings.yaml:2:14');
    expect(d!.message).toBe('setting base_role refers to unknown role "analyst"');
  });

  it('accepts a project whose references all resolve, including a default group nobody defines', () => {
    const { diagnostics } = validateYaml({
      'policies/a.yaml': yaml(
        'settings: { default_group: staff, base_role: user }',
        'groups:',
        '  apac: { inherits: [staff], roles: [privileged_user] }',
        'users:',
        '  ann@acme.com: { groups: [apac] }',
      ),
    });
    expect(withCode(diagnostics, 'E-UNKNOWN-REF')).toEqual([]);
  });
});
