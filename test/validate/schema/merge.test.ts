import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { BUILTIN_LOC, BUILTIN_ROLE_NAMES } from '../../../src/validate/merge-builtins.js';
import { mergeDocuments } from '../../../src/validate/merge.js';
import { checkDocumentsSchema } from '../../../src/validate/schema-check.js';
import { loadOf, yaml } from './helpers.js';

/** Merges files given in path order, insisting that they are schema-valid (merge's precondition). */
function merge(files: Record<string, string>) {
  const { documents } = loadOf(files);
  expect(checkDocumentsSchema(documents)).toEqual([]);
  return mergeDocuments(documents);
}

function where(d: Diagnostic): string {
  return `${d.loc.file}:${d.loc.line}:${d.loc.column}`;
}

describe('defaults', () => {
  it('gives the settings of SPEC section 3, the built-in roles and the implicit default group', () => {
    const { policy, diagnostics } = merge({ 'policies/a.yaml': 'users:\n  a@acme.com: {}\n' });
    expect(diagnostics).toEqual([]);
    expect(policy.settings).toEqual({ enforceSubjectAccess: false, defaultGroup: 'everyone', baseRole: 'user', locs: {} });
    expect([...policy.roles.keys()]).toEqual([...BUILTIN_ROLE_NAMES]);
    const everyone = policy.groups.get('everyone');
    expect(everyone).toMatchObject({ name: 'everyone', implicit: true, loc: BUILTIN_LOC, inherits: [], roles: [], members: [] });
  });

  it('defines the built-in roles after Incorta', () => {
    const { policy } = merge({ 'policies/a.yaml': 'groups: {}\n' });
    const permissions = (name: string) => policy.roles.get(name)!.permissions.map((p) => p.value);
    expect(permissions('user')).toEqual(['catalog.view']);
    expect(permissions('analyze_user')).toEqual(['catalog.manage', 'schema.view']);
    expect(permissions('dashboard_analyzer')).toEqual(['catalog.share']);
    expect(permissions('individual_analyzer')).toEqual(['catalog.manage', 'schema.view']);
    expect(permissions('privileged_user')).toEqual(['catalog.share']);
    expect(permissions('schema_manager')).toEqual(['schema.manage', 'data.manage']);
    expect(permissions('user_manager')).toEqual(['security.manage']);
    expect(permissions('super_role')).toEqual(['security.manage', 'catalog.manage', 'schema.manage', 'data.manage']);
    const superRole = policy.roles.get('super_role')!;
    expect([superRole.builtin, superRole.rowRules, superRole.impersonate]).toEqual([true, 'bypass', true]);
    expect(policy.roles.get('user')!.rowRules).toBe('enforce');
  });

  it('creates the configured default group when no file defines it, at the setting', () => {
    const { policy } = merge({ 'policies/a.yaml': 'settings:\n  default_group: staff\n  base_role: analyst\n  enforce_subject_access: true\n' });
    expect(policy.settings).toMatchObject({ defaultGroup: 'staff', baseRole: 'analyst', enforceSubjectAccess: true });
    expect(policy.groups.get('staff')).toMatchObject({ implicit: true, loc: { file: 'policies/a.yaml', line: 2, column: 18 } });
    expect(policy.groups.has('everyone')).toBe(false);
  });

  it('keeps a defined default group as written', () => {
    const { policy } = merge({ 'policies/a.yaml': 'groups:\n  everyone: { roles: [dashboard_analyzer] }\n' });
    expect(policy.groups.get('everyone')).toMatchObject({ implicit: false, roles: [{ value: 'dashboard_analyzer' }] });
  });
});

describe('several files and documents', () => {
  it('merges sections from every file and document, in source order, with their positions', () => {
    const { policy, diagnostics } = merge({
      'policies/groups.yaml': 'groups:\n  apac: { inherits: [staff] }\n---\ngroups:\n  staff: {}\n',
      'policies/people/users.yaml': 'users:\n  lead@acme.com:\n    groups: [apac]\n',
    });
    expect(diagnostics).toEqual([]);
    expect([...policy.groups.keys()]).toEqual(['apac', 'staff', 'everyone']);
    expect(policy.groups.get('staff')!.loc).toEqual(expect.objectContaining({ file: 'policies/groups.yaml', line: 5, column: 3 }));
    const lead = policy.users.get('lead@acme.com')!;
    expect(lead.loc).toEqual(expect.objectContaining({ file: 'policies/people/users.yaml', line: 2, column: 3 }));
    expect(lead.groups).toEqual([{ value: 'apac', loc: expect.objectContaining({ file: 'policies/people/users.yaml', line: 3, column: 14 }) }]);
  });

  it('reports a name defined twice across files at the second, pointing at the first', () => {
    const { policy, diagnostics } = merge({
      'policies/a.yaml': 'groups:\n  apac: { description: first }\n',
      'policies/b.yaml': 'roles:\n  lead: {}\ngroups:\n  apac: { description: second }\n',
    });
    expect(diagnostics).toHaveLength(1);
    const [d] = diagnostics;
    expect(d.code).toBe('E-DUPLICATE-DEFINITION');
    expect(d.message).toBe('group "apac" is defined twice');
    expect(where(d)).toBe('policies/b.yaml:4:3');
    expect(d.related?.map((r) => `${r.loc.file}:${r.loc.line}:${r.loc.column}`)).toEqual(['policies/a.yaml:2:3']);
    expect(policy.groups.get('apac')!.description).toBe('first');
  });

  it('reports duplicates between documents of one file, for every kind of definition', () => {
    const sections = ['attributes', 'subjects', 'roles', 'groups', 'users', 'api_keys', 'rules'];
    const body: Record<string, string> = {
      attributes: 'x: { type: string }',
      subjects: 'x: {}',
      roles: 'x: {}',
      groups: 'x: {}',
      users: 'x: {}',
      api_keys: 'x: { user: u }',
      rules: 'x: { subject: s, field: f, operator: in, values: [1] }',
    };
    const doc = sections.map((s) => `${s}:\n  ${body[s]}\n`).join('');
    const { diagnostics } = merge({ 'policies/a.yaml': `${doc}---\n${doc}` });
    expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      'E-DUPLICATE-DEFINITION attribute "x" is defined twice',
      'E-DUPLICATE-DEFINITION subject "x" is defined twice',
      'E-DUPLICATE-DEFINITION role "x" is defined twice',
      'E-DUPLICATE-DEFINITION group "x" is defined twice',
      'E-DUPLICATE-DEFINITION user "x" is defined twice',
      'E-DUPLICATE-DEFINITION API key "x" is defined twice',
      'E-DUPLICATE-DEFINITION rule "x" is defined twice',
    ]);
    // The second document starts after `---` on line 15: each duplicate is at its own line there, pointing back.
    expect(diagnostics.map((d) => [d.loc.line, d.related![0].loc.line])).toEqual([
      [17, 2], [19, 4], [21, 6], [23, 8], [25, 10], [27, 12], [29, 14],
    ]);
  });

  it('refuses to redefine a built-in role', () => {
    const { policy, diagnostics } = merge({ 'policies/a.yaml': 'roles:\n  super_role: { permissions: [catalog.view] }\n' });
    expect(diagnostics.map((d) => `${where(d)} ${d.code}`)).toEqual(['policies/a.yaml:2:3 E-BUILTIN-ROLE-REDEFINED']);
    expect(policy.roles.get('super_role')!.builtin).toBe(true);
  });

  it('reports a setting given twice, pointing at the first', () => {
    const { policy, diagnostics } = merge({
      'policies/a.yaml': 'settings:\n  default_group: staff\n',
      'policies/b.yaml': 'settings:\n  base_role: user\n  default_group: everyone\n',
    });
    expect(diagnostics.map((d) => `${where(d)} ${d.code} ${d.message}`)).toEqual(['policies/b.yaml:3:3 E-DUPLICATE-SETTING setting "default_group" is given twice']);
    expect(diagnostics[0].related![0].loc).toEqual(expect.objectContaining({ file: 'policies/a.yaml', line: 2, column: 18 }));
    expect(policy.settings.defaultGroup).toBe('staff');
  });
});

describe('typed values', () => {
  const files = {
    'policies/attributes.yaml': yaml`
      attributes:
        country: { type: string }
        store_id: { type: integer, default: [0, 7] }
        since: { type: date, default: all }
        weight: { type: number }
        active: { type: boolean }
        region: { type: string, default: none }
    `,
    'policies/groups.yaml': yaml`
      groups:
        vietnam:
          attributes: { country: [Vietnam, Hanoi], store_id: [1, "2", 3], since: [2026-01-31, 2026-02-30], weight: [1.5, 2], active: [true] }
        world:
          attributes: { country: all, unknown_attr: [x, 1] }
    `,
  };

  it('types assignments by their attribute, whichever file defines it', () => {
    const { policy } = merge(files);
    const vietnam = policy.groups.get('vietnam')!.attributes;
    expect(vietnam.get('country')!.values).toEqual({ kind: 'values', values: ['Vietnam', 'Hanoi'] });
    expect(vietnam.get('weight')!.values).toEqual({ kind: 'values', values: [1.5, 2] });
    expect(vietnam.get('active')!.values).toEqual({ kind: 'values', values: [true] });
    expect(policy.groups.get('world')!.attributes.get('country')!.values).toEqual({ kind: 'all' });
  });

  it('keeps values that do not fit the type in raw, with positions, for the type check', () => {
    const { policy } = merge(files);
    const storeId = policy.groups.get('vietnam')!.attributes.get('store_id')!;
    expect(storeId.values).toEqual({ kind: 'values', values: [1, 3] });
    expect(storeId.raw.map((r) => r.value)).toEqual([1, '2', 3]);
    expect(storeId.raw[1].loc).toEqual(expect.objectContaining({ file: 'policies/groups.yaml', line: 3 }));
    const since = policy.groups.get('vietnam')!.attributes.get('since')!;
    expect(since.values).toEqual({ kind: 'values', values: ['2026-01-31'] });
    expect(since.raw).toHaveLength(2);
    expect(storeId.loc).toEqual(expect.objectContaining({ line: 3 }));
  });

  it('keeps scalars of an undefined attribute as written (the reference check reports it)', () => {
    const { policy } = merge(files);
    expect(policy.groups.get('world')!.attributes.get('unknown_attr')!.values).toEqual({ kind: 'values', values: ['x', 1] });
  });

  it('types attribute defaults: none, all, or a list', () => {
    const { policy } = merge(files);
    expect(policy.attributes.get('country')!.default).toEqual({ kind: 'values', values: [] });
    expect(policy.attributes.get('region')!.default).toEqual({ kind: 'values', values: [] });
    expect(policy.attributes.get('since')!.default).toEqual({ kind: 'all' });
    const storeId = policy.attributes.get('store_id')!;
    expect(storeId.default).toEqual({ kind: 'values', values: [0, 7] });
    expect(storeId.defaultValues!.map((v) => v.value)).toEqual([0, 7]);
    expect(storeId.defaultLoc).toEqual(expect.objectContaining({ line: 3 }));
  });
});

describe('definitions', () => {
  it('reads subjects with fields defaulting the column to the field name', () => {
    const { policy } = merge({
      'policies/s.yaml': yaml`
        subjects:
          sales:
            restricted: true
            table: public.sales
            fields:
              country: { column: country_name, type: string }
              sold_at: { type: date }
            platforms:
              holistics: { dataset: ecommerce }
      `,
    });
    const sales = policy.subjects.get('sales')!;
    expect(sales.restricted).toBe(true);
    expect(sales.table).toEqual({ value: 'public.sales', loc: expect.objectContaining({ line: 4, column: 12 }) });
    expect(sales.fields.get('country')).toMatchObject({ column: 'country_name', type: 'string', loc: { line: 6, column: 7 } });
    expect(sales.fields.get('sold_at')).toMatchObject({ column: 'sold_at', type: 'date' });
    expect(sales.platforms.holistics.value).toEqual({ dataset: 'ecommerce' });
  });

  it('reads groups, users, members and directly given roles', () => {
    const { policy } = merge({
      'policies/g.yaml': yaml`
        groups:
          apac: { home: { dashboard: sales-overview }, api_keys: enabled, members: [ops@acme.com], roles: [dashboard_analyzer] }
        users:
          ops@acme.com: { groups: [apac], admin: true, home: { category: finance }, db_role: ops, roles: [super_role], api_keys: disabled, email: o@acme.com, name: Ops }
      `,
    });
    const apac = policy.groups.get('apac')!;
    expect(apac.home!.value).toEqual({ dashboard: 'sales-overview' });
    expect(apac.apiKeys!.value).toBe('enabled');
    expect(apac.members.map((m) => m.value)).toEqual(['ops@acme.com']);
    const ops = policy.users.get('ops@acme.com')!;
    expect(ops).toMatchObject({ admin: true, disabled: false, email: 'o@acme.com', name: 'Ops' });
    expect(ops.home!.value).toEqual({ category: 'finance' });
    expect(ops.dbRole!.value).toBe('ops');
    expect(ops.apiKeys!.value).toBe('disabled');
    expect(ops.directRoles).toEqual([{ value: 'super_role', loc: expect.objectContaining({ line: 4 }) }]);
  });

  it('reads roles and API keys', () => {
    const { policy } = merge({
      'policies/r.yaml': yaml`
        roles:
          lead: { extends: [dashboard_analyzer], permissions: [catalog.manage], row_rules: bypass, incorta_roles: [analyze_user], description: Leads }
          plain: {}
        api_keys:
          bot: { user: bot@acme.com, expires: 2027-06-30, description: Bot }
      `,
    });
    expect(policy.roles.get('lead')).toMatchObject({ builtin: false, rowRules: 'bypass', impersonate: false, description: 'Leads' });
    expect(policy.roles.get('lead')!.extends.map((r) => r.value)).toEqual(['dashboard_analyzer']);
    expect(policy.roles.get('lead')!.incortaRoles!.map((r) => r.value)).toEqual(['analyze_user']);
    expect(policy.roles.get('plain')).toMatchObject({ rowRules: 'enforce', extends: [], permissions: [] });
    expect(policy.apiKeys.get('bot')).toMatchObject({ user: { value: 'bot@acme.com' }, expires: { value: '2027-06-30' }, description: 'Bot' });
  });

  it('reads single-condition rules, durations, `any` and applies_to', () => {
    const { policy } = merge({
      'policies/rules.yaml': yaml`
        rules:
          by-country: { subject: sales, field: country, operator: in, attribute: country }
          recent: { subject: sales, field: sold_at, operator: last, modifier: { weeks: 2 } }
          either:
            subject: sales
            any:
              - { field: owner, operator: eq, attribute: user.email }
              - { field: store_id, operator: not_in, values: [0, 999] }
            applies_to: { groups: [merchants], users: [a@acme.com] }
      `,
    });
    const byCountry = policy.rules.get('by-country')!;
    expect(byCountry.isAny).toBe(false);
    expect(byCountry.appliesTo).toBeUndefined();
    expect(byCountry.conditions).toHaveLength(1);
    expect(byCountry.conditions[0]).toMatchObject({ field: { value: 'country' }, operator: { value: 'in' }, attribute: { value: 'country' } });
    expect(policy.rules.get('recent')!.conditions[0].modifier!.value).toEqual({ unit: 'weeks', amount: 2 });
    const either = policy.rules.get('either')!;
    expect(either.isAny).toBe(true);
    expect(either.conditions.map((c) => c.loc.line)).toEqual([7, 8]);
    expect(either.conditions[1].values!.map((v) => v.value)).toEqual([0, 999]);
    expect(either.conditions[1].values![1].loc).toEqual(expect.objectContaining({ line: 8 }));
    expect(either.appliesTo!.groups.map((g) => g.value)).toEqual(['merchants']);
    expect(either.appliesTo!.users.map((u) => u.value)).toEqual(['a@acme.com']);
    expect(either.subject).toEqual({ value: 'sales', loc: expect.objectContaining({ line: 5, column: 14 }) });
  });
});
