import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accessDiff } from '../../src/plan/access-diff.js';
import { renderAccessDiffJson } from '../../src/plan/render-access-diff-json.js';
import { renderAccessDiffMarkdown } from '../../src/plan/render-access-diff-markdown.js';
import { renderAccessDiffText } from '../../src/plan/render-access-diff-text.js';
import { resolve } from '../../src/resolve/resolve.js';
import { buildPolicy, type PolicySpec } from '../helpers/policy-builder.js';

/** A small sales organisation; each test edits a copy and diffs the two resolved models. */
function base(): PolicySpec {
  return {
    attributes: { country: { type: 'string' } },
    subjects: {
      sales: { restricted: true, fields: { country: 'string', store_id: 'integer' } },
      stores: { fields: { country: 'string' } },
    },
    groups: {
      staff: { subjects: ['sales'], roles: ['dashboard_analyzer'] },
      vietnam: { inherits: ['staff'], attributes: { country: ['Vietnam'] } },
      singapore: { inherits: ['staff'], attributes: { country: ['Singapore'] } },
    },
    users: {
      'alice@acme.com': { groups: ['vietnam'] },
      'bob@acme.com': { groups: ['singapore'] },
      'carol@acme.com': {},
    },
    rules: {
      'sales-by-country': { subject: 'sales', field: 'country', operator: 'in', attribute: 'country' },
      'sales-not-test': { subject: 'sales', field: 'store_id', operator: 'not_in', values: [0, 999] },
    },
  };
}

const model = (spec: PolicySpec) => resolve(buildPolicy(spec).policy, { now: new Date('2026-01-01') });

function edited(edit: (spec: PolicySpec) => void) {
  const spec = structuredClone(base());
  edit(spec);
  return accessDiff(model(base()), model(spec));
}

describe('accessDiff', () => {
  it('is empty for identical policies', () => {
    const diff = accessDiff(model(base()), model(base()));
    expect(diff.users).toEqual([]);
    expect(renderAccessDiffText(diff)).toBe('No access changes.\n');
  });

  it('shows the full before and after set of a widened filter', () => {
    const diff = edited((s) => s.users!['alice@acme.com'].groups!.push('singapore'));
    expect(diff.users.map((u) => u.login)).toEqual(['alice@acme.com']);
    const alice = diff.users[0];
    expect(alice.change).toBe('changed');
    expect(alice.groups).toEqual({ gained: ['singapore'], lost: [] });
    expect(alice.subjects).toHaveLength(1);
    const sales = alice.subjects[0];
    expect(sales.change).toBe('filters');
    // Full replacement: both sides carry every filter of the user on the subject, not only the changed one.
    expect(sales.before).toEqual([
      { rule: 'sales-by-country', field: 'country', operator: 'in', values: ['Vietnam'], attribute: 'country' },
      { rule: 'sales-not-test', field: 'store_id', operator: 'not_in', values: [0, 999] },
    ]);
    expect(sales.after?.[0]).toMatchObject({ rule: 'sales-by-country', values: ['Singapore', 'Vietnam'] });
    expect(sales.after?.[1]).toMatchObject({ rule: 'sales-not-test', values: [0, 999] });
    expect(sales.conditions).toEqual([
      expect.objectContaining({ rule: 'sales-by-country', field: 'country', added: ['Singapore'], removed: [] }),
    ]);
    const text = renderAccessDiffText(diff);
    expect(text).toContain('~ alice@acme.com');
    expect(text).toContain('+ sales country {Vietnam} -> {Singapore, Vietnam}');
    expect(text).toContain('after:  country {Singapore, Vietnam}; store_id not_in {0, 999}');
    expect(renderAccessDiffText(diff, { compact: true })).toBe('+ alice@acme.com: group singapore\n+ alice@acme.com: sales country +Singapore\n');
  });

  it('reports subjects gained and lost, and a user added or removed', () => {
    const diff = edited((s) => {
      s.users!['carol@acme.com'].groups = ['vietnam'];
      delete s.users!['bob@acme.com'];
      s.users!['dan@acme.com'] = { groups: ['singapore'] };
    });
    expect(diff.users.map((u) => [u.login, u.change])).toEqual([
      ['bob@acme.com', 'removed'],
      ['carol@acme.com', 'changed'],
      ['dan@acme.com', 'added'],
    ]);
    const carol = diff.users[1];
    expect(carol.subjects.map((s) => [s.subject, s.change])).toEqual([['sales', 'gained']]);
    expect(carol.permissions.gained).toEqual(['catalog.share']);
    const bob = diff.users[0];
    expect(bob.subjects.map((s) => [s.subject, s.change])).toEqual([
      ['sales', 'lost'],
      ['stores', 'lost'],
    ]);
    expect(diff.summary).toMatchObject({ usersAdded: 1, usersRemoved: 1, usersChanged: 1, subjectsGained: 3, subjectsLost: 2 });
    expect(diff.summary.bySubject).toEqual([
      { subject: 'sales', gained: 2, lost: 1, filters: 0 },
      { subject: 'stores', gained: 1, lost: 1, filters: 0 },
    ]);
  });

  it('reports disabling a user as losing everything', () => {
    const diff = edited((s) => (s.users!['alice@acme.com'].disabled = true));
    const alice = diff.users[0];
    expect(alice.enabled).toEqual({ before: true, after: false });
    expect(alice.groups.lost).toEqual(['everyone', 'staff', 'vietnam']);
    expect(alice.subjects.map((s) => s.change)).toEqual(['lost', 'lost']);
    expect(renderAccessDiffText(diff, { compact: true })).toContain('- alice@acme.com: disabled\n');
  });

  it('sees a change made outside the users (a rule, a grant) for every affected user', () => {
    const diff = edited((s) => {
      delete s.rules!['sales-not-test'];
      s.subjects!.stores.restricted = true;
    });
    expect(diff.users.map((u) => u.login)).toEqual(['alice@acme.com', 'bob@acme.com', 'carol@acme.com']);
    const alice = diff.users[0];
    expect(alice.subjects.map((s) => [s.subject, s.change])).toEqual([
      ['sales', 'filters'],
      ['stores', 'lost'],
    ]);
    expect(alice.subjects[0].conditions).toEqual([expect.objectContaining({ rule: 'sales-not-test', before: expect.any(Object), after: null })]);
  });

  it('treats an `all` value change by showing full sets, not a delta', () => {
    const diff = edited((s) => (s.users!['alice@acme.com'].attributes = { country: 'all' }));
    expect(diff.users[0].subjects[0].conditions[0]).toMatchObject({ added: [], removed: [], after: { values: 'all' } });
    expect(renderAccessDiffText(diff, { compact: true })).toContain('alice@acme.com: sales country {Vietnam} -> all');
  });

  it('with no previous state, lists every user as added', () => {
    const diff = accessDiff(null, model(base()));
    expect(diff.users.map((u) => u.change)).toEqual(['added', 'added', 'added']);
    expect(diff.summary.usersAdded).toBe(3);
  });

  it('is deterministic and its JSON validates against the schema', () => {
    const edit = (s: PolicySpec) => {
      s.users!['alice@acme.com'].groups!.push('singapore');
      s.users!['bob@acme.com'].disabled = true;
      s.users!['eve@acme.com'] = { admin: true };
      s.rules!['stores-any'] = { subject: 'stores', any: [{ field: 'country', operator: 'in', attribute: 'country' }, { field: 'country', operator: 'eq', values: ['HQ'] }] };
    };
    const a = edited(edit);
    const b = edited(edit);
    expect(renderAccessDiffJson(a)).toBe(renderAccessDiffJson(b));
    const schema = JSON.parse(readFileSync(new URL('../../schemas/access-diff.schema.json', import.meta.url), 'utf8'));
    const validate = new Ajv2020.default({ strict: true, allErrors: true }).compile(schema);
    const json = JSON.parse(renderAccessDiffJson(a));
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.users.find((u: { login: string }) => u.login === 'eve@acme.com')).toMatchObject({ change: 'added' });
  });
});

describe('markdown rendering', () => {
  it('puts the summary first and the details in a collapsed block', () => {
    const md = renderAccessDiffMarkdown(edited((s) => s.users!['alice@acme.com'].groups!.push('singapore')));
    expect(md.indexOf('1 user changed')).toBeLessThan(md.indexOf('<details>'));
    expect(md).toContain('| `sales` | 0 | 0 | 1 |');
    expect(md).toContain('`country {Vietnam} -> {Singapore, Vietnam}`');
  });

  it('summarises a big diff after the first users', () => {
    const spec = base();
    for (let i = 0; i < 30; i++) spec.users![`u${String(i).padStart(2, '0')}@acme.com`] = { groups: ['vietnam'] };
    const md = renderAccessDiffMarkdown(accessDiff(model(base()), model(spec)), { maxUsers: 10 });
    expect(md).toContain('0 users changed, 30 added');
    expect(md).toContain('… and 20 more users');
    expect(md.match(/\*\*\+ `u\d\d@acme.com`\*\*/g)).toHaveLength(10);
  });

  it('cannot be broken by hostile logins', () => {
    const spec = base();
    spec.users!['x`</details><script>alert(1)</script>'] = {};
    const md = renderAccessDiffMarkdown(accessDiff(model(base()), model(spec)));
    expect(md).toContain('``x`</details><script>alert(1)</script>``');
    expect(md.match(/<\/details>/g)).toHaveLength(2);
  });
});

describe('accessDiff after group edits', () => {
  // Only members of a changed group are compared (a shortcut that keeps a group edit of a large
  // organisation cheap in watch mode): it must give exactly the exhaustive comparison.
  const countries = ['Vietnam', 'Singapore', 'Japan'];
  function org(userGroups: number[][]): PolicySpec {
    return {
      attributes: { country: { type: 'string' } },
      subjects: { sales: { restricted: true, fields: { country: 'string' } } },
      groups: {
        g0: { subjects: ['sales'], attributes: { country: ['Vietnam'] } },
        g1: { inherits: ['g0'] },
        g2: { inherits: ['g1'], attributes: { country: ['Japan'] } },
        g3: { subjects: ['sales'] },
        g4: { inherits: ['g3'], members: ['u1@x'] },
      },
      users: Object.fromEntries(userGroups.map((groups, i) => [`u${i}@x`, { groups: groups.map((g) => `g${g}`) }])),
      rules: { 'sales-by-country': { subject: 'sales', field: 'country', operator: 'in', attribute: 'country' } },
    };
  }
  type Edit = { group: number; kind: 'country' | 'inherit' | 'role' | 'member' | 'new-group'; pick: number };
  function apply(spec: PolicySpec, edit: Edit): void {
    const name = `g${edit.group}`;
    const group = spec.groups![name];
    if (edit.kind === 'country') group.attributes = { country: [countries[edit.pick % countries.length]] };
    if (edit.kind === 'inherit') group.inherits = edit.group === 3 || edit.pick % 2 === 0 ? [] : ['g3'];
    if (edit.kind === 'role') group.roles = ['dashboard_analyzer'];
    if (edit.kind === 'member') group.members = [...(group.members ?? []), `u${edit.pick % 8}@x`];
    if (edit.kind === 'new-group') spec.groups![`extra${edit.pick}`] = { inherits: [name], members: [`u${edit.pick % 8}@x`] };
  }

  it('lists exactly the users the exhaustive comparison lists, with the same changes', () => {
    const edit = fc.record({
      group: fc.integer({ min: 0, max: 4 }),
      kind: fc.constantFrom('country', 'inherit', 'role', 'member', 'new-group') as fc.Arbitrary<Edit['kind']>,
      pick: fc.integer({ min: 0, max: 7 }),
    });
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 2 }), { minLength: 8, maxLength: 8 }), fc.array(edit, { minLength: 1, maxLength: 3 }), (userGroups, edits) => {
        const before = org(userGroups);
        const after = structuredClone(before);
        for (const e of edits) apply(after, e);
        const [a, b] = [model(before), model(after)];
        expect(accessDiff(a, b)).toEqual(accessDiff(a, b, { exhaustive: true }));
      }),
      { numRuns: 200 },
    );
  });

  it('skips members of unchanged groups only', () => {
    const spec = org([[0], [3], [2], []]);
    const after = structuredClone(spec);
    after.groups!.g0.attributes = { country: ['Japan'] };
    const diff = accessDiff(model(spec), model(after));
    // u0 is in g0; u2 in g2 (inherits g1 -> g0) but g2 sets its own country; u1 and u3 are not in g0's line.
    expect(diff.users.map((u) => u.login)).toEqual(['u0@x']);
    expect(accessDiff(model(spec), model(after), { exhaustive: true })).toEqual(diff);
  });
});
