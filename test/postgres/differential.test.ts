import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import type { Scalar } from '../../src/model/policy.js';
import { subjectAccess } from '../../src/resolve/access.js';
import type { ResolvedCondition, ResolvedModel } from '../../src/resolve/model.js';
import { quoteIdent } from '../../src/targets/postgres/quote.js';
import { compileSql, createAppRole, modelFromYaml, rowsAs, useEngines } from './harness.js';

/**
 * The differential property: for random policy sets (groups with inheritance, multi-valued
 * typed attributes, all/none, user overrides, several rules per subject incl. not_in and any,
 * applies_to, bypass, admins, disabled users, restricted subjects) and random table data, every
 * user sees in the database exactly the rows predicted in TypeScript from `subjectAccess`.
 * WARDEN_PROPERTY_RUNS sets the number of cases per engine (default 200: 400 per run).
 */

const RUNS = Number(process.env.WARDEN_PROPERTY_RUNS ?? 200);
/** principal: role (the user's database role instead of enter), fewer cases. */
const ROLE_RUNS = Math.max(1, Math.round(RUNS / 4));
const TEXTS = ['x', 'y', 'z', "o'q"];
const INTS = [1, 2, 3, 4];

/** true about once in `n + 1` cases. */
const rarely = (n: number) => fc.oneof({ arbitrary: fc.constant(true), weight: 1 }, { arbitrary: fc.constant(false), weight: n });

type Vals = 'all' | (string | number)[];
interface Policy {
  enforce: boolean;
  restricted: boolean;
  attrDefaults: { a: Vals | null; b: Vals | null };
  groups: { inherits: number[]; a?: Vals; b?: Vals; bypass: boolean; grant: boolean; members: number[] }[];
  users: { groups: number[]; a?: Vals; b?: Vals; disabled: boolean; admin: boolean }[];
  rules: Rule[];
}
type Cond = { field: 'a' | 'b'; op: string; attribute: boolean; values: (string | number)[] };
interface Rule {
  conds: Cond[];
  appliesTo: number[] | null;
}
type Row = { id: number; a: string | null; b: number | null };

const vals = (domain: (string | number)[]) =>
  fc.oneof(fc.constant<Vals>('all'), fc.subarray(domain, { minLength: 0, maxLength: 3 }) as fc.Arbitrary<Vals>);

const cond: fc.Arbitrary<Cond> = fc.oneof(
  fc.record({ field: fc.constant<'a'>('a'), op: fc.constantFrom('in', 'not_in', 'eq', 'ne'), attribute: fc.boolean(), values: fc.subarray(TEXTS, { minLength: 1, maxLength: 2 }) }),
  fc.record({ field: fc.constant<'b'>('b'), op: fc.constantFrom('in', 'not_in'), attribute: fc.boolean(), values: fc.subarray(INTS, { minLength: 1, maxLength: 2 }) }),
  // Single-value comparisons and between take static values (an attribute could hold several).
  fc.record({ field: fc.constant<'b'>('b'), op: fc.constantFrom('lt', 'le', 'gt', 'ge'), attribute: fc.constant(false), values: fc.constantFrom(...INTS).map((v) => [v]) }),
  fc.record({
    field: fc.constant<'b'>('b'),
    op: fc.constant('between'),
    attribute: fc.constant(false),
    values: fc.tuple(fc.constantFrom(...INTS), fc.constantFrom(...INTS)).map(([x, y]) => [Math.min(x, y), Math.max(x, y) + (x === y ? 1 : 0)]),
  }),
);

const policyArb: fc.Arbitrary<Policy> = fc.integer({ min: 1, max: 4 }).chain((nGroups) =>
  fc.record({
    enforce: fc.boolean(),
    restricted: fc.boolean(),
    attrDefaults: fc.record({ a: fc.option(vals(TEXTS), { nil: null }), b: fc.option(vals(INTS), { nil: null }) }),
    groups: fc.array(
      fc.record({
        inherits: fc.subarray([...Array(nGroups).keys()], { maxLength: Math.min(2, nGroups) }),
        a: fc.option(vals(TEXTS), { nil: undefined }),
        b: fc.option(vals(INTS), { nil: undefined }),
        bypass: rarely(6),
        grant: fc.boolean(),
        members: fc.subarray([0, 1, 2, 3, 4], { maxLength: 2 }),
      }),
      { minLength: nGroups, maxLength: nGroups },
    ),
    users: fc.array(
      fc.record({
        groups: fc.subarray([...Array(nGroups).keys()], { maxLength: Math.min(2, nGroups) }),
        a: fc.option(vals(TEXTS), { nil: undefined, freq: 3 }),
        b: fc.option(vals(INTS), { nil: undefined, freq: 3 }),
        disabled: rarely(8),
        admin: rarely(8),
      }),
      { minLength: 5, maxLength: 5 },
    ),
    rules: fc.array(
      fc.record({
        conds: fc.array(cond, { minLength: 1, maxLength: 2 }),
        appliesTo: fc.option(fc.subarray([...Array(nGroups).keys()], { minLength: 1, maxLength: Math.min(2, nGroups) }), { nil: null, freq: 2 }),
      }),
      { minLength: 0, maxLength: 3 },
    ),
  }),
);

const rowsArb = fc.array(
  fc.record({ a: fc.constantFrom<string | null>(...TEXTS, null), b: fc.constantFrom<number | null>(...INTS, null) }),
  { minLength: 0, maxLength: 12 },
).map((rows) => rows.map((r, i): Row => ({ id: i + 1, ...r })));

const y = (v: unknown) => JSON.stringify(v);
const yVals = (v: Vals) => (v === 'all' ? 'all' : y(v));

function toYaml(p: Policy): string {
  const out: string[] = [];
  out.push(`settings: { enforce_subject_access: ${p.enforce} }`);
  out.push('attributes:');
  out.push(`  a: { type: string${p.attrDefaults.a ? `, default: ${yVals(p.attrDefaults.a)}` : ''} }`);
  out.push(`  b: { type: integer${p.attrDefaults.b ? `, default: ${yVals(p.attrDefaults.b)}` : ''} }`);
  out.push('subjects:', '  t:', `    restricted: ${p.restricted}`, '    table: public.t', '    fields:');
  out.push('      a: { column: col_a, type: string }', '      b: { column: col_b, type: integer }');
  out.push('roles:', '  bypasser: { permissions: [catalog.view], row_rules: bypass }');
  out.push('groups:');
  p.groups.forEach((g, i) => {
    const inherits = [...new Set(g.inherits.filter((j) => j < i))].map((j) => `g${j}`);
    const attrs = [g.a !== undefined ? `a: ${yVals(g.a)}` : '', g.b !== undefined ? `b: ${yVals(g.b)}` : ''].filter(Boolean);
    out.push(
      `  g${i}: { inherits: ${y(inherits)}, roles: ${g.bypass ? '[bypasser]' : '[]'}, subjects: ${g.grant ? '[t]' : '[]'}, members: ${y(g.members.map((m) => `u${m}@x`))}${attrs.length ? `, attributes: { ${attrs.join(', ')} }` : ''} }`,
    );
  });
  out.push('users:');
  p.users.forEach((u, i) => {
    const attrs = [u.a !== undefined ? `a: ${yVals(u.a)}` : '', u.b !== undefined ? `b: ${yVals(u.b)}` : ''].filter(Boolean);
    out.push(
      `  u${i}@x: { groups: ${y([...new Set(u.groups)].map((g) => `g${g}`))}, disabled: ${u.disabled}, admin: ${u.admin}${attrs.length ? `, attributes: { ${attrs.join(', ')} }` : ''} }`,
    );
  });
  if (p.rules.length > 0) out.push('rules:');
  p.rules.forEach((r, i) => {
    const c = (k: Cond) => `{ field: ${k.field}, operator: ${k.op}, ${k.attribute ? `attribute: ${k.field}` : `values: ${y(k.values)}`} }`;
    const body = r.conds.length === 1 ? c(r.conds[0]).slice(2, -2) : `any: [${r.conds.map(c).join(', ')}]`;
    const applies = r.appliesTo ? `, applies_to: { groups: ${y([...new Set(r.appliesTo)].map((g) => `g${g}`))} }` : '';
    out.push(`  r${i}: { subject: t, ${body}${applies} }`);
  });
  return `${out.join('\n')}\n`;
}

/** SPEC 4 evaluated directly on a row (independent of the SQL). */
function passes(c: ResolvedCondition, row: Row): boolean {
  const v = c.column === 'col_a' ? row.a : row.b;
  const negative = c.operator === 'not_in' || c.operator === 'ne';
  if (c.values === 'all') return !negative;
  if (v === null) return false;
  const values = (c.values ?? []) as Scalar[];
  // Comparisons are generated only on the integer field.
  const n = v as number;
  switch (c.operator) {
    case 'in':
    case 'eq':
      return values.includes(v);
    case 'not_in':
    case 'ne':
      return !values.includes(v);
    case 'lt':
      return values.some((x) => n < (x as number));
    case 'le':
      return values.some((x) => n <= (x as number));
    case 'gt':
      return values.some((x) => n > (x as number));
    case 'ge':
      return values.some((x) => n >= (x as number));
    case 'between':
      return values.length >= 2 && n >= (values[0] as number) && n <= (values[1] as number);
    default:
      throw new Error(`operator ${c.operator} is not generated`);
  }
}

function predict(model: ResolvedModel, login: string, rows: Row[]): number[] {
  const access = subjectAccess(model, login, 't');
  if (!access.access) return [];
  return rows
    .filter((row) => access.filters.every((f) => ('any' in f ? f.any.some((c) => passes(c, row)) : passes(f, row))))
    .map((r) => r.id);
}

for (const engine of useEngines()) {
  describe(`differential: database rows = rows predicted from subjectAccess, on ${engine.name}`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await engine.fresh();
      await db.exec('CREATE TABLE public.t (id integer PRIMARY KEY, col_a text, col_b integer); CREATE INDEX ON public.t (col_a); CREATE INDEX ON public.t (col_b);');
      await createAppRole(db);
    });

    it(`holds for ${RUNS} random policy sets and tables`, async () => {
      await fc.assert(
        fc.asyncProperty(policyArb, rowsArb, async (policy, rows) => {
          const model = modelFromYaml({ 'policies/p.yaml': toYaml(policy) });
          await db.exec('TRUNCATE public.t');
          if (rows.length > 0) {
            await db.query('INSERT INTO public.t SELECT * FROM unnest($1::integer[], $2::text[], $3::integer[])', [
              rows.map((r) => r.id),
              rows.map((r) => r.a),
              rows.map((r) => r.b),
            ]);
          }
          await db.exec(compileSql(model));
          for (const login of [...model.users.keys(), 'stranger@x']) {
            const actual = (await rowsAs(db, login, 'SELECT id FROM public.t ORDER BY id')).map((r) => Number(r[0]));
            expect(actual, `${login}\n${toYaml(policy)}`).toEqual(predict(model, login, rows));
          }
        }),
        { numRuns: RUNS },
      );
    });

    it(`holds with principal: role for ${ROLE_RUNS} random policy sets and tables`, async () => {
      const roleDb = await engine.fresh();
      await roleDb.exec('CREATE TABLE public.t (id integer PRIMARY KEY, col_a text, col_b integer); CREATE INDEX ON public.t (col_b);');
      const logins = ['u0@x', 'u1@x', 'u2@x', 'u3@x', 'u4@x', 'stranger@x'];
      for (const login of logins) {
        // Roles are cluster-wide on the server: create only when missing.
        const exists = await roleDb.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [login]);
        if (exists.rows.length === 0) await roleDb.query(`CREATE ROLE ${quoteIdent(login)} NOLOGIN`);
        await roleDb.query(`GRANT SELECT ON public.t TO ${quoteIdent(login)}`);
      }
      await fc.assert(
        fc.asyncProperty(policyArb, rowsArb, async (policy, rows) => {
          const model = modelFromYaml({ 'policies/p.yaml': toYaml(policy) });
          await roleDb.exec('TRUNCATE public.t');
          if (rows.length > 0) {
            await roleDb.query('INSERT INTO public.t SELECT * FROM unnest($1::integer[], $2::text[], $3::integer[])', [
              rows.map((r) => r.id),
              rows.map((r) => r.a),
              rows.map((r) => r.b),
            ]);
          }
          await roleDb.exec(compileSql(model, { principal: 'role' }));
          for (const login of logins) {
            await roleDb.query('BEGIN');
            let actual: number[];
            try {
              await roleDb.query(`SET LOCAL ROLE ${quoteIdent(login)}`);
              actual = (await roleDb.queryText('SELECT id FROM public.t ORDER BY id')).rows.map((r) => Number(r[0]));
            } finally {
              await roleDb.query('ROLLBACK');
            }
            expect(actual, `${login}\n${toYaml(policy)}`).toEqual(predict(model, login, rows));
          }
        }),
        { numRuns: ROLE_RUNS },
      );
    });
  });
}
