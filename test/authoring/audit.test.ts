import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { buildAudit, renderAudit } from '../../src/audit/index.js';
import { csvCell } from '../../src/audit/render-csv.js';
import { snapshotFilters } from '../../src/plan/access-diff-snapshot.js';
import { compileProjectSync } from '../../src/pipeline.js';
import { subjectAccess } from '../../src/resolve/access.js';
import { resolve } from '../../src/resolve/resolve.js';
import { buildPolicy, type PolicySpec } from '../helpers/policy-builder.js';

const NOW = new Date('2026-06-01T12:00:00Z');

const SPEC: PolicySpec = {
  attributes: { country: { type: 'string' }, region: { type: 'string' }, unused_attr: { type: 'string' } },
  subjects: {
    sales: { restricted: true, fields: { country: 'string', region: 'string', store_id: 'integer' } },
    stores: { fields: { country: 'string', flagship: 'boolean' } },
    secrets: { restricted: true, fields: { region: 'string' } },
  },
  roles: { analyst: { extends: ['individual_analyzer'], row_rules: 'bypass' }, ghost_role: { permissions: ['data.view'] } },
  groups: {
    staff: { subjects: ['sales'], roles: ['dashboard_analyzer'] },
    vietnam: { inherits: ['staff'], attributes: { country: ['Vietnam'] } },
    singapore: { inherits: ['staff'], attributes: { country: ['Singapore'] } },
    analysts: { inherits: ['staff'], roles: ['analyst'], api_keys: 'enabled' },
    nobody_here: {},
    vault: { subjects: ['secrets'], members: ['ceo@acme.com'] },
  },
  users: {
    'alice@acme.com': { groups: ['vietnam'] },
    'apac@acme.com': { groups: ['vietnam', 'singapore'] },
    'ceo@acme.com': { groups: ['staff'], attributes: { country: 'all' } },
    'new@acme.com': { groups: ['staff'] },
    'ana@acme.com': { groups: ['analysts'] },
    'root@acme.com': { admin: true },
    'gone@acme.com': { groups: ['vietnam'], disabled: true },
  },
  api_keys: { notebook: { user: 'ana@acme.com', expires: '2026-06-20' } },
  rules: {
    'sales-by-country': { subject: 'sales', field: 'country', operator: 'in', attribute: 'country' },
    'sales-not-test': { subject: 'sales', field: 'store_id', operator: 'not_in', values: [0, 999] },
    'stores-visible': { subject: 'stores', any: [{ field: 'country', operator: 'in', attribute: 'country' }, { field: 'flagship', operator: 'eq', values: [true] }] },
    'secrets-by-region': { subject: 'secrets', field: 'region', operator: 'in', attribute: 'region' },
  },
};

function audit(spec: PolicySpec = SPEC) {
  const model = resolve(buildPolicy(spec).policy, { now: NOW });
  return { model, report: buildAudit(model, model.policy, { now: NOW }) };
}

const text = (chunks: Iterable<string>) => [...chunks].join('');

describe('buildAudit', () => {
  it('gives every user and subject the filters the resolver gives', () => {
    const { model, report } = audit();
    const width = report.subjects.length;
    for (let row = 0; row < report.logins.length; row++) {
      for (let col = 0; col < width; col++) {
        const expected = subjectAccess(model, report.logins[row], report.subjects[col].name);
        const id = report.matrix[row * width + col];
        expect(id >= 0, `${report.logins[row]} on ${report.subjects[col].name}`).toBe(expected.access);
        if (id >= 0) expect(report.filterSets[id].filters).toEqual(snapshotFilters(expected.filters));
      }
    }
  });

  it('colours cells full, filtered, denied and none', () => {
    const { report } = audit();
    const kind = (login: string, subject: string) => {
      const id = report.matrix[report.logins.indexOf(login) * report.subjects.length + report.subjects.findIndex((s) => s.name === subject)];
      return id < 0 ? 'none' : report.filterSets[id].kind;
    };
    expect(kind('alice@acme.com', 'sales')).toBe('filtered');
    expect(kind('new@acme.com', 'sales')).toBe('denied'); // no country: the in-rule admits no row
    expect(kind('ana@acme.com', 'sales')).toBe('full'); // bypass
    expect(kind('root@acme.com', 'secrets')).toBe('full'); // admin
    expect(kind('alice@acme.com', 'secrets')).toBe('none');
    expect(kind('gone@acme.com', 'stores')).toBe('none');
    expect(report.subjects.find((s) => s.name === 'sales')!.counts).toEqual({ full: 2, filtered: 3, denied: 1, none: 1 });
  });

  it('reports the findings of SPEC 10', () => {
    const { report } = audit();
    const found = report.findings.map((f) => `${f.severity} ${f.kind} ${f.target}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'warning unused-group group nobody_here',
        'warning unused-attribute attribute unused_attr',
        'warning unused-role role ghost_role',
        'warning rule-denies-everyone rule secrets-by-region',
        'warning api-key-expiring API key notebook',
        'info all-values user ceo@acme.com',
        'info subject-open-to-everyone subject stores',
        'info admin user root@acme.com',
        'info bypass user ana@acme.com',
      ]),
    );
    // Warnings first, then by kind and target: the order is stable.
    expect(report.findings.findIndex((f) => f.severity === 'info')).toBeGreaterThan(report.findings.findLastIndex((f) => f.severity === 'warning'));
    expect(report.counts).toMatchObject({ users: 7, enabledUsers: 6, disabledUsers: 1, admins: 1, bypassUsers: 2, apiKeys: 1 });
    expect(report.admins).toEqual(['root@acme.com']);
    expect(report.bypass).toEqual(['ana@acme.com', 'root@acme.com']);
  });

  it('is deterministic in every format', () => {
    for (const format of ['html', 'markdown', 'csv', 'json'] as const) {
      expect(text(renderAudit(audit().report, format))).toBe(text(renderAudit(audit().report, format)));
    }
  });
});

describe('audit renderers', () => {
  it('writes JSON that validates against schemas/audit.schema.json', () => {
    const ajv = new Ajv2020.default({ strict: true, allErrors: true });
    for (const name of ['access-diff', 'audit']) ajv.addSchema(JSON.parse(readFileSync(new URL(`../../schemas/${name}.schema.json`, import.meta.url), 'utf8')));
    const validate = ajv.getSchema('https://warden.dev/schemas/audit.schema.json')!;
    const json = JSON.parse(text(renderAudit(audit().report, 'json')));
    expect(validate(json), JSON.stringify(validate.errors, null, 1)).toBe(true);
    const alice = json.users.find((u: { login: string }) => u.login === 'alice@acme.com');
    const sales = json.subjects.findIndex((s: { name: string }) => s.name === 'sales');
    expect(json.filter_sets[alice.access[sales]].text).toBe('country {Vietnam}; store_id not_in {0, 999}');
    expect(alice.groups.find((g: { name: string }) => g.name === 'staff').because[0]).toMatch(/^via vietnam → staff \(built\.yaml:\d+\)$/);
  });

  it('writes the same facts to markdown and CSV', () => {
    const { report } = audit();
    const md = text(renderAudit(report, 'markdown'));
    expect(md.indexOf('## Overview')).toBeLessThan(md.indexOf('## Findings'));
    expect(md).toContain('`rule secrets-by-region`');
    expect(md).toContain('  - `sales`: filtered — `country {Singapore, Vietnam}; store_id not_in {0, 999}`');
    const csv = text(renderAudit(report, 'csv'));
    expect(csv.split('\r\n')[0]).toBe('record,user,subject,name,value,detail');
    expect(csv).toContain('access,apac@acme.com,sales,filtered,"country {Singapore, Vietnam}; store_id not_in {0, 999}",\r\n');
    expect(csv).toContain('finding,,,rule-denies-everyone,warning,');
  });

  it('keeps hostile policy strings inert in HTML, markdown and CSV', () => {
    const spec = structuredClone(SPEC);
    const evil = '</script><script>alert(1)</script>@x.io';
    spec.users![evil] = { name: '=HYPERLINK("http://evil")', groups: ['staff'] };
    const { report } = audit(spec);
    const html = text(renderAudit(report, 'html'));
    expect(html.match(/<script/g)).toHaveLength(2); // the data block and the report's script
    expect(html).not.toContain('</script><script>alert');
    expect(html).toContain('\\u003c/script>\\u003cscript>alert(1)\\u003c/script>@x.io');
    const csv = text(renderAudit(report, 'csv'));
    expect(csv).toContain(`user,${evil},,"'=HYPERLINK(""http://evil"")",enabled,`);
    expect(csvCell('-1+2')).toBe("'-1+2");
    const md = text(renderAudit(report, 'markdown'));
    expect(md).toContain('### `</script><script>alert(1)</script>@x.io`');
  });
});

describe('the demo project', () => {
  it('audits the acme policies', () => {
    const compiled = compileProjectSync(new URL('../..', import.meta.url).pathname, { now: NOW });
    expect(compiled.model).not.toBeNull();
    const report = buildAudit(compiled.model!, compiled.policy!, { now: NOW });
    expect(report.subjects.map((s) => [s.name, s.counts])).toEqual([
      ['sales', { full: 2, filtered: 4, denied: 1, none: 1 }],
      ['stores', { full: 3, filtered: 4, denied: 0, none: 1 }],
    ]);
  });
});
