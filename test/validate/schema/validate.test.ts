import { describe, expect, it } from 'vitest';
import { error, warning, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import type { ValidationRule } from '../../../src/validate/rule.js';
import { validatePolicies } from '../../../src/validate/validate.js';
import { loadOf } from './helpers.js';

function summary(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.loc.file}:${d.loc.line}:${d.loc.column} ${d.code}`);
}

/** A rule that reports one diagnostic per group, so tests can see whether rules ran and on what. */
const groupRule = (severity: 'error' | 'warning'): ValidationRule => ({
  name: 'test-groups',
  check(context) {
    for (const group of context.policy.groups.values()) {
      if (group.implicit) continue;
      const make = severity === 'error' ? error : warning;
      context.report(make(severity === 'error' ? 'E-TEST' : 'W-TEST', `group ${group.name}`, group.loc));
    }
  },
});

describe('validatePolicies', () => {
  it('returns the merged policy set when there are no errors', () => {
    const load = loadOf({ 'policies/a.yaml': 'groups:\n  apac: {}\n' });
    const result = validatePolicies(load, []);
    expect(result.diagnostics).toEqual([]);
    expect([...result.policy!.groups.keys()]).toEqual(['apac', 'everyone']);
  });

  it('keeps the policy set when there are only warnings', () => {
    const result = validatePolicies(loadOf({ 'policies/a.yaml': 'groups:\n  apac: {}\n' }), [groupRule('warning')]);
    expect(summary(result.diagnostics)).toEqual(['policies/a.yaml:2:3 W-TEST']);
    expect(result.policy).not.toBeNull();
  });

  it('stops after schema errors, reporting those of every file in order, without running rules', () => {
    const load = loadOf({
      'policies/a.yaml': 'groups:\n  apac: { inherit: [x] }\n',
      'policies/b.yaml': 'users:\n  a@acme.com: { groups: apac }\n---\ngrups: {}\n',
    });
    const result = validatePolicies(load, [groupRule('error')]);
    expect(result.policy).toBeNull();
    expect(summary(result.diagnostics)).toEqual(['policies/a.yaml:2:11 E-UNKNOWN-KEY', 'policies/b.yaml:2:25 E-SCHEMA-TYPE', 'policies/b.yaml:4:1 E-UNKNOWN-KEY']);
  });

  it('runs the rules after merge errors and reports everything sorted; no policy set', () => {
    const load = loadOf({
      'policies/b.yaml': 'groups:\n  apac: {}\n',
      'policies/a.yaml': 'groups:\n  apac: {}\n  emea: {}\n',
    });
    const result = validatePolicies(load, [groupRule('warning')]);
    expect(result.policy).toBeNull();
    // b.yaml came first, so a.yaml holds the duplicate; the output is sorted by file regardless.
    expect(summary(result.diagnostics)).toEqual(['policies/a.yaml:2:3 E-DUPLICATE-DEFINITION', 'policies/a.yaml:3:3 W-TEST', 'policies/b.yaml:2:3 W-TEST']);
  });

  it('turns a crashing rule into an error instead of passing the policies', () => {
    const crashing: ValidationRule = {
      name: 'crashing',
      check() {
        throw new Error('boom');
      },
    };
    const result = validatePolicies(loadOf({ 'policies/a.yaml': 'groups:\n  apac: {}\n' }), [crashing, groupRule('warning')]);
    expect(result.policy).toBeNull();
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(['E-INTERNAL validation check "crashing" failed: boom', 'W-TEST group apac']);
  });

  it('reports the same problem from two rules once', () => {
    const twice = groupRule('error');
    const result = validatePolicies(loadOf({ 'policies/a.yaml': 'groups:\n  apac: {}\n' }), [twice, twice]);
    expect(summary(result.diagnostics)).toEqual(['policies/a.yaml:2:3 E-TEST']);
  });

  it('runs the project rules by default: a role given to a user directly is reported at the role', () => {
    const load = loadOf({ 'policies/a.yaml': 'users:\n  a@acme.com:\n    roles: [super_role]\n' });
    const result = validatePolicies(load);
    expect(result.policy).toBeNull();
    expect(summary(result.diagnostics)).toContain('policies/a.yaml:3:13 E-USER-ROLES');
  });
});
