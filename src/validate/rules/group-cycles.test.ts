import { describe, expect, it } from 'vitest';
import { at, validateYaml, withCode } from '../../../test/helpers/validate-yaml.js';

const yaml = (...lines: string[]): string => lines.join('\n') + '\n';

describe('group-cycles', () => {
  it('names the cycle and points at every inherits entry in it', () => {
    const { diagnostics } = validateYaml({
      'policies/groups.yaml': yaml(
        'groups:',
        '  c: { inherits: [a] }',
        '  b: { inherits: [c] }',
        '  a: { inherits: [b] }',
        '  d: { inherits: [a] }',
      ),
    });
    const cycles = withCode(diagnostics, 'E-CYCLE');
    expect(cycles).toHaveLength(1);
    const [d] = cycles;
    expect(d!.message).toBe('group inheritance cycle: a -> b -> c -> a');
    expect(at(d!.loc)).toBe('policies/groups.yaml:4:19');
    expect(d!.related!.map((r) => [r.message, at(r.loc)])).toEqual([
      ['group "a" inherits "b"', 'policies/groups.yaml:4:19'],
      ['group "b" inherits "c"', 'policies/groups.yaml:3:19'],
      ['group "c" inherits "a"', 'policies/groups.yaml:2:19'],
    ]);
  });

  it('reports a group inheriting itself, and separate cycles separately', () => {
    const { diagnostics } = validateYaml({
      'policies/groups.yaml': yaml('groups:', '  x: { inherits: [x] }', '  p: { inherits: [q] }', '  q: { inherits: [p] }'),
    });
    expect(withCode(diagnostics, 'E-CYCLE').map((d) => [d.message, at(d.loc)])).toEqual([
      ['group inheritance cycle: x -> x', 'policies/groups.yaml:2:19'],
      ['group inheritance cycle: p -> q -> p', 'policies/groups.yaml:3:19'],
    ]);
  });

  it('accepts diamonds and long chains', () => {
    const chain = Array.from({ length: 3000 }, (_, i) => `  g${i}: { inherits: [g${i + 1}] }`);
    const { diagnostics } = validateYaml({
      'policies/groups.yaml': yaml('groups:', '  top: { inherits: [l, r] }', '  l: { inherits: [base] }', '  r: { inherits: [base] }', '  base: {}', ...chain, '  g3000: {}'),
    });
    expect(withCode(diagnostics, 'E-CYCLE')).toEqual([]);
  });
});
