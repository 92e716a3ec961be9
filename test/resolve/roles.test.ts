import { describe, expect, it } from 'vitest';
import { DiagnosticsError } from '../../src/diagnostics/diagnostic.js';
import { resolve } from '../../src/resolve/resolve.js';
import { buildPolicy } from '../helpers/policy-builder.js';

const built = buildPolicy({
  roles: {
    regional_lead: { extends: ['dashboard_analyzer'], permissions: ['catalog.manage'] },
    senior_lead: { extends: ['regional_lead'] },
    auditor: { permissions: ['security.view'], row_rules: 'bypass' },
  },
  groups: {
    apac: { roles: ['senior_lead'] },
    vietnam: { inherits: ['apac'] },
    audit: { roles: ['auditor'] },
  },
  users: {
    'lead@acme.com': { groups: ['vietnam'] },
    'plain@acme.com': {},
    'admin@acme.com': { admin: true },
    'auditor@acme.com': { groups: ['audit'] },
    'gone@acme.com': { groups: ['audit'], admin: true, disabled: true },
  },
});
const model = resolve(built.policy);
const user = (login: string) => model.users.get(login)!;

describe('roles and permissions (SPEC 4)', () => {
  it('gives every user the base role', () => {
    expect([...user('plain@acme.com').roles.keys()]).toEqual(['user']);
    expect(user('plain@acme.com').roles.get('user')).toEqual([{ source: 'base-role', role: 'user', loc: undefined }]);
    expect(user('plain@acme.com').permissions).toEqual(['catalog.view']);
  });

  it('adds the roles of every group, inherited ones included, closed under extends', () => {
    expect([...user('lead@acme.com').roles.keys()]).toEqual(['dashboard_analyzer', 'regional_lead', 'senior_lead', 'user']);
    expect(user('lead@acme.com').roles.get('senior_lead')).toEqual([
      { source: 'group', group: 'apac', path: ['vietnam', 'apac'], loc: built.loc('groups.apac.roles.0') },
    ]);
    expect(user('lead@acme.com').roles.get('dashboard_analyzer')).toEqual([
      { source: 'role', role: 'dashboard_analyzer', path: ['senior_lead', 'regional_lead', 'dashboard_analyzer'], loc: built.loc('roles.regional_lead.extends.0') },
    ]);
  });

  it('unions permissions with the implied views: share and manage imply view, manage does not imply share', () => {
    expect(user('lead@acme.com').permissions).toEqual(['catalog.manage', 'catalog.share', 'catalog.view']);
    const m = resolve(buildPolicy({ roles: { r: { permissions: ['data.manage'] } }, groups: { g: { roles: ['r'] } }, users: { u: { groups: ['g'] } } }).policy);
    expect(m.users.get('u')!.permissions).toEqual(['catalog.view', 'data.manage', 'data.view']);
  });

  it('gives an administrator super_role, its permissions, bypass and impersonation', () => {
    const admin = user('admin@acme.com');
    expect(admin.roles.get('super_role')).toEqual([{ source: 'admin', login: 'admin@acme.com', loc: built.loc('users.admin@acme.com') }]);
    expect(admin.permissions).toEqual(['catalog.manage', 'catalog.view', 'data.manage', 'data.view', 'schema.manage', 'schema.view', 'security.manage', 'security.view']);
    expect(admin.bypassRowRules.value).toBe(true);
    expect(admin.impersonate).toBe(true);
  });

  it('bypasses row rules when any role says so, naming the role', () => {
    expect(user('auditor@acme.com').bypassRowRules).toEqual({
      value: true,
      because: [{ source: 'role', role: 'auditor', path: ['auditor'], loc: built.loc('roles.auditor') }],
    });
    expect(user('lead@acme.com').bypassRowRules).toEqual({ value: false, because: [] });
    expect(user('lead@acme.com').impersonate).toBe(false);
  });

  it('gives a disabled user no roles or permissions, even an admin', () => {
    const gone = user('gone@acme.com');
    expect(gone.roles.size).toBe(0);
    expect(gone.permissions).toEqual([]);
    expect(gone.bypassRowRules.value).toBe(false);
    expect(gone.impersonate).toBe(false);
  });

  it('honours a custom base role', () => {
    const m = resolve(buildPolicy({ settings: { base_role: 'privileged_user' }, users: { u: {} } }).policy);
    expect([...m.users.get('u')!.roles.keys()]).toEqual(['privileged_user']);
    expect(m.users.get('u')!.permissions).toEqual(['catalog.share', 'catalog.view']);
  });

  it('refuses an extends cycle instead of looping', () => {
    const cyclic = buildPolicy({ roles: { a: { extends: ['b'] }, b: { extends: ['a'] } }, groups: { g: { roles: ['a'] } }, users: { u: { groups: ['g'] } } });
    expect(() => resolve(cyclic.policy)).toThrow(DiagnosticsError);
  });
});
