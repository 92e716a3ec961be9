import { describe, expect, it } from 'vitest';
import { at, validateYaml, withCode } from '../../../test/helpers/validate-yaml.js';

const yaml = (...lines: string[]): string => lines.join('\n') + '\n';

describe('api-key-users', () => {
  it('reports a key whose user is disabled, pointing at the user', () => {
    const { diagnostics } = validateYaml({
      'policies/users.yaml': yaml('users:', '  bot@acme.com: {}', '  leaver@acme.com:', '    disabled: true'),
      'policies/keys.yaml': yaml('api_keys:', '  chatbot: { user: bot@acme.com }', '  old: { user: leaver@acme.com, expires: 2030-01-01 }'),
    });
    const found = withCode(diagnostics, 'E-API-KEY-USER');
    expect(found.map((d) => [at(d.loc), d.message])).toEqual([
      ['policies/keys.yaml:3:16', 'api key "old" belongs to user "leaver@acme.com", who is disabled'],
    ]);
    expect(found[0]!.related!.map((r) => at(r.loc))).toEqual(['policies/users.yaml:3:3']);
  });

  it('leaves a key of an unknown user to unknown-references', () => {
    const { diagnostics } = validateYaml({ 'policies/keys.yaml': yaml('api_keys:', '  chatbot: { user: bot@acme.com }') });
    expect(withCode(diagnostics, 'E-API-KEY-USER')).toEqual([]);
    expect(withCode(diagnostics, 'E-UNKNOWN-REF').map((d) => at(d.loc))).toEqual(['policies/keys.yaml:2:20']);
  });
});
