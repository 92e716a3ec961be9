import { describe, expect, it } from 'vitest';
import { subjectAccess } from '../../src/resolve/access.js';
import { resolve } from '../../src/resolve/resolve.js';
import { buildPolicy, type PolicySpec } from '../helpers/policy-builder.js';

const spec: PolicySpec = {
  attributes: { country: { type: 'string' }, region: { type: 'string' }, store_id: { type: 'integer' } },
  subjects: {
    sales: {
      restricted: true,
      fields: {
        country: { column: 'country_name', type: 'string' },
        store_id: 'integer',
        sold_at: 'date',
        owner_email: 'string',
        region: 'string',
        amount: 'number',
      },
    },
    catalog: { fields: { region: 'string' } },
    hr: { restricted: true },
  },
  roles: { auditor: { permissions: ['security.view'], row_rules: 'bypass' } },
  groups: {
    apac: { subjects: ['sales'], attributes: { region: ['APAC'] } },
    vietnam: { inherits: ['apac'], attributes: { country: ['Vietnam'] } },
    merchants: {},
    king: { inherits: ['merchants'] },
    audit: { roles: ['auditor'], subjects: ['sales'] },
    global: { subjects: ['sales'], attributes: { country: 'all' } },
  },
  users: {
    'vn@acme.com': { groups: ['vietnam'] },
    'outsider@acme.com': {},
    'admin@acme.com': { admin: true },
    'auditor@acme.com': { groups: ['audit'] },
    'leaver@acme.com': { groups: ['vietnam'], disabled: true },
    'king@acme.com': { groups: ['vietnam', 'king'], attributes: { store_id: [3, 1] } },
    'listed@acme.com': { groups: ['vietnam'] },
    'none@acme.com': { groups: ['apac'] },
    'global@acme.com': { groups: ['global'] },
  },
  rules: {
    'sales-by-country': { subject: 'sales', field: 'country', operator: 'in', attribute: 'country' },
    'sales-not-test-stores': { subject: 'sales', field: 'store_id', operator: 'not_in', values: [999, '0', 0] },
    'sales-recent': { subject: 'sales', field: 'sold_at', operator: 'last', modifier: { days: 90 } },
    'sales-owner-or-region': {
      subject: 'sales',
      any: [
        { field: 'owner_email', operator: 'eq', attribute: 'user.email' },
        { field: 'region', operator: 'in', attribute: 'region' },
      ],
      applies_to: { groups: ['merchants'], users: ['listed@acme.com'] },
    },
    'sales-big': { subject: 'sales', field: 'amount', operator: 'between', values: [1000, 10] },
    'catalog-region': { subject: 'catalog', field: 'region', operator: 'in', attribute: 'region' },
  },
};

const built = buildPolicy(spec);
const model = resolve(built.policy);

describe('subject access (SPEC 4)', () => {
  it('opens a restricted subject only to members of a granted group, inherited grants included', () => {
    const access = subjectAccess(model, 'vn@acme.com', 'sales');
    expect(access.access).toBe(true);
    expect(access.because).toEqual([{ source: 'group', group: 'apac', path: ['vietnam', 'apac'], loc: built.loc('groups.apac.subjects.0') }]);
    expect(subjectAccess(model, 'outsider@acme.com', 'sales')).toEqual({ subject: 'sales', access: false, because: [], filters: [] });
    expect(subjectAccess(model, 'vn@acme.com', 'hr').access).toBe(false);
  });

  it('opens an unrestricted subject to every enabled user', () => {
    expect(subjectAccess(model, 'outsider@acme.com', 'catalog').access).toBe(true);
  });

  it('restricts every subject under enforce_subject_access', () => {
    const m = resolve(buildPolicy({ ...spec, settings: { enforce_subject_access: true } }).policy);
    expect(subjectAccess(m, 'outsider@acme.com', 'catalog').access).toBe(false);
    expect(subjectAccess(m, 'vn@acme.com', 'sales').access).toBe(true);
  });

  it('lets administrators access every subject, unfiltered', () => {
    const access = subjectAccess(model, 'admin@acme.com', 'hr');
    expect(access).toEqual({ subject: 'hr', access: true, because: [{ source: 'admin', login: 'admin@acme.com', loc: built.loc('users.admin@acme.com') }], filters: [] });
    expect(subjectAccess(model, 'admin@acme.com', 'sales').filters).toEqual([]);
  });

  it('gives a disabled user nothing', () => {
    expect(subjectAccess(model, 'leaver@acme.com', 'sales')).toMatchObject({ access: false, filters: [] });
    expect(subjectAccess(model, 'leaver@acme.com', 'catalog')).toMatchObject({ access: false, filters: [] });
  });

  it('denies an unknown user or subject', () => {
    expect(subjectAccess(model, 'who@acme.com', 'sales').access).toBe(false);
    expect(subjectAccess(model, 'vn@acme.com', 'nothing').access).toBe(false);
  });
});

describe('row filters (SPEC 4)', () => {
  it('ANDs every rule that applies, sorted by rule name, with values substituted and typed', () => {
    const { filters } = subjectAccess(model, 'vn@acme.com', 'sales');
    expect(filters.map((f) => f.rule)).toEqual(['sales-big', 'sales-by-country', 'sales-not-test-stores', 'sales-recent']);
    expect(filters[1]).toEqual({
      rule: 'sales-by-country',
      loc: built.loc('rules.sales-by-country'),
      field: 'country',
      column: 'country_name',
      type: 'string',
      operator: 'in',
      values: ['Vietnam'],
      attribute: 'country',
    });
    // Static values are typed by the field, de-duplicated and sorted numerically.
    expect(filters[2]).toMatchObject({ operator: 'not_in', values: [0, 999], type: 'integer' });
    expect(filters[0]).toMatchObject({ operator: 'between', values: [10, 1000], type: 'number' });
    expect(filters[3]).toMatchObject({ operator: 'last', modifier: { unit: 'days', amount: 90 } });
    expect(filters[3]).not.toHaveProperty('values');
  });

  it('substitutes `all` and none (empty, which denies) as they are', () => {
    expect(subjectAccess(model, 'global@acme.com', 'sales').filters.find((f) => f.rule === 'sales-by-country')).toMatchObject({ values: 'all' });
    expect(subjectAccess(model, 'none@acme.com', 'sales').filters.find((f) => f.rule === 'sales-by-country')).toMatchObject({ values: [] });
  });

  it('applies a rule with applies_to to listed users and members of listed groups, through inheritance', () => {
    const king = subjectAccess(model, 'king@acme.com', 'sales').filters.find((f) => f.rule === 'sales-owner-or-region');
    expect(king).toEqual({
      rule: 'sales-owner-or-region',
      loc: built.loc('rules.sales-owner-or-region'),
      any: [
        { field: 'owner_email', column: 'owner_email', type: 'string', operator: 'eq', values: ['king@acme.com'], attribute: 'user.email' },
        { field: 'region', column: 'region', type: 'string', operator: 'in', values: ['APAC'], attribute: 'region' },
      ],
    });
    expect(subjectAccess(model, 'listed@acme.com', 'sales').filters.some((f) => f.rule === 'sales-owner-or-region')).toBe(true);
    expect(subjectAccess(model, 'vn@acme.com', 'sales').filters.some((f) => f.rule === 'sales-owner-or-region')).toBe(false);
  });

  it('drops every filter for a user whose role bypasses row rules', () => {
    const access = subjectAccess(model, 'auditor@acme.com', 'sales');
    expect(access.access).toBe(true);
    expect(access.filters).toEqual([]);
  });

  it('filters unrestricted subjects too', () => {
    expect(subjectAccess(model, 'outsider@acme.com', 'catalog').filters).toMatchObject([{ rule: 'catalog-region', values: [] }]);
  });
});
