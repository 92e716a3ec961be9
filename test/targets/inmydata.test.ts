import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inmydataTarget } from '../../src/targets/inmydata/index.js';
import type { CompileResult, TargetConfig } from '../../src/targets/target.js';
import { parseCsv } from '../../src/util/csv.js';
import { resolveYaml } from '../helpers/resolve-yaml.js';
import { now } from './compile-target.js';

const target: TargetConfig = { name: 'inmydata', type: 'inmydata', loc: { file: 'warden.yaml', line: 1, column: 1 }, options: {}, optionLocs: {} };

function compile(yaml: string): CompileResult {
  const model = resolveYaml({ 'policies/p.yaml': yaml }, { now });
  return inmydataTarget.compile(model, { target, env: {}, projectRoot: '/', now });
}

function table(result: CompileResult, path: string): string[][] {
  const artifact = result.artifacts.find((a) => a.path === path);
  if (artifact === undefined) throw new Error(`no ${path}: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  return parseCsv(artifact.content);
}

const SALES = [
  'attributes:',
  '  region: { type: string }',
  '  store: { type: integer }',
  'subjects:',
  '  sales:',
  '    restricted: true',
  '    fields: { region: { column: region, type: string }, store: { column: store_id, type: integer } }',
  '    platforms: { inmydata: { subject: Sales } }',
  '  catalog:',
  '    fields: { region: { column: region, type: string } }',
  'rules:',
  '  sales-by-region: { subject: sales, field: region, operator: in, attribute: region }',
  '  sales-by-store: { subject: sales, field: store, operator: in, attribute: store, applies_to: { groups: [stores] } }',
  'groups:',
  '  managers: { subjects: [sales], attributes: { region: [North] } }',
  '  stores: { inherits: [managers] }',
];

describe('inmydata target: user data', () => {
  it('gives each user one row per value, every column holding exactly the user\'s set', () => {
    const result = compile(
      [...SALES, 'users:', '  multi@x.io: { groups: [stores], attributes: { region: [East, North, West], store: [7] } }', '  one@x.io: { groups: [managers] }', ''].join('\n'),
    );
    expect(result.diagnostics).toEqual([]);
    expect(table(result, 'user-data.csv')).toEqual([
      ['user_id', 'region', 'store'],
      ['multi@x.io', 'East', '7'],
      ['multi@x.io', 'North', '7'],
      ['multi@x.io', 'West', '7'],
      // The store rule does not apply to plain managers: their column says unrestricted.
      ['one@x.io', 'North', '*'],
    ]);
  });

  it('writes none as a token that matches nothing, all as the all token, and leaves disabled users out', () => {
    const result = compile(
      [
        ...SALES,
        'users:',
        '  empty@x.io: { groups: [stores], attributes: { region: [] } }',
        '  boss@x.io: { groups: [stores], attributes: { region: all, store: all } }',
        '  gone@x.io: { groups: [stores], disabled: true }',
        '',
      ].join('\n'),
    );
    expect(table(result, 'user-data.csv')).toEqual([
      ['user_id', 'region', 'store'],
      ['boss@x.io', '*', '*'],
      ['empty@x.io', '(none)', '(none)'],
    ]);
    expect(result.artifacts.find((a) => a.path === 'checklist.md')!.content).toContain('`gone@x.io`: not in the user data');
  });

  it('makes a user who bypasses row rules unrestricted in every column a filter reads', () => {
    const result = compile([...SALES, 'users:', '  root@x.io: { admin: true }', ''].join('\n'));
    expect(table(result, 'user-data.csv')).toEqual([['user_id', 'region', 'store'], ['root@x.io', '*', '*']]);
  });

  it('writes a bound for unrestricted users of a comparison filter, typed by the field', () => {
    const result = compile(
      [
        'attributes:',
        '  since: { type: date, default: all }',
        'subjects:',
        '  sales: { fields: { sold_on: { column: sold_on, type: date } } }',
        'rules:',
        '  recent: { subject: sales, field: sold_on, operator: ge, attribute: since }',
        'users:',
        '  a@x.io: {}',
        '  b@x.io: { attributes: { since: [2026-03-01] } }',
        '',
      ].join('\n'),
    );
    expect(table(result, 'user-data.csv')).toEqual([['user_id', 'since'], ['a@x.io', '0001-01-01'], ['b@x.io', '2026-03-01']]);
  });
});

describe('inmydata target: what it cannot express', () => {
  it('fails at an OR rule', () => {
    const result = compile(
      ['attributes:', '  r: { type: string }', 'subjects:', '  s: { fields: { r: { column: r, type: string } } }', 'rules:', '  either:', '    subject: s', '    any:', '      - { field: r, operator: in, attribute: r }', '      - { field: r, operator: eq, values: [x] }', ''].join('\n'),
    );
    expect(result.artifacts).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.loc.line])).toEqual([['E-INMYDATA-UNSUPPORTED', 6]]);
  });

  it('fails when a comparison would need "no value": a bound cannot deny', () => {
    const result = compile(
      ['attributes:', '  lvl: { type: integer }', 'subjects:', '  s: { fields: { l: { column: l, type: integer } } }', 'rules:', '  max: { subject: s, field: l, operator: le, attribute: lvl }', 'users:', '  a@x.io: {}', ''].join('\n'),
    );
    expect(result.artifacts).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.loc.line])).toEqual([['E-INMYDATA-UNEXPRESSIBLE', 8]]);
  });

  it('fails when one attribute is read both as a value list and as a bound', () => {
    const result = compile(
      ['attributes:', '  lvl: { type: integer }', 'subjects:', '  s: { fields: { l: { column: l, type: integer } } }', 'rules:', '  a-in: { subject: s, field: l, operator: in, attribute: lvl }', '  b-max: { subject: s, field: l, operator: le, attribute: lvl }', ''].join('\n'),
    );
    expect(result.diagnostics.map((d) => [d.code, d.loc.line, d.related?.map((r) => r.loc.line)])).toEqual([['E-INMYDATA-FILTER-CONFLICT', 7, [6]]]);
  });

  it('rejects an attribute value that a spreadsheet would run as a formula', () => {
    const result = compile(['attributes:', '  r: { type: string }', 'users:', '  a@x.io: { attributes: { r: ["=1+2"] } }', ''].join('\n'));
    expect(result.diagnostics.map((d) => [d.code, d.loc.line])).toEqual([['E-CSV-FORMULA', 4]]);
  });

  it('rejects a real value equal to the all token, which would read as unrestricted', () => {
    const result = compile(
      ['attributes:', '  r: { type: string }', 'subjects:', '  s: { fields: { r: { column: r, type: string } } }', 'rules:', '  by-r: { subject: s, field: r, operator: in, attribute: r }', 'users:', '  a@x.io: { attributes: { r: ["*"] } }', ''].join('\n'),
    );
    expect(result.diagnostics.map((d) => [d.code, d.loc.line])).toEqual([['E-INMYDATA-UNEXPRESSIBLE', 8]]);
  });
});

describe('inmydata target: groups and subjects', () => {
  it('always enforces subject access, giving open subjects to the default group and restricted ones to their groups', () => {
    const result = compile([...SALES, 'users:', '  a@x.io: { groups: [stores] }', ''].join('\n'));
    expect(table(result, 'permitted-subjects.csv')).toEqual([['group', 'subject'], ['everyone', 'catalog'], ['managers', 'Sales']]);
    const settings = JSON.parse(result.artifacts.find((a) => a.path === 'settings.json')!.content);
    expect(settings.enforce_group_access_to_subjects).toBe(true);
    expect(table(result, 'user-groups.csv')).toEqual([['user_id', 'group'], ['a@x.io', 'everyone'], ['a@x.io', 'managers'], ['a@x.io', 'stores']]);
  });

  it('lists filters with their parameter, and groups with their home pages', () => {
    const result = compile([...SALES, '  home: { home: { category: finance }, description: "Home, sweet" }', ''].join('\n'));
    expect(table(result, 'filters.csv')).toEqual([
      ['subject', 'rule', 'field', 'operator', 'filter_parameter', 'values', 'period'],
      ['Sales', 'sales-by-region', 'region', 'in', 'region', '', ''],
      ['Sales', 'sales-by-store', 'store_id', 'in', 'store', '', ''],
    ]);
    expect(table(result, 'groups.csv')).toContainEqual(['home', 'Home, sweet', 'category', 'finance']);
  });
});

describe('inmydata target: user-data property', () => {
  it('keeps each column\'s set of values per user exactly the filter\'s values, whatever the lists', () => {
    const word = fc.stringMatching(/^[A-Za-z][A-Za-z ,"]{0,6}$/);
    const user = fc.record({ a: fc.uniqueArray(word, { maxLength: 4 }), b: fc.uniqueArray(fc.integer({ min: -50, max: 50 }), { maxLength: 4 }) });
    fc.assert(
      fc.property(fc.array(user, { minLength: 1, maxLength: 4 }), (users) => {
        const yaml = [
          'attributes:',
          '  a: { type: string }',
          '  b: { type: integer }',
          'subjects:',
          '  s: { fields: { a: { column: a, type: string }, b: { column: b, type: integer } } }',
          'rules:',
          '  by-a: { subject: s, field: a, operator: in, attribute: a }',
          '  by-b: { subject: s, field: b, operator: in, attribute: b }',
          'users:',
          ...users.map((u, i) => `  u${i}@x.io: { attributes: { a: ${JSON.stringify(u.a)}, b: ${JSON.stringify(u.b)} } }`),
          '',
        ].join('\n');
        const rows = table(compile(yaml), 'user-data.csv').slice(1);
        users.forEach((u, i) => {
          const mine = rows.filter((row) => row[0] === `u${i}@x.io`);
          expect(mine.length).toBe(Math.max(1, u.a.length, u.b.length));
          const column = (index: number): string[] => [...new Set(mine.map((row) => row[index]))].sort();
          expect(column(1)).toEqual(u.a.length === 0 ? ['(none)'] : [...u.a].sort());
          expect(column(2)).toEqual(u.b.length === 0 ? ['(none)'] : u.b.map(String).sort());
        });
      }),
      { numRuns: 40 },
    );
  });
});
