import { describe, expect, it } from 'vitest';
import type { AccessDiff } from '../../src/plan/access-diff-types.js';
import type { AccessTestFile } from '../../src/testing/types.js';
import { affectedTests, selectTests } from '../../src/watch/tests.js';

const loc = { file: 'tests/a.yaml', line: 1, column: 1 };
const file = (name: string, logins: string[]): AccessTestFile => ({
  file: name,
  fixtures: [],
  tests: logins.map((as, i) => ({ file: name, name: `${as} ${i}`, loc, as, expect: { access: true } })),
});
const diffOf = (logins: string[]): AccessDiff => ({
  summary: { usersAdded: 0, usersRemoved: 0, usersChanged: logins.length, subjectsGained: 0, subjectsLost: 0, filtersChanged: 0, bySubject: [] },
  users: logins.map((login) => ({ login, change: 'changed', groups: { gained: [], lost: [] }, roles: { gained: [], lost: [] }, permissions: { gained: [], lost: [] }, subjects: [] })),
});

describe('watch --test selection', () => {
  const files = [file('tests/a.yaml', ['alice@acme.com', 'bob@acme.com']), file('tests/b.yaml', ['carol@acme.com'])];

  it('runs every test when there is nothing to narrow by', () => {
    expect(selectTests(files, affectedTests(null, []))).toEqual(files);
  });

  it('runs the tests of users whose access changed, and every test of a changed test file', () => {
    const selected = selectTests(files, affectedTests(diffOf(['bob@acme.com']), ['tests/b.yaml']));
    expect(selected.map((f) => [f.file, f.tests.map((t) => t.as)])).toEqual([
      ['tests/a.yaml', ['bob@acme.com']],
      ['tests/b.yaml', ['carol@acme.com']],
    ]);
  });

  it('runs nothing when no tested user changed', () => {
    expect(selectTests(files, affectedTests(diffOf(['dan@acme.com']), []))).toEqual([]);
  });
});
