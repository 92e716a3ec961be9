import { describe, expect, it } from 'vitest';
import { explainJson, formatExplainJson } from '../../src/resolve/explain-json.js';
import { resolve } from '../../src/resolve/resolve.js';
import { buildPolicy } from '../helpers/policy-builder.js';
import { SPEC_EXAMPLE } from './fixtures/spec-example.js';

const SPEC_OUTPUT = `{
  "user": "apac.lead@acme.com",
  "enabled": true,
  "groups": ["apac", "everyone", "malaysia", "singapore", "vietnam"],
  "roles": ["dashboard_analyzer", "user"],
  "permissions": ["catalog.share", "catalog.view"],
  "bypass_row_rules": false,
  "home": { "dashboard": "sales-overview" },
  "attributes": { "country": ["Malaysia", "Singapore", "Vietnam"], "merchant": [], "region": ["APAC"] },
  "subjects": {
    "sales": {
      "access": true,
      "filters": [
        { "rule": "sales-by-country", "field": "country", "operator": "in",
          "values": ["Malaysia", "Singapore", "Vietnam"] }
      ]
    }
  }
}`;

const model = resolve(buildPolicy(SPEC_EXAMPLE).policy);
const ok = (login: string, subject?: string) => {
  const result = explainJson(model, login, subject);
  if (!result.ok) throw new Error(result.diagnostics[0].message);
  return result.value;
};

describe('explainJson (SPEC 7)', () => {
  it("prints exactly the spec's example, keys in the spec's order", () => {
    const text = formatExplainJson(ok('apac.lead@acme.com'));
    expect(text).toBe(`${JSON.stringify(JSON.parse(SPEC_OUTPUT), null, 2)}\n`);
  });

  it('shows `all` values as the string "all"', () => {
    const ceo = ok('ceo@acme.com');
    expect(ceo.attributes).toEqual({ country: 'all', merchant: 'all', region: ['APAC'] });
    expect(ceo.subjects.sales.filters).toEqual([{ rule: 'sales-by-country', field: 'country', operator: 'in', values: 'all' }]);
  });

  it('gives a bypassing user access with no filters', () => {
    const admin = ok('admin@acme.com');
    expect(admin.bypass_row_rules).toBe(true);
    expect(admin.subjects).toEqual({ sales: { access: true, filters: [] } });
  });

  it('gives a disabled user nothing', () => {
    expect(ok('leaver@acme.com')).toEqual({
      user: 'leaver@acme.com',
      enabled: false,
      groups: [],
      roles: [],
      permissions: [],
      bypass_row_rules: false,
      home: null,
      attributes: { country: [], merchant: [], region: [] },
      subjects: { sales: { access: false, filters: [] } },
    });
  });

  it('shows `any` rules and last/next modifiers in their documented shapes', () => {
    const m = resolve(
      buildPolicy({
        ...SPEC_EXAMPLE,
        subjects: { sales: { fields: { country: 'string', region: 'string', sold_at: 'date' } }, stock: {} },
        rules: {
          recent: { subject: 'sales', field: 'sold_at', operator: 'next', modifier: { weeks: 2 } },
          either: {
            subject: 'sales',
            any: [
              { field: 'country', operator: 'in', attribute: 'country' },
              { field: 'region', operator: 'ne', values: ['EU'] },
            ],
          },
        },
      }).policy,
    );
    const result = explainJson(m, 'apac.lead@acme.com');
    expect(result.ok && result.value.subjects).toEqual({
      sales: {
        access: true,
        filters: [
          {
            rule: 'either',
            any: [
              { field: 'country', operator: 'in', values: ['Malaysia', 'Singapore', 'Vietnam'] },
              { field: 'region', operator: 'ne', values: ['EU'] },
            ],
          },
          { rule: 'recent', field: 'sold_at', operator: 'next', modifier: { weeks: 2 } },
        ],
      },
      stock: { access: true, filters: [] },
    });
  });

  it('limits the output to one subject when asked', () => {
    expect(Object.keys(ok('apac.lead@acme.com', 'sales').subjects)).toEqual(['sales']);
  });

  it('answers an unknown login with E-UNKNOWN-USER and a did-you-mean hint', () => {
    const result = explainJson(model, 'apac.led@acme.com');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics).toMatchObject([{ code: 'E-UNKNOWN-USER', severity: 'error', hint: 'did you mean "apac.lead@acme.com"?' }]);
    expect(result.diagnostics[0].loc).toMatchObject({ line: 1, column: 1 });
  });

  it('answers an unknown subject with E-UNKNOWN-SUBJECT', () => {
    const result = explainJson(model, 'apac.lead@acme.com', 'sale');
    expect(result.ok ? [] : result.diagnostics).toMatchObject([{ code: 'E-UNKNOWN-SUBJECT', hint: 'did you mean "sales"?' }]);
  });
});
