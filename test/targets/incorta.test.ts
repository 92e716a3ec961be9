import { describe, expect, it } from 'vitest';
import type { CompileResult, TargetConfig } from '../../src/targets/target.js';
import { incortaTarget } from '../../src/targets/incorta/index.js';
import { parseCsv } from '../../src/util/csv.js';
import { resolveYaml } from '../helpers/resolve-yaml.js';
import { now } from './compile-target.js';

const target: TargetConfig = { name: 'incorta', type: 'incorta', loc: { file: 'warden.yaml', line: 1, column: 1 }, options: {}, optionLocs: {} };

function compile(yaml: string, options: Record<string, unknown> = {}): CompileResult {
  const model = resolveYaml({ 'policies/p.yaml': yaml }, { now });
  return incortaTarget.compile(model, { target: { ...target, options }, env: {}, projectRoot: '/', now });
}

function file(result: CompileResult, path: string): string {
  const artifact = result.artifacts.find((a) => a.path === path);
  if (artifact === undefined) throw new Error(`no ${path}: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  return artifact.content;
}

const table = (result: CompileResult, path: string): string[][] => parseCsv(file(result, path));

describe('incorta target', () => {
  it('fails at the custom role, pointing at where it is assigned, when it does not name built-ins', () => {
    const result = compile(
      ['roles:', '  auditor:', '    extends: [individual_analyzer]', 'groups:', '  audit:', '    roles: [auditor]', 'users:', '  a@x.io: { groups: [audit] }', ''].join('\n'),
    );
    expect(result.artifacts).toEqual([]);
    const [diagnostic] = result.diagnostics;
    expect(diagnostic).toMatchObject({ code: 'E-INCORTA-CUSTOM-ROLE', severity: 'error', loc: { file: 'policies/p.yaml', line: 2 } });
    expect(diagnostic.related?.map((r) => r.loc.line)).toEqual([6]);
  });

  it('assigns the built-ins a custom role stands for, and a custom base role to the default group', () => {
    const result = compile(
      [
        'settings: { base_role: viewer }',
        'roles:',
        '  viewer: { extends: [user], incorta_roles: [user] }',
        '  reviewer: { extends: [dashboard_analyzer], incorta_roles: [dashboard_analyzer] }',
        'groups:',
        '  review: { roles: [reviewer, schema_manager] }',
        'users:',
        '  a@x.io: { groups: [review] }',
        '',
      ].join('\n'),
    );
    expect(result.diagnostics).toEqual([]);
    // Incorta's User role is every user's already: not listed.
    expect(table(result, 'group_roles.csv')).toEqual([['group_name', 'role'], ['review', 'Dashboard Analyzer'], ['review', 'Schema Manager']]);
  });

  it('warns when the named built-ins grant more than the custom role', () => {
    const result = compile(['roles:', '  narrow: { permissions: [catalog.view], incorta_roles: [super_role] }', 'groups:', '  g: { roles: [narrow] }', ''].join('\n'));
    expect(result.diagnostics.map((d) => [d.code, d.loc.line])).toEqual([['W-INCORTA-ROLE-BROADER', 2]]);
    expect(table(result, 'group_roles.csv')).toContainEqual(['g', 'SuperRole']);
  });

  it('syncs enabled users into every group they are in, inherited ones included, and leaves disabled users out', () => {
    const result = compile(
      [
        'groups:',
        '  staff: {}',
        '  apac: { inherits: [staff] }',
        'users:',
        '  lead@x.io: { name: "Lead, APAC", groups: [apac] }',
        '  gone@x.io: { groups: [apac], disabled: true }',
        '',
      ].join('\n'),
    );
    expect(table(result, 'users.csv')).toEqual([['login', 'email', 'display_name'], ['lead@x.io', 'lead@x.io', 'Lead, APAC']]);
    expect(table(result, 'user_groups.csv')).toEqual([['group_name', 'login'], ['apac', 'lead@x.io'], ['everyone', 'lead@x.io'], ['staff', 'lead@x.io']]);
    expect(table(result, 'groups.csv').map((row) => row[0])).toEqual(['name', 'apac', 'everyone', 'staff']);
    expect(file(result, 'checklist.md')).toContain('`gone@x.io`: not in the sync');
  });

  it('writes the seed\'s properties for full sync in groups mode', () => {
    const result = compile('users:\n  a@x.io: {}\n', { schema: 'securityInfo' });
    const lines = file(result, 'users-and-groups.properties').split('\n');
    for (const line of [
      'user.login=securityInfo.users.login',
      'user.email=securityInfo.users.email',
      'user.name=securityInfo.users.display_name',
      'user.timezone="GMT-08\\:00"',
      'group.name=securityInfo.groups.name',
      'group.description=securityInfo.groups.description',
      'user-group.group=securityInfo.user_groups.group_name',
      'user-group.user=securityInfo.user_groups.login',
      'autoGenerateGroup=true',
      'Fullsync=true',
      'assignmentMode=groups',
    ]) {
      expect(lines).toContain(line);
    }
  });

  it('rejects users Incorta cannot take: no e-mail, a shared e-mail, a formula-like login', () => {
    const result = compile(['users:', '  plainlogin: {}', '  a@x.io: {}', '  b: { email: A@x.io }', '  "=HYPERLINK(1)@x.io": {}', ''].join('\n'));
    expect(result.artifacts).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.loc.line])).toEqual([
      ['E-INCORTA-NO-EMAIL', 2],
      ['E-INCORTA-DUPLICATE-EMAIL', 4],
      ['E-CSV-FORMULA', 5],
    ]);
  });

  it('neutralises formulas in free text', () => {
    const result = compile('groups:\n  g: { description: "=cmd|x" }\nusers:\n  a@x.io: { name: "+1 person" }\n');
    expect(table(result, 'groups.csv')).toContainEqual(['g', "'=cmd|x"]);
    expect(table(result, 'users.csv')).toContainEqual(['a@x.io', 'a@x.io', "'+1 person"]);
  });

  it('never lets a group switch give API keys to a user who has them disabled', () => {
    const result = compile(
      [
        'groups:',
        '  analysts: { api_keys: enabled }',
        '  loaders: { api_keys: enabled }',
        'users:',
        '  a@x.io: { groups: [analysts] }',
        '  c@x.io: { groups: [analysts], api_keys: disabled }',
        '  l@x.io: { groups: [loaders] }',
        '',
      ].join('\n'),
    );
    const checklist = file(result, 'checklist.md');
    expect(checklist).toMatch(/Group `analysts`: Disable API Key Generation/);
    expect(checklist).toMatch(/Group `loaders`: Enable API Key Generation/);
    expect(checklist).toContain('User `a@x.io`: Enable API Key Generation');
    expect(checklist).toContain('User `c@x.io`: Disable API Key Generation');
  });

  it('rejects unknown and malformed options at the option', () => {
    const result = incortaTarget.compile(resolveYaml({ 'policies/p.yaml': 'users:\n  a@x.io: {}\n' }, { now }), {
      target: { ...target, options: { schema: 'bad schema', colour: 'x' }, optionLocs: { schema: { file: 'warden.yaml', line: 4, column: 13 }, colour: { file: 'warden.yaml', line: 5, column: 13 } } },
      env: {},
      projectRoot: '/',
      now,
    });
    expect(result.artifacts).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.loc.line])).toEqual([['E-CONFIG', 4], ['E-UNKNOWN-KEY', 5]]);
  });
});
