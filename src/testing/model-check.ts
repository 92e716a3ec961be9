import { subjectAccess } from '../resolve/access.js';
import type { ResolvedCondition, ResolvedModel } from '../resolve/model.js';
import type { AccessTest, TestResult } from './types.js';

/**
 * Checks a test's `access` and `filters` against the resolved model. `filters` names subject
 * fields: each listed field must be compared with exactly those values (`all` also matches a
 * field no rule filters); `filters: {}` means the user has no filters at all.
 */
export function checkModel(model: ResolvedModel, test: AccessTest): TestResult {
  const base = { file: test.file, name: test.name, loc: test.loc };
  const subject = test.subject!;
  if (!model.users.has(test.as)) return { ...base, ok: false, message: `no user "${test.as}" in the policies` };
  if (!model.policy.subjects.has(subject)) return { ...base, ok: false, message: `no subject "${subject}" in the policies` };
  const access = subjectAccess(model, test.as, subject);
  const diff: string[] = [];
  if (test.expect.access !== undefined && access.access !== test.expect.access) {
    diff.push(`- access: ${test.expect.access}`, `+ access: ${access.access}`);
  }
  if (test.expect.filters !== undefined) {
    const actual = fieldValues(access.filters.flatMap((f) => ('any' in f ? f.any : [f])));
    const expected = test.expect.filters;
    if (Object.keys(expected).length === 0) {
      for (const [field, values] of [...actual].sort()) diff.push(`+ ${field}: ${values.map(show).join(' | ')}`);
    }
    for (const field of Object.keys(expected).sort()) {
      const want = show(normalize(expected[field]));
      const have = (actual.get(field) ?? []).map(show);
      if (have.length === 0 ? want === 'all' : have.includes(want)) continue;
      diff.push(`- ${field}: ${want}`, `+ ${field}: ${have.length === 0 ? '(no filter)' : have.join(' | ')}`);
    }
  }
  if (diff.length === 0) return { ...base, ok: true };
  return { ...base, ok: false, message: `the resolved access of ${test.as} to ${subject} differs`, diff };
}

type Values = 'all' | string[];

function fieldValues(conditions: ResolvedCondition[]): Map<string, Values[]> {
  const out = new Map<string, Values[]>();
  for (const c of conditions) {
    const values: Values = c.values === undefined ? [`${c.operator} ${c.modifier?.amount ?? ''} ${c.modifier?.unit ?? ''}`.trim()] : normalize(c.values);
    out.set(c.field, [...(out.get(c.field) ?? []), values]);
  }
  return out;
}

function normalize(values: 'all' | readonly (string | number | boolean)[]): Values {
  return values === 'all' ? 'all' : values.map(String).sort();
}

function show(values: Values): string {
  return values === 'all' ? 'all' : `[${values.join(', ')}]`;
}
