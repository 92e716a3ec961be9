import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { artifact, compileTarget, fixtures } from './helpers.js';

type FiltersDoc = { users: Array<{ login: string; filter: string | null; denied: boolean; unrestricted: boolean }> };
type Request = { method: string; path: string; body?: unknown };

const filterOf = (doc: FiltersDoc, login: string) => doc.users.find((u) => u.login === login)!;

describe('gooddata cloud', () => {
  const result = compileTarget(path.join(fixtures, 'shop'), 'gooddata');
  const filters = artifact(result, 'filters.json') as FiltersDoc;

  it('compiles without errors', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('ANDs the user\'s conditions, drops `all`, and quotes values', () => {
    expect(filterOf(filters, 'vn.manager@shop.example').filter).toBe('({label/country.name} = "Vietnam") AND ({label/merchant.name} <> "Test Merchant")');
    expect(filterOf(filters, 'apac.manager@shop.example').filter).toBe('({label/country.name} IN ("Singapore", "Vietnam")) AND ({label/merchant.name} <> "Test Merchant")');
    // country: all and merchant: all leave only the static exclusion.
    expect(filterOf(filters, 'ceo@shop.example').filter).toBe('{label/merchant.name} <> "Test Merchant"');
  });

  it('denies all (1 <> 1) for none, no access and disabled users; leaves admins unrestricted', () => {
    expect(filterOf(filters, 'new.joiner@shop.example')).toMatchObject({ filter: '1 <> 1', denied: true });
    expect(filterOf(filters, 'outsider@shop.example')).toMatchObject({ filter: '1 <> 1', denied: true });
    expect(filterOf(filters, 'leaver@shop.example')).toMatchObject({ filter: '1 <> 1', denied: true });
    expect(filterOf(filters, 'admin@shop.example')).toMatchObject({ filter: null, unrestricted: true });
  });

  it('writes the complete set of user data filters in one layout PUT, after groups and users', () => {
    const requests = artifact(result, 'requests.json') as Request[];
    const layout = requests.filter((r) => r.path === '/api/v1/layout/workspaces/shop/userDataFilters');
    expect(layout).toHaveLength(1);
    expect(requests.at(-1)).toBe(layout[0]);
    const set = (layout[0].body as { userDataFilters: Array<{ id: string; user: { id: string } }> }).userDataFilters;
    // Everyone but the unrestricted admin has a filter; the disabled leaver is not created on a fresh workspace.
    expect(set.map((f) => f.user.id)).not.toContain('admin_40shop.example');
    expect(set.map((f) => f.user.id)).not.toContain('leaver_40shop.example');
    expect(set).toHaveLength(7);
    expect(requests.some((r) => JSON.stringify(r.body).includes('leaver'))).toBe(false);
    // Parent groups are created before the groups that inherit them.
    const created = requests.filter((r) => r.path === '/api/v1/entities/userGroups').map((r) => (r.body as { data: { id: string } }).data.id);
    expect(created.indexOf('managers')).toBeLessThan(created.indexOf('apac'));
    expect(created.indexOf('apac')).toBeLessThan(created.indexOf('vietnam'));
    expect(JSON.stringify(requests)).not.toMatch(/token|GOODDATA_TOKEN/i);
  });
});

describe('gooddata legacy', () => {
  const result = compileTarget(path.join(fixtures, 'shop'), 'gooddata-legacy');
  const filters = artifact(result, 'filters.json') as FiltersDoc;

  it('maps values to element URIs', () => {
    expect(filterOf(filters, 'vn.manager@shop.example').filter).toBe(
      '([/gdc/md/abc123/obj/1049] = [/gdc/md/abc123/obj/1049/elements?id=1]) AND ([/gdc/md/abc123/obj/1051] <> [/gdc/md/abc123/obj/1051/elements?id=99])',
    );
  });

  it('creates filter objects, then re-specifies every user\'s complete filter list', () => {
    const requests = artifact(result, 'requests.json') as Array<Request & { bind?: { name: string } }>;
    const objects = requests.filter((r) => r.path === '/gdc/md/abc123/obj');
    const assignments = requests.filter((r) => r.path === '/gdc/md/abc123/userfilters');
    expect(objects.length).toBe(8);
    expect(requests.indexOf(assignments[0])).toBeGreaterThan(requests.indexOf(objects.at(-1)!));
    const items = assignments.flatMap((r) => (r.body as { userFilters: { items: Array<{ user: string; userFilters: string[] }> } }).userFilters.items);
    expect(items).toHaveLength(9);
    // The admin's list is empty: that removes any filter set before.
    expect(items.find((i) => i.user === '{{user:admin%40shop.example}}')!.userFilters).toEqual([]);
    expect(items.find((i) => i.user === '{{user:vn.manager%40shop.example}}')!.userFilters).toEqual(['{{filter:vn.manager%40shop.example}}']);
  });
});

describe('gooddata compile errors and warnings', () => {
  const temporary = mkdtempSync(path.join(os.tmpdir(), 'warden-gooddata-'));
  afterAll(() => rmSync(temporary, { recursive: true, force: true }));

  it('refuses `any` (OR) at the rule\'s position and emits nothing', () => {
    const result = compileTarget(path.join(fixtures, 'or-rule'), 'gooddata');
    expect(result.artifacts).toEqual([]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'E-GOODDATA-NO-OR', severity: 'error', loc: expect.objectContaining({ file: 'policies/all.yaml', line: 12, column: 3 }) }),
    ]);
  });

  function project(name: string, countries: string[], extra = ''): string {
    const root = path.join(temporary, name);
    mkdirSync(path.join(root, 'policies'), { recursive: true });
    writeFileSync(path.join(root, 'warden.yaml'), `version: 1\ntargets:\n  gooddata:\n    type: gooddata\n    workspace: w\n${extra}`);
    writeFileSync(
      path.join(root, 'policies', 'all.yaml'),
      [
        'attributes:',
        '  country: { type: string }',
        'subjects:',
        '  sales:',
        '    fields: { country: { column: country, type: string } }',
        '    platforms: { gooddata: { labels: { country: country.name } } }',
        'rules:',
        '  sales-by-country: { subject: sales, field: country, operator: in, attribute: country }',
        'users:',
        '  many@acme.example:',
        `    attributes: { country: [${countries.map((c) => JSON.stringify(c)).join(', ')}] }`,
        '',
      ].join('\n'),
    );
    return root;
  }

  it('refuses a filter over 10,000 characters at the rule\'s position, never truncating it', () => {
    const countries = Array.from({ length: 800 }, (_, i) => `Country number ${String(i).padStart(4, '0')}`);
    const result = compileTarget(project('long', countries), 'gooddata');
    expect(result.artifacts).toEqual([]);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'E-GOODDATA-FILTER-TOO-LONG', loc: expect.objectContaining({ file: 'policies/all.yaml', line: 8, column: 3 }) })]);
  });

  it('accepts the same filter under the legacy limit of 200,000 characters', () => {
    const countries = Array.from({ length: 800 }, (_, i) => `C${i}`);
    const elements = countries.map((c, i) => `          ${c}: /gdc/md/p1/obj/7/elements?id=${i}`).join('\n');
    const root = project('long-legacy', countries, `    api: legacy\n    mappings:\n      sales:\n        country:\n${elements}\n`);
    // The legacy target uses attribute URIs.
    writeFileSync(path.join(root, 'policies', 'all.yaml'), readFileSync(path.join(root, 'policies', 'all.yaml'), 'utf8').replace('labels: { country: country.name }', 'attributes: { country: /gdc/md/p1/obj/7 }'));
    const result = compileTarget(root, 'gooddata');
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const filter = (artifact(result, 'filters.json') as FiltersDoc).users[0].filter!;
    expect(filter.length).toBeGreaterThan(10_000);
    expect(filter.startsWith('[/gdc/md/p1/obj/7] IN (')).toBe(true);
  });

  it('warns when no subject is mapped, and still denies disabled users', () => {
    const root = path.join(temporary, 'unmapped');
    mkdirSync(path.join(root, 'policies'), { recursive: true });
    writeFileSync(path.join(root, 'warden.yaml'), 'version: 1\ntargets:\n  gooddata: { type: gooddata, workspace: w }\n  holistics: { type: holistics }\n');
    writeFileSync(path.join(root, 'policies', 'all.yaml'), 'users:\n  active@acme.example: {}\n  gone@acme.example: { disabled: true }\n');
    const gooddata = compileTarget(root, 'gooddata');
    expect(gooddata.diagnostics).toEqual([expect.objectContaining({ code: 'W-GOODDATA-NO-SUBJECTS', severity: 'warning', loc: expect.objectContaining({ file: 'warden.yaml', line: 3 }) })]);
    const users = (artifact(gooddata, 'filters.json') as FiltersDoc).users;
    expect(users.map((u) => [u.login, u.filter])).toEqual([['active@acme.example', null], ['gone@acme.example', '1 <> 1']]);
    const holistics = compileTarget(root, 'holistics');
    expect(holistics.diagnostics).toEqual([expect.objectContaining({ code: 'W-HOLISTICS-NO-SUBJECTS', severity: 'warning' })]);
    expect((artifact(holistics, 'embed-payloads.json') as { users: Record<string, unknown> }).users['gone@acme.example']).toEqual({ denied: true, reason: 'the user is disabled' });
  });

  it('reads mappings from a file in the project, and refuses one outside it', () => {
    const root = project('file', ['Vietnam'], '    mappings: mappings/gooddata.yaml\n');
    mkdirSync(path.join(root, 'mappings'));
    writeFileSync(path.join(root, 'mappings', 'gooddata.yaml'), 'sales:\n  country:\n    Vietnam: Viet Nam\n');
    expect((artifact(compileTarget(root, 'gooddata'), 'filters.json') as FiltersDoc).users[0].filter).toBe('{label/country.name} = "Viet Nam"');
    const outside = compileTarget(project('outside', ['Vietnam'], '    mappings: ../elsewhere.yaml\n'), 'gooddata');
    expect(outside.artifacts).toEqual([]);
    expect(outside.diagnostics).toEqual([expect.objectContaining({ code: 'E-CONFIG', loc: expect.objectContaining({ file: 'warden.yaml' }) })]);
  });

  it('denies an unmapped value with a warning: it drops out of IN, and an empty IN denies', () => {
    const mappings = '    mappings:\n      sales:\n        country:\n          Vietnam: Viet Nam\n';
    const partly = compileTarget(project('partly', ['Vietnam', 'Atlantis'], mappings), 'gooddata');
    expect(partly.diagnostics).toEqual([expect.objectContaining({ code: 'W-GOODDATA-UNMAPPED-VALUE', severity: 'warning' })]);
    expect((artifact(partly, 'filters.json') as FiltersDoc).users[0].filter).toBe('{label/country.name} = "Viet Nam"');
    const none = compileTarget(project('none', ['Atlantis'], mappings), 'gooddata');
    expect((artifact(none, 'filters.json') as FiltersDoc).users[0]).toMatchObject({ filter: '1 <> 1', denied: true });
  });
});
