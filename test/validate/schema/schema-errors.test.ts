import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { checkDocumentsSchema } from '../../../src/validate/schema-check.js';
import { documentsOf, yaml } from './helpers.js';

/** Schema diagnostics of one file, as `line:column code` plus the diagnostic for detail checks. */
function check(text: string, file = 'policies/p.yaml'): Diagnostic[] {
  return checkDocumentsSchema(documentsOf(file, text));
}

function only(text: string): Diagnostic {
  const diagnostics = check(text);
  expect(diagnostics.map((d) => `${d.loc.line}:${d.loc.column} ${d.code} ${d.message}`)).toHaveLength(1);
  return diagnostics[0];
}

function at(d: Diagnostic): string {
  return `${d.loc.file}:${d.loc.line}:${d.loc.column}`;
}

describe('valid documents', () => {
  it('accepts every section of SPEC section 3', () => {
    const diagnostics = check(yaml`
      settings: { enforce_subject_access: false, default_group: everyone, base_role: user }
      attributes:
        country: { type: string, description: Country a manager is responsible for }
        store_id: { type: integer }
        since: { type: date, default: all }
        region: { type: string, default: none }
        tier: { type: integer, default: [0] }
      subjects:
        sales:
          description: Store transactions
          restricted: true
          table: public.sales
          fields:
            country: { column: country_name, type: string }
            store_id: { column: store_id, type: integer }
            sold_at: { type: date }
          platforms:
            holistics: { dataset: ecommerce, models: { country: ecommerce_countries } }
            gooddata: { attributes: { country: /gdc/md/abc123/obj/1049 } }
            inmydata: { subject: Sales }
      roles:
        regional_lead: { extends: [dashboard_analyzer], permissions: [catalog.manage], row_rules: enforce, incorta_roles: [analyze_user] }
      groups:
        apac:
          description: Asia-Pacific managers
          inherits: [staff]
          roles: [dashboard_analyzer]
          subjects: [sales]
          attributes: { region: [APAC] }
          home: { dashboard: sales-overview }
          api_keys: enabled
          members: [ops@acme.com]
      users:
        ceo@acme.com: { name: Chief Executive, attributes: { country: all, merchant: all } }
        admin@acme.com: { admin: true, email: admin@acme.com }
        leaver@acme.com: { disabled: true, api_keys: disabled, home: { category: finance }, db_role: leaver }
      api_keys:
        sales-chatbot: { user: bot@acme.com, description: Sales assistant, expires: 2027-06-30 }
      rules:
        sales-by-country: { subject: sales, field: country, operator: in, attribute: country }
        sales-not-test-stores: { subject: sales, field: store_id, operator: not_in, values: [0, 999] }
        sales-recent: { subject: sales, field: sold_at, operator: last, modifier: { days: 90 } }
        sales-owner-or-region:
          subject: sales
          any:
            - { field: owner_email, operator: eq, attribute: user.email }
            - { field: region, operator: in, attribute: region }
          applies_to: { groups: [merchants] }
    `);
    expect(diagnostics).toEqual([]);
  });

  it('accepts a user `roles` key so that the semantic check can explain it', () => {
    expect(check('users:\n  a@acme.com: { roles: [super_role] }\n')).toEqual([]);
  });
});

describe('unknown keys', () => {
  it('points at an unknown section with a suggestion', () => {
    const d = only('grups:\n  apac: {}\n');
    expect(d.code).toBe('E-UNKNOWN-KEY');
    expect(at(d)).toBe('policies/p.yaml:1:1');
    expect(d.message).toBe('unknown section "grups"');
    expect(d.hint).toBe('did you mean "groups"?');
  });

  it('points at a misspelt key inside a definition, not at the definition', () => {
    const d = only(yaml`
      groups:
        apac:
          description: APAC
          inherit: [staff]
    `);
    expect(d.code).toBe('E-UNKNOWN-KEY');
    expect(at(d)).toBe('policies/p.yaml:4:5');
    expect(d.message).toBe('unknown key "inherit" in groups.apac');
    expect(d.hint).toBe('did you mean "inherits"?');
  });

  it('reports a misspelt required key once, as the unknown key', () => {
    const d = only('rules:\n  r: { subject: s, field: f, operater: in, attribute: a }\n');
    expect(d.code).toBe('E-UNKNOWN-KEY');
    expect(at(d)).toBe('policies/p.yaml:2:30');
    expect(d.hint).toBe('did you mean "operator"?');
  });

  it('lists the allowed keys when nothing is close', () => {
    const d = only('groups:\n  apac: { home: { page: x } }\n');
    expect(d.code).toBe('E-UNKNOWN-KEY');
    expect(at(d)).toBe('policies/p.yaml:2:19');
    expect(d.hint).toBe('expected one of: category, dashboard');
  });

  it('quotes logins in the path of the message', () => {
    const d = only('users:\n  ceo@acme.com: { nmae: Chief }\n');
    expect(d.message).toBe('unknown key "nmae" in users["ceo@acme.com"]');
    expect(d.hint).toBe('did you mean "name"?');
  });
});

describe('wrong types', () => {
  it('reports a scalar where a list is expected, at the value', () => {
    const d = only('users:\n  a@acme.com:\n    groups: apac\n');
    expect(d.code).toBe('E-SCHEMA-TYPE');
    expect(at(d)).toBe('policies/p.yaml:3:13');
    expect(d.message).toBe('users["a@acme.com"].groups: expected a list, found "apac"');
  });

  it('reports an empty section', () => {
    const d = only('groups:\n');
    expect(d.code).toBe('E-SCHEMA-TYPE');
    expect(d.loc.line).toBe(1);
    expect(d.message).toBe('groups: expected a mapping, found nothing');
  });

  it('reports a document that is not a mapping', () => {
    const d = only('- groups\n- users\n');
    expect(d.code).toBe('E-SCHEMA-TYPE');
    expect(at(d)).toBe('policies/p.yaml:1:1');
  });

  it('explains attribute values given as a single scalar, once', () => {
    const d = only('groups:\n  vietnam:\n    attributes: { country: Vietnam }\n');
    expect(d.code).toBe('E-SCHEMA-TYPE');
    expect(at(d)).toBe('policies/p.yaml:3:28');
    expect(d.message).toContain('attribute values are `all` or a list such as [Vietnam]');
  });

  it('reports the bad item when a list of attribute values holds a mapping', () => {
    const d = only('groups:\n  vietnam:\n    attributes: { country: [Vietnam, { a: 1 }] }\n');
    expect(d.code).toBe('E-SCHEMA-TYPE');
    expect(at(d)).toBe('policies/p.yaml:3:38');
    expect(d.message).toBe('groups.vietnam.attributes.country[1]: expected text, a number or true/false, found a mapping');
  });

  it('reports a boolean given as text (YAML 1.2: `yes` is text)', () => {
    const d = only('users:\n  a@acme.com: { admin: yes }\n');
    expect(d.code).toBe('E-SCHEMA-TYPE');
    expect(at(d)).toBe('policies/p.yaml:2:24');
    expect(d.message).toContain('expected true/false');
  });
});

describe('names', () => {
  it('reports a bad definition name at the name', () => {
    const d = only('groups:\n  Sales Team: {}\n');
    expect(d.code).toBe('E-INVALID-NAME');
    expect(at(d)).toBe('policies/p.yaml:2:3');
    expect(d.message).toBe('invalid name in groups: "Sales Team"');
  });

  it('reports a bad name given as a setting value', () => {
    const d = only('settings:\n  default_group: All Staff\n');
    expect(d.code).toBe('E-INVALID-NAME');
    expect(at(d)).toBe('policies/p.yaml:2:18');
  });

  it('rejects a login with a control character', () => {
    const d = only('users:\n  "bad\\u0007login": {}\n');
    expect(d.code).toBe('E-INVALID-NAME');
    expect(d.loc.line).toBe(2);
  });

  it('refuses to define a user.* (system) attribute, at the name', () => {
    const d = only('attributes:\n  user.region: { type: string }\n');
    expect(d.code).toBe('E-SYSTEM-ATTRIBUTE');
    expect(at(d)).toBe('policies/p.yaml:2:3');
  });

  it('refuses to assign a system attribute on a group or user', () => {
    const diagnostics = check('groups:\n  g: { attributes: { user.email: [x] } }\nusers:\n  a@acme.com: { attributes: { user.login: [y] } }\n');
    expect(diagnostics.map((d) => `${d.loc.line}:${d.loc.column} ${d.code}`)).toEqual(['2:22 E-SYSTEM-ATTRIBUTE', '4:31 E-SYSTEM-ATTRIBUTE']);
  });

  it('lets rules compare with system attributes', () => {
    expect(check('rules:\n  r: { subject: s, field: owner, operator: eq, attribute: user.email }\n')).toEqual([]);
  });
});

describe('values', () => {
  it('suggests the closest allowed value', () => {
    const d = only('attributes:\n  store: { type: intger }\n');
    expect(d.code).toBe('E-INVALID-VALUE');
    expect(at(d)).toBe('policies/p.yaml:2:18');
    expect(d.hint).toBe('did you mean "integer"?');
  });

  it('checks permissions', () => {
    const d = only('roles:\n  lead: { permissions: [catalog.view, catalog.edit] }\n');
    expect(d.code).toBe('E-INVALID-VALUE');
    expect(at(d)).toBe('policies/p.yaml:2:39');
  });

  it('checks dates by the calendar', () => {
    const d = only('api_keys:\n  bot: { user: bot@acme.com, expires: 2027-02-30 }\n');
    expect(d.code).toBe('E-INVALID-VALUE');
    expect(at(d)).toBe('policies/p.yaml:2:39');
    expect(d.message).toBe('api_keys.bot.expires: "2027-02-30" is not a date written YYYY-MM-DD');
  });

  it('reports a duplicate list item at the second one, pointing back at the first', () => {
    const d = only('groups:\n  apac:\n    inherits: [staff, asia, staff]\n');
    expect(d.code).toBe('E-DUPLICATE-ITEM');
    expect(at(d)).toBe('policies/p.yaml:3:29');
    expect(d.related).toEqual([{ message: 'first listed here', loc: expect.objectContaining({ line: 3, column: 16 }) }]);
  });

  it('asks for one unit in a modifier', () => {
    const d = only('rules:\n  r: { subject: s, field: f, operator: last, modifier: { days: 1, weeks: 2 } }\n');
    expect(d.code).toBe('E-INVALID-VALUE');
    expect(d.message).toContain('a modifier has exactly one unit');
  });

  it('refuses a home page that is both a dashboard and a category', () => {
    const d = only('groups:\n  apac:\n    home: { dashboard: a, category: b }\n');
    expect(d.code).toBe('E-INVALID-VALUE');
    expect(d.message).toBe('groups.apac.home: a home page is either a dashboard or a category, not both');
  });
});

describe('required keys and the shape of rules', () => {
  it('reports a missing key at the name of the definition', () => {
    const d = only('attributes:\n  country: { description: x }\n');
    expect(d.code).toBe('E-MISSING-KEY');
    expect(at(d)).toBe('policies/p.yaml:2:3');
    expect(d.message).toBe('attributes.country is missing the required key "type"');
  });

  it('asks a rule for a condition or `any`', () => {
    const d = only('rules:\n  r: { subject: s }\n');
    expect(d.code).toBe('E-MISSING-KEY');
    expect(at(d)).toBe('policies/p.yaml:2:3');
    expect(d.message).toBe('rules.r: a rule needs `field` and `operator` (one condition) or `any` (a list of conditions)');
  });

  it('asks a condition for an attribute or values', () => {
    const d = only('rules:\n  r: { subject: s, field: f, operator: in }\n');
    expect(d.code).toBe('E-MISSING-KEY');
    expect(d.message).toContain('a condition compares `field` with a user `attribute` or with static `values`');
  });

  it('refuses attribute and values together, at the second key', () => {
    const d = only('rules:\n  r: { subject: s, field: f, operator: in, attribute: a, values: [1] }\n');
    expect(d.code).toBe('E-CONFLICTING-KEYS');
    expect(at(d)).toBe('policies/p.yaml:2:58');
  });

  it('explains that last/next take a modifier, once', () => {
    const d = only('rules:\n  r: { subject: s, field: f, operator: last, values: [90] }\n');
    expect(d.code).toBe('E-CONFLICTING-KEYS');
    expect(at(d)).toBe('policies/p.yaml:2:46');
    expect(d.message).toBe('rules.r: `values` does not apply to last/next, which take a `modifier` such as { days: 90 }');
  });

  it('asks last/next for a modifier', () => {
    const d = only('rules:\n  r: { subject: s, field: f, operator: next }\n');
    expect(d.code).toBe('E-MISSING-KEY');
    expect(d.message).toContain('operators last and next need a `modifier`');
  });

  it('refuses a modifier on other operators', () => {
    const d = only('rules:\n  r: { subject: s, field: f, operator: in, attribute: a, modifier: { days: 1 } }\n');
    expect(d.code).toBe('E-CONFLICTING-KEYS');
    expect(d.message).toContain('`modifier` only applies to operators last and next');
  });

  it('refuses condition keys next to `any`', () => {
    const d = only('rules:\n  r:\n    subject: s\n    field: f\n    any: [{ field: g, operator: in, values: [1] }]\n');
    expect(d.code).toBe('E-CONFLICTING-KEYS');
    expect(at(d)).toBe('policies/p.yaml:4:5');
  });

  it('checks each condition inside `any`', () => {
    const d = only('rules:\n  r:\n    subject: s\n    any:\n      - { field: g, operator: in, values: [1] }\n      - { field: h, operator: eq }\n');
    expect(d.code).toBe('E-MISSING-KEY');
    expect(at(d)).toBe('policies/p.yaml:6:9');
  });
});

describe('several problems', () => {
  it('reports each, in every document of a file, with the document file', () => {
    const diagnostics = check('groups:\n  apac: { rols: [a] }\n---\nusers:\n  a@acme.com: { admin: 1 }\n', 'policies/multi.yaml');
    expect(diagnostics.map((d) => `${at(d)} ${d.code}`)).toEqual(['policies/multi.yaml:2:11 E-UNKNOWN-KEY', 'policies/multi.yaml:5:24 E-SCHEMA-TYPE']);
  });
});
