import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { compileSql, createAppRole, modelFromYaml, rowsAs, useEngines } from './harness.js';

/**
 * SPEC 4 row-filter semantics, operator by operator, on both engines: each case compiles a small
 * policy set, applies it to the same `items` table (the script is re-runnable, so each apply
 * replaces the previous rules), and checks which ids every user sees.
 */

const FIXTURE = `
CREATE TABLE public.items (id integer PRIMARY KEY, region text, level integer, day date, price numeric(10,2), flag boolean);
CREATE INDEX items_region ON public.items (region);
INSERT INTO public.items VALUES
  (1, 'north', 1, current_date - 3,    1.50, true),
  (2, 'south', 2, current_date - 200,  2.50, false),
  (3, NULL,    NULL, NULL,             NULL, NULL),
  (4, 'east',  3, current_date + 5,   10.00, true),
  (5, 'North', 5, current_date - 2000, -1.00, false);
`;

const BASE = `
attributes:
  region: { type: string }
  level: { type: integer }
  price: { type: number }
  day: { type: date }
  flag: { type: boolean }
subjects:
  items:
    table: public.items
    fields:
      region: { column: region, type: string }
      level: { column: level, type: integer }
      price: { column: price, type: number }
      day: { column: day, type: date }
      flag: { column: flag, type: boolean }
`;

interface Case {
  name: string;
  /** YAML of the rules section body (indented by 2). */
  rules: string;
  /** login -> YAML flow mapping of the user's definition. */
  users: Record<string, string>;
  extra?: string;
  expect: Record<string, number[]>;
}

const ALL = [1, 2, 3, 4, 5];

const CASES: Case[] = [
  {
    name: 'in: values, all (NULL included), none (nothing)',
    rules: 'r: { subject: items, field: region, operator: in, attribute: region }',
    users: { 'a@x': '{ attributes: { region: [north] } }', 'b@x': '{ attributes: { region: all } }', 'c@x': '{}', 'd@x': '{ attributes: { region: [north, east] } }' },
    expect: { 'a@x': [1], 'b@x': ALL, 'c@x': [], 'd@x': [1, 4] },
  },
  {
    name: 'not_in: values (NULL never passes), all (nothing), none (every non-NULL)',
    rules: 'r: { subject: items, field: region, operator: not_in, attribute: region }',
    users: { 'a@x': '{ attributes: { region: [north] } }', 'b@x': '{ attributes: { region: all } }', 'c@x': '{}' },
    expect: { 'a@x': [2, 4, 5], 'b@x': [], 'c@x': [1, 2, 4, 5] },
  },
  {
    name: 'eq and ne with static values',
    rules: 'r1: { subject: items, field: region, operator: eq, values: [south] }',
    users: { 'a@x': '{}' },
    expect: { 'a@x': [2] },
  },
  {
    name: 'ne with static values',
    rules: 'r1: { subject: items, field: region, operator: ne, values: [south] }',
    users: { 'a@x': '{}' },
    expect: { 'a@x': [1, 4, 5] },
  },
  {
    name: 'lt / le / gt / ge compare typed integers with the single value',
    rules: [
      'lt: { subject: items, field: level, operator: lt, attribute: level, applies_to: { users: [lt@x, all@x, none@x] } }',
      'le: { subject: items, field: level, operator: le, attribute: level, applies_to: { users: [le@x] } }',
      'gt: { subject: items, field: level, operator: gt, attribute: level, applies_to: { users: [gt@x] } }',
      'ge: { subject: items, field: level, operator: ge, attribute: level, applies_to: { users: [ge@x] } }',
    ].join('\n  '),
    users: {
      'lt@x': '{ attributes: { level: [3] } }',
      'le@x': '{ attributes: { level: [3] } }',
      'gt@x': '{ attributes: { level: [2] } }',
      'ge@x': '{ attributes: { level: [2] } }',
      'all@x': '{ attributes: { level: all } }',
      'none@x': '{}',
    },
    expect: { 'lt@x': [1, 2], 'le@x': [1, 2, 4], 'gt@x': [4, 5], 'ge@x': [2, 4, 5], 'all@x': ALL, 'none@x': [] },
  },
  {
    name: 'numbers compare as numbers, not text (10 > 2)',
    rules: 'r: { subject: items, field: price, operator: gt, values: [2] }',
    users: { 'a@x': '{}' },
    expect: { 'a@x': [2, 4] },
  },
  {
    name: 'between takes two values, inclusive',
    rules: 'r: { subject: items, field: level, operator: between, values: [2, 3] }',
    users: { 'a@x': '{}' },
    expect: { 'a@x': [2, 4] },
  },
  {
    name: 'last and next are relative to the current date at query time',
    rules: [
      'last7: { subject: items, field: day, operator: last, modifier: { days: 7 }, applies_to: { users: [last@x] } }',
      'next1w: { subject: items, field: day, operator: next, modifier: { weeks: 1 }, applies_to: { users: [next@x] } }',
      'last1y: { subject: items, field: day, operator: last, modifier: { years: 1 }, applies_to: { users: [year@x] } }',
    ].join('\n  '),
    users: { 'last@x': '{}', 'next@x': '{}', 'year@x': '{}' },
    expect: { 'last@x': [1], 'next@x': [4], 'year@x': [1, 2] },
  },
  {
    name: 'dates and booleans compare typed',
    rules: [
      'd: { subject: items, field: day, operator: ge, values: [1990-01-01], applies_to: { users: [d@x] } }',
      'b: { subject: items, field: flag, operator: eq, attribute: flag, applies_to: { users: [b@x] } }',
    ].join('\n  '),
    users: { 'd@x': '{}', 'b@x': '{ attributes: { flag: [true] } }' },
    expect: { 'd@x': [1, 2, 4, 5], 'b@x': [1, 4] },
  },
  {
    name: 'any is an OR inside one rule; rules are ANDed',
    rules: [
      'either: { subject: items, any: [ { field: region, operator: in, attribute: region }, { field: level, operator: ge, values: [5] } ] }',
      'not-east: { subject: items, field: region, operator: ne, values: [east] }',
    ].join('\n  '),
    users: { 'a@x': '{ attributes: { region: [north, east] } }', 'b@x': '{ attributes: { region: all } }', 'c@x': '{}' },
    expect: { 'a@x': [1, 5], 'b@x': [1, 2, 5], 'c@x': [5] },
  },
  {
    name: 'applies_to limits a rule to the listed groups and users',
    rules: 'r: { subject: items, field: region, operator: in, attribute: region, applies_to: { groups: [clerks] } }',
    extra: 'groups:\n  clerks: { members: [clerk@x] }\n',
    users: { 'clerk@x': '{ attributes: { region: [south] } }', 'boss@x': '{ attributes: { region: [south] } }' },
    expect: { 'clerk@x': [2], 'boss@x': ALL },
  },
  {
    name: 'bypass roles, admins, disabled users and unknown logins',
    rules: 'r: { subject: items, field: region, operator: in, attribute: region }',
    extra: 'roles:\n  analyst: { permissions: [catalog.view], row_rules: bypass }\ngroups:\n  analysts: { roles: [analyst], members: [an@x] }\n',
    users: { 'an@x': '{}', 'adm@x': '{ admin: true }', 'gone@x': '{ disabled: true, attributes: { region: all } }', 'n@x': '{ attributes: { region: [north] } }' },
    expect: { 'an@x': ALL, 'adm@x': ALL, 'gone@x': [], 'n@x': [1], 'stranger@x': [] },
  },
  {
    name: 'restricted subjects are visible only to granted groups (and admins)',
    rules: 'r: { subject: items, field: region, operator: in, attribute: region }',
    extra: 'groups:\n  readers: { subjects: [items], members: [reader@x] }\nsettings: { enforce_subject_access: true }\n',
    users: { 'reader@x': '{ attributes: { region: all } }', 'other@x': '{ attributes: { region: all } }', 'adm@x': '{ admin: true }' },
    expect: { 'reader@x': ALL, 'other@x': [], 'adm@x': ALL },
  },
];

function policyYaml(c: Case): string {
  const users = Object.entries(c.users)
    .map(([login, def]) => `  ${JSON.stringify(login)}: ${def}`)
    .join('\n');
  return `${BASE}${c.extra ?? ''}rules:\n  ${c.rules}\nusers:\n${users}\n`;
}

for (const engine of useEngines()) {
  describe(`row-filter semantics on ${engine.name}`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await engine.fresh();
      await db.exec(FIXTURE);
      await createAppRole(db);
    });

    for (const c of CASES) {
      it(c.name, async () => {
        const model = modelFromYaml({ 'policies/p.yaml': policyYaml(c) });
        await db.exec(compileSql(model));
        for (const [login, ids] of Object.entries(c.expect)) {
          const rows = await rowsAs(db, login, 'SELECT id FROM public.items ORDER BY id');
          expect(rows.map((r) => Number(r[0])), `${login} sees`).toEqual(ids);
        }
      });
    }

    it('a transaction that has not entered sees nothing', async () => {
      expect(await rowsAs(db, null, 'SELECT id FROM public.items')).toEqual([]);
    });
  });
}
