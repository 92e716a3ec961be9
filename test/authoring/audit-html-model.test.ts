import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FULL_ORG, generateOrg } from '../../bench/generate-org.js';
import { buildAudit, renderAudit, type AuditReport } from '../../src/audit/index.js';
import { userFacts } from '../../src/audit/facts.js';
import { filterSetKind } from '../../src/audit/filter-kind.js';
import { AUDIT_MODEL_SCRIPT } from '../../src/audit/html-model-script.js';
import { describeFilters } from '../../src/plan/access-diff-format.js';
import { snapshotFilters } from '../../src/plan/access-diff-snapshot.js';
import { compileProjectSync } from '../../src/pipeline.js';
import { subjectAccess } from '../../src/resolve/access.js';
import type { ResolvedModel } from '../../src/resolve/model.js';
import { resolve } from '../../src/resolve/resolve.js';
import { buildPolicy, type PolicySpec } from '../helpers/policy-builder.js';
import { arbitraryPolicy } from '../resolve/fixtures/arbitrary-policy.js';

/**
 * The HTML report embeds the factors of access, not the cells, and its script computes what
 * it shows (html-model-script.ts). Here that script runs in Node on the data embedded in a real
 * report, and every user's groups, roles, permissions, attributes (with why) and every
 * user x subject cell (colour and filters) must equal the resolver's.
 */

const NOW = new Date('2026-06-01T12:00:00Z');

interface Model {
  users: number;
  login(i: number): string;
  name(i: number): string;
  flags(i: number): number;
  counts(i: number): number[];
  home(i: number): string;
  groups(i: number): { name: string; because: string[] }[];
  groupNames(i: number): string[];
  roles(i: number): { name: string; because: string[] }[];
  permissions(i: number): string[];
  attributes(i: number): { name: string; value: string; because: string[] }[];
  cell(i: number, j: number): { kind: string; text: string; filtered: boolean };
}

/** The report's embedded data, parsed, and the report's own model script run on it. */
function browserModel(report: AuditReport): Model {
  const html = [...renderAudit(report, 'html')].join('');
  const open = '<script type="application/json" id="audit-data">';
  const data = html.slice(html.indexOf(open) + open.length, html.indexOf('</script>', html.indexOf(open)));
  return vm.runInNewContext(`${AUDIT_MODEL_SCRIPT}\nwardenAuditModel(D)`, { D: JSON.parse(data) }) as Model;
}

function check(model: ResolvedModel, report: AuditReport): void {
  const browser = browserModel(report);
  expect(browser.users).toBe(report.logins.length);
  const got: unknown[] = [];
  const want: unknown[] = [];
  for (let i = 0; i < report.logins.length; i++) {
    const facts = userFacts(report, i);
    const user = model.users.get(facts.login)!;
    want.push({
      login: facts.login,
      name: facts.name ?? '',
      flags: (facts.enabled ? 1 : 0) | (facts.admin ? 2 : 0) | (facts.bypassRowRules ? 4 : 0) | (facts.apiKeysEnabled ? 8 : 0),
      groups: facts.groups,
      groupNames: facts.groups.map((g) => g.name),
      roles: facts.roles,
      permissions: facts.permissions,
      attributes: facts.enabled
        ? facts.attributes
            .filter((a) => a.values === 'all' || a.values.length > 0)
            .map((a) => ({ name: a.name, value: a.values === 'all' ? 'all' : a.values.map(String).join(', '), because: a.because }))
        : [],
      home: facts.home ?? '',
      counts: [...report.userCounts.subarray(i * 4, i * 4 + 4)],
      cells: report.subjects.map((s) => {
        const access = subjectAccess(model, user.login, s.name);
        if (!access.access) return 'none: no access';
        const filters = snapshotFilters(access.filters);
        return `${filterSetKind(filters)}: ${describeFilters(filters)}`;
      }),
    });
    got.push({
      login: browser.login(i),
      name: browser.name(i),
      flags: browser.flags(i),
      groups: browser.groups(i),
      groupNames: browser.groupNames(i),
      roles: browser.roles(i),
      permissions: browser.permissions(i),
      attributes: browser.attributes(i),
      home: browser.home(i),
      counts: browser.counts(i),
      cells: report.subjects.map((_, j) => {
        const cell = browser.cell(i, j);
        return `${cell.kind}: ${cell.text}`;
      }),
    });
  }
  expect(got).toEqual(want);
}

describe('the HTML report’s script computes what the resolver computes', () => {
  it('on random policy sets (inheritance, members lists, applies_to, any, last/next, user.login, bypass, admin, disabled)', () => {
    fc.assert(
      fc.property(arbitraryPolicy(), (spec) => {
        const model = resolve(buildPolicy(spec).policy, { now: NOW });
        check(model, buildAudit(model, model.policy, { now: NOW }));
      }),
      { numRuns: 120 },
    );
  });

  it('when values are re-typed (integer attribute, string field) and several groups give one attribute', () => {
    const spec: PolicySpec = {
      attributes: { store: { type: 'integer' }, region: { type: 'string', default: 'all' } },
      subjects: { sales: { restricted: true, fields: { store: 'string', region: 'string' } } },
      groups: {
        a: { attributes: { store: [10, 9] }, subjects: ['sales'] },
        b: { inherits: ['a'], attributes: { region: ['EU'] } },
        c: { inherits: ['a'], attributes: { store: [100], region: 'all' } },
      },
      users: { 'one@x.io': { groups: ['a'] }, 'two@x.io': { groups: ['b', 'c'] }, 'three@x.io': { groups: ['c'], attributes: { store: 'all' } }, 'four@x.io': {} },
      rules: {
        'by-store': { subject: 'sales', field: 'store', operator: 'in', attribute: 'store' },
        'by-region': { subject: 'sales', field: 'region', operator: 'not_in', attribute: 'region' },
      },
    };
    const model = resolve(buildPolicy(spec).policy, { now: NOW });
    check(model, buildAudit(model, model.policy, { now: NOW }));
  });

  it('on the demo project', () => {
    const compiled = compileProjectSync(new URL('../..', import.meta.url).pathname, { now: NOW });
    check(compiled.model!, buildAudit(compiled.model!, compiled.policy!, { now: NOW }));
  });

  describe('on the synthetic organisation of the benchmarks (500 users, 300 subjects)', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'warden-audit-html-org-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    generateOrg(root, { ...FULL_ORG, users: 500 });

    it('gives every user the resolver’s facts and every one of the 150,000 cells its filters', () => {
      const compiled = compileProjectSync(root, { now: NOW });
      check(compiled.model!, buildAudit(compiled.model!, compiled.policy!, { now: NOW }));
    });
  });
});
