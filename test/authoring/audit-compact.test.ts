import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FULL_ORG, generateOrg } from '../../bench/generate-org.js';
import { buildAudit, type AuditReport, type CellKind } from '../../src/audit/index.js';
import { filterEffect, filterSetKind } from '../../src/audit/filter-kind.js';
import { describeFilters } from '../../src/plan/access-diff-format.js';
import { snapshotFilters } from '../../src/plan/access-diff-snapshot.js';
import { compileProjectSync } from '../../src/pipeline.js';
import { subjectAccess } from '../../src/resolve/access.js';
import type { ResolvedModel } from '../../src/resolve/model.js';
import { resolve } from '../../src/resolve/resolve.js';
import { buildPolicy, type PolicySpec } from '../helpers/policy-builder.js';
import { arbitraryPolicy } from '../resolve/fixtures/arbitrary-policy.js';

/**
 * The audit never asks the resolver for a user's access to a subject: it factors access into
 * per-group masks and per-user value ids (access-profile.ts), counts colours from those
 * (access-counts.ts) and builds the cells only for markdown/csv/json (matrix.ts). These tests
 * hold all three to the per-user computation, `subjectAccess`, on every user x subject cell.
 */

const NOW = new Date('2026-06-01T12:00:00Z');
const KINDS: CellKind[] = ['full', 'filtered', 'denied', 'none'];

/** Every cell as the resolver gives it, and the counts that follow. */
function expected(model: ResolvedModel, report: AuditReport) {
  const cells: { kind: CellKind; text: string; filters: unknown }[][] = [];
  const subjectCounts = report.subjects.map(() => ({ full: 0, filtered: 0, denied: 0, none: 0 }));
  const userCounts: number[] = [];
  const ruleUse = new Map([...model.policy.rules.keys()].map((name) => [name, { applied: 0, denied: 0 }]));
  for (const login of report.logins) {
    const row = report.subjects.map((s, j) => {
      const access = subjectAccess(model, login, s.name);
      const filters = snapshotFilters(access.filters);
      const kind: CellKind = access.access ? filterSetKind(filters) : 'none';
      for (const filter of access.access ? filters : []) {
        ruleUse.get(filter.rule)!.applied++;
        if (filterEffect(filter) === 'nothing') ruleUse.get(filter.rule)!.denied++;
      }
      subjectCounts[j][kind]++;
      return { kind, text: access.access ? describeFilters(filters) : 'no access', filters: access.access ? filters : null };
    });
    cells.push(row);
    for (const kind of KINDS) userCounts.push(row.filter((c) => c.kind === kind).length);
  }
  // The findings that follow from the cells and from group membership, as the resolver sees them.
  const findings: string[] = [];
  for (const [name, use] of ruleUse) {
    if (use.applied === 0) findings.push(`rule-applies-to-nobody rule ${name}`);
    else if (use.denied === use.applied) findings.push(`rule-denies-everyone rule ${name}`);
  }
  for (const name of model.policy.groups.keys()) {
    if (name !== model.policy.settings.defaultGroup && (model.groupMembers.get(name) ?? []).length === 0) findings.push(`unused-group group ${name}`);
  }
  return { cells, subjectCounts, userCounts, findings: findings.sort() };
}

/** Compares every cell as one line of text (one assertion: a mismatch shows the cells that differ). */
function checkAgainstResolver(model: ResolvedModel, report: AuditReport): void {
  const want = expected(model, report);
  const width = report.subjects.length;
  const got: string[] = [];
  const wanted: string[] = [];
  for (let i = 0; i < report.logins.length; i++) {
    for (let j = 0; j < width; j++) {
      const where = `${report.logins[i]} on ${report.subjects[j].name}:`;
      const cell = want.cells[i][j];
      wanted.push(`${where} ${cell.kind} ${cell.text} ${JSON.stringify(cell.filters)}`);
      const id = report.matrix[i * width + j];
      const set = id < 0 ? null : report.filterSets[id];
      got.push(set ? `${where} ${set.kind} ${set.text} ${JSON.stringify(set.filters)}` : `${where} none no access null`);
    }
  }
  expect(got).toEqual(wanted);
  expect(report.subjects.map((s) => s.counts)).toEqual(want.subjectCounts);
  expect([...report.userCounts]).toEqual(want.userCounts);
  const kinds = new Set(['rule-applies-to-nobody', 'rule-denies-everyone', 'unused-group']);
  expect(report.findings.filter((f) => kinds.has(f.kind)).map((f) => `${f.kind} ${f.target}`).sort()).toEqual(want.findings);
}

describe('the audit’s factored access equals the per-user computation', () => {
  it('on random policy sets (inheritance, members lists, applies_to, any, last/next, user.login, bypass, admin, disabled)', () => {
    fc.assert(
      fc.property(arbitraryPolicy(), (spec) => {
        const model = resolve(buildPolicy(spec).policy, { now: NOW });
        checkAgainstResolver(model, buildAudit(model, model.policy, { now: NOW }));
      }),
      { numRuns: 150 },
    );
  });

  it('when a rule compares an attribute as another type than its own (integer values, string field)', () => {
    const spec: PolicySpec = {
      attributes: { store: { type: 'integer' }, region: { type: 'string', default: 'all' } },
      subjects: { sales: { restricted: false, fields: { store: 'string', region: 'string' } } },
      groups: { a: { attributes: { store: [10, 9] } }, b: { inherits: ['a'], attributes: { region: ['EU'] } }, c: { attributes: { store: [100] } } },
      users: {
        'one@x.io': { groups: ['a'] },
        'two@x.io': { groups: ['b', 'c'] },
        'three@x.io': { groups: ['c'], attributes: { store: 'all' } },
        'four@x.io': {},
      },
      rules: {
        'by-store': { subject: 'sales', field: 'store', operator: 'in', attribute: 'store' },
        'by-region': { subject: 'sales', field: 'region', operator: 'not_in', attribute: 'region' },
      },
    };
    const model = resolve(buildPolicy(spec).policy, { now: NOW });
    const report = buildAudit(model, model.policy, { now: NOW });
    checkAgainstResolver(model, report);
    const row = report.logins.indexOf('two@x.io');
    // Re-typed as strings, so sorted as text: "10" < "100" < "9".
    expect(report.filterSets[report.matrix[row]].text).toBe('region not_in {EU}; store {10, 100, 9}');
  });

  it('when a subject has more rules of the common shape than the counting loop takes at once (six)', () => {
    const letters = ['a', 'b', 'c', 'd', 'e', 'f'];
    const spec: PolicySpec = {
      attributes: Object.fromEntries(letters.map((l) => [l, { type: 'string' as const }])),
      subjects: { wide: { fields: Object.fromEntries(letters.map((l) => [l, 'string' as const])) } },
      groups: { g1: { attributes: { a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'] } }, g2: { attributes: { a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: 'all' } } },
      users: { 'one@x.io': { groups: ['g1'] }, 'two@x.io': { groups: ['g2'] }, 'three@x.io': { groups: ['g2'], attributes: { f: ['x'] } } },
      rules: Object.fromEntries(letters.map((l) => [`r-${l}`, { subject: 'wide', field: l, operator: l === 'f' ? ('not_in' as const) : ('in' as const), attribute: l }])),
    };
    const model = resolve(buildPolicy(spec).policy, { now: NOW });
    const report = buildAudit(model, model.policy, { now: NOW });
    checkAgainstResolver(model, report);
    // one: f none, not_in none admits everything -> filtered; two: not_in all -> no row; three: filtered.
    expect(report.subjects[0].counts).toEqual({ full: 0, filtered: 2, denied: 1, none: 0 });
  });

  describe('on the synthetic organisation of the benchmarks (500 users, 300 subjects, 1,000 rules)', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'warden-audit-org-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    generateOrg(root, { ...FULL_ORG, users: 500 });
    const compiled = compileProjectSync(root, { now: NOW });

    it('gives every one of the 150,000 cells the resolver’s filters, and the same counts', () => {
      expect(compiled.model).not.toBeNull();
      const report = buildAudit(compiled.model!, compiled.policy!, { now: NOW });
      expect(report.logins).toHaveLength(500);
      expect(report.subjects).toHaveLength(300);
      checkAgainstResolver(compiled.model!, report);
      // Not a trivial org: every colour occurs.
      const totals = report.subjects.reduce((t, s) => KINDS.map((k, i) => t[i] + s.counts[k]), [0, 0, 0, 0]);
      expect(totals.every((t) => t > 0)).toBe(true);
    });
  });
});
