import { describe, expect, it } from 'vitest';
import { resolve } from '../../src/resolve/resolve.js';
import { buildPolicy, type PolicySpec } from '../helpers/policy-builder.js';

const spec = (users: PolicySpec['users']): PolicySpec => ({
  attributes: { max_amount: { type: 'number' } },
  subjects: { sales: { fields: { amount: 'number' } } },
  groups: { small: { attributes: { max_amount: [100] } }, big: { attributes: { max_amount: [1000] } } },
  users,
  rules: { 'sales-cap': { subject: 'sales', field: 'amount', operator: 'le', attribute: 'max_amount' } },
});

describe('single-value comparisons against attributes (SPEC 4: more than one value is an error)', () => {
  it('accepts users with one value, none or all', () => {
    const m = resolve(buildPolicy(spec({ a: { groups: ['small'] }, b: {}, c: { attributes: { max_amount: 'all' } } })).policy);
    expect(m.diagnostics).toEqual([]);
  });

  it('reports a user holding several values, at the operator, pointing at where the values come from', () => {
    const built = buildPolicy(spec({ a: { groups: ['small', 'big'] }, b: { groups: ['small'] }, c: { attributes: { max_amount: [1, 2, 3] } } }));
    const m = resolve(built.policy);
    expect(m.diagnostics).toHaveLength(1);
    const [d] = m.diagnostics;
    expect(d).toMatchObject({ code: 'E-OPERATOR-ARITY', severity: 'error', loc: built.loc('rules.sales-cap.condition.operator') });
    expect(d.message).toContain('2 users hold several: a (2), c (3)');
    expect(d.related).toEqual([
      { message: 'a gets 2 values of max_amount here', loc: built.loc('groups.small.attributes.max_amount') },
      { message: 'c gets 3 values of max_amount here', loc: built.loc('users.c.attributes.max_amount') },
    ]);
  });

  it('ignores users the rule does not filter: disabled or bypassing', () => {
    const m = resolve(buildPolicy(spec({ a: { groups: ['small', 'big'], disabled: true }, b: { groups: ['small', 'big'], admin: true } })).policy);
    expect(m.diagnostics).toEqual([]);
  });
});
