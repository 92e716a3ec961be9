import { describe, expect, it } from 'vitest';
import { at, validateYaml, withCode } from '../../../test/helpers/validate-yaml.js';

const yaml = (...lines: string[]): string => lines.join('\n') + '\n';

describe('user-direct-roles', () => {
  it('reports each role given to a user directly, at the role, pointing to groups', () => {
    const { diagnostics } = validateYaml({
      'policies/users.yaml': yaml('users:', '  ann@acme.com:', '    roles: [dashboard_analyzer, user_manager]', '  bob@acme.com: {}'),
    });
    const found = withCode(diagnostics, 'E-USER-ROLES');
    expect(found.map((d) => [at(d.loc), d.message])).toEqual([
      ['policies/users.yaml:3:13', 'user "ann@acme.com" is given role "dashboard_analyzer" directly; roles come from groups'],
      ['policies/users.yaml:3:33', 'user "ann@acme.com" is given role "user_manager" directly; roles come from groups'],
    ]);
    expect(found[0]!.hint).toContain('put the user in a group that has role "dashboard_analyzer"');
  });
});
