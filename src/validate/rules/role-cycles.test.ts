import { describe, expect, it } from 'vitest';
import { at, validateYaml, withCode } from '../../../test/helpers/validate-yaml.js';

const yaml = (...lines: string[]): string => lines.join('\n') + '\n';

describe('role-cycles', () => {
  it('names the extends cycle and points at every extends entry in it', () => {
    const { diagnostics } = validateYaml({
      'policies/roles.yaml': yaml(
        'roles:',
        '  lead:',
        '    extends: [manager, dashboard_analyzer]',
        '  manager:',
        '    extends: [lead]',
      ),
    });
    const cycles = withCode(diagnostics, 'E-CYCLE');
    expect(cycles.map((d) => [d.message, at(d.loc)])).toEqual([['role extends cycle: lead -> manager -> lead', 'policies/roles.yaml:3:15']]);
    expect(cycles[0]!.related!.map((r) => [r.message, at(r.loc)])).toEqual([
      ['role "lead" extends "manager"', 'policies/roles.yaml:3:15'],
      ['role "manager" extends "lead"', 'policies/roles.yaml:5:15'],
    ]);
  });

  it('accepts roles extending built-in roles and each other without a cycle', () => {
    const { diagnostics } = validateYaml({
      'policies/roles.yaml': yaml('roles:', '  a: { extends: [b, user] }', '  b: { extends: [super_role] }'),
    });
    expect(withCode(diagnostics, 'E-CYCLE')).toEqual([]);
  });
});
