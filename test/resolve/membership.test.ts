import { describe, expect, it } from 'vitest';
import { DiagnosticsError } from '../../src/diagnostics/diagnostic.js';
import { resolve } from '../../src/resolve/resolve.js';
import { buildPolicy } from '../helpers/policy-builder.js';

describe('membership (SPEC 4)', () => {
  const built = buildPolicy({
    groups: {
      staff: {},
      apac: { inherits: ['staff'] },
      vietnam: { inherits: ['apac'] },
      ops: { members: ['ops@acme.com', 'lead@acme.com'] },
    },
    users: {
      'lead@acme.com': { groups: ['vietnam'] },
      'ops@acme.com': {},
      'leaver@acme.com': { groups: ['vietnam'], disabled: true },
    },
  });
  const model = resolve(built.policy);

  it('includes the default group, own groups, members lists and every inherited group', () => {
    expect([...model.users.get('lead@acme.com')!.groups.keys()]).toEqual(['apac', 'everyone', 'ops', 'staff', 'vietnam']);
    expect([...model.users.get('ops@acme.com')!.groups.keys()]).toEqual(['everyone', 'ops']);
  });

  it('says why: the user line, the members entry, the default group and the inheritance path', () => {
    const groups = model.users.get('lead@acme.com')!.groups;
    expect(groups.get('vietnam')).toEqual([{ source: 'user', login: 'lead@acme.com', loc: built.loc('users.lead@acme.com.groups.0') }]);
    expect(groups.get('ops')).toEqual([{ source: 'members', group: 'ops', loc: built.loc('groups.ops.members.1') }]);
    expect(groups.get('everyone')).toEqual([{ source: 'default-group', group: 'everyone', loc: undefined }]);
    expect(groups.get('apac')).toEqual([{ source: 'group', group: 'apac', path: ['vietnam', 'apac'], loc: built.loc('groups.vietnam.inherits.0') }]);
    expect(groups.get('staff')).toEqual([{ source: 'group', group: 'staff', path: ['vietnam', 'apac', 'staff'], loc: built.loc('groups.apac.inherits.0') }]);
  });

  it('gives a disabled user no groups', () => {
    const leaver = model.users.get('leaver@acme.com')!;
    expect(leaver.enabled).toBe(false);
    expect(leaver.groups.size).toBe(0);
    expect(model.groupMembers.get('vietnam')).toEqual(['lead@acme.com']);
  });

  it('lists transitive members of every group, sorted, the default group included', () => {
    expect(model.groupMembers.get('everyone')).toEqual(['lead@acme.com', 'ops@acme.com']);
    expect(model.groupMembers.get('staff')).toEqual(['lead@acme.com']);
    expect(model.groupMembers.get('ops')).toEqual(['lead@acme.com', 'ops@acme.com']);
    expect([...model.groupMembers.keys()]).toEqual(['apac', 'everyone', 'ops', 'staff', 'vietnam']);
  });

  it('honours a custom default group that no file defines', () => {
    const m = resolve(buildPolicy({ settings: { default_group: 'all-staff' }, users: { 'a@x.io': {} } }).policy);
    expect([...m.users.get('a@x.io')!.groups.keys()]).toEqual(['all-staff']);
  });

  it('refuses an inheritance cycle instead of looping', () => {
    const cyclic = buildPolicy({ groups: { a: { inherits: ['b'] }, b: { inherits: ['a'] } }, users: { 'u@x.io': { groups: ['a'] } } });
    expect(() => resolve(cyclic.policy)).toThrow(DiagnosticsError);
  });

  it('sorts users by login and keeps the database role', () => {
    const m = resolve(buildPolicy({ users: { 'b@x.io': { db_role: 'app_b' }, 'a@x.io': {} } }).policy);
    expect([...m.users.keys()]).toEqual(['a@x.io', 'b@x.io']);
    expect(m.users.get('b@x.io')!.dbRole).toBe('app_b');
    expect(m.users.get('a@x.io')!.dbRole).toBe('a@x.io');
  });

  it('keeps every reason for a group reached several ways, and reads the same maps every time', () => {
    const b = buildPolicy({
      groups: { ops: { members: ['a@x.io'] }, sub: { inherits: ['ops'] } },
      users: { 'a@x.io': { groups: ['sub', 'ops'] } },
    });
    const user = resolve(b.policy).users.get('a@x.io')!;
    expect(user.groups.get('ops')).toEqual([
      { source: 'user', login: 'a@x.io', loc: b.loc('users.a@x.io.groups.1') },
      { source: 'members', group: 'ops', loc: b.loc('groups.ops.members.0') },
      { source: 'group', group: 'ops', path: ['sub', 'ops'], loc: b.loc('groups.sub.inherits.0') },
    ]);
    expect(user.groups).toBe(user.groups);
    expect(user.attributes).toBe(user.attributes);
  });

  it("counts a members list as a direct group for attribute values", () => {
    const m = resolve(
      buildPolicy({
        attributes: { country: { type: 'string' } },
        groups: { vn: { members: ['a@x.io'], attributes: { country: ['Vietnam'] } }, sg: { attributes: { country: ['Singapore'] } } },
        users: { 'a@x.io': { groups: ['sg'] } },
      }).policy,
    );
    expect(m.users.get('a@x.io')!.attributes.get('country')!.value).toEqual({ kind: 'values', values: ['Singapore', 'Vietnam'] });
  });
});
