import { describe, expect, it } from 'vitest';
import { resolve } from '../../src/resolve/resolve.js';
import type { ProjectState } from '../../src/watch/incremental.js';
import { MAX_USERS_SHOWN, reportUpdate } from '../../src/watch/report.js';
import { buildPolicy, type PolicySpec } from '../helpers/policy-builder.js';

const plain = { red: (s: string) => s, green: (s: string) => s, yellow: (s: string) => s, dim: (s: string) => s, bold: (s: string) => s, cyan: (s: string) => s };

function state(spec: PolicySpec): ProjectState {
  const model = resolve(buildPolicy(spec).policy);
  return { model, policy: model.policy, diagnostics: [], sources: new Map(), reparsed: [], removed: [], timings: { loadMs: 0, validateMs: 0, resolveMs: 0 } };
}

describe('reportUpdate', () => {
  const spec = (group: string): PolicySpec => ({
    subjects: { sales: { restricted: true, fields: { country: 'string' } } },
    groups: { staff: { subjects: ['sales'] }, other: {} },
    users: Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`u${String(i).padStart(2, '0')}@acme.com`, { groups: [group] }])),
  });

  it('prints the first users of a big change and counts the rest', () => {
    const before = state(spec('other'));
    const report = reportUpdate(state(spec('staff')), before.model, plain, ['changed policies/users.yaml']);
    expect(report.text).toContain('+ u00@acme.com: sales (unfiltered)');
    expect(report.text).toContain(`+ u${MAX_USERS_SHOWN - 1}@acme.com: sales`);
    expect(report.text).not.toContain(`u${MAX_USERS_SHOWN}@acme.com`);
    expect(report.text).toContain(`… and ${80 - MAX_USERS_SHOWN} more users (Access changes: 80 users changed`);
    expect(report.diff?.users).toHaveLength(80);
  });

  it('keeps the last valid model when the new state has errors', () => {
    const before = state(spec('other'));
    const broken: ProjectState = { ...state(spec('staff')), model: null, policy: null, diagnostics: [{ code: 'E-X', severity: 'error', message: 'broken', loc: { file: 'p.yaml', line: 1, column: 1 } }] };
    const report = reportUpdate(broken, before.model, plain, []);
    expect(report.lastValid).toBe(before.model);
    expect(report.text).toContain('✗ 1 error — keeping the last valid state');
  });
});
