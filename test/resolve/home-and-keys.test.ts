import { describe, expect, it } from 'vitest';
import { resolve } from '../../src/resolve/resolve.js';
import { buildPolicy } from '../helpers/policy-builder.js';

describe('home page (SPEC 4)', () => {
  const built = buildPolicy({
    groups: {
      everyone: { home: { category: 'company' } },
      apac: { home: { dashboard: 'sales-overview' } },
      vietnam: { inherits: ['apac'] },
      finance: { home: { category: 'finance' } },
      plain: {},
      listing: { members: ['member@acme.com'], home: { dashboard: 'members-board' } },
    },
    users: {
      'own@acme.com': { groups: ['finance'], home: { dashboard: 'mine' } },
      'order@acme.com': { groups: ['plain', 'finance', 'apac'] },
      'inherit@acme.com': { groups: ['vietnam', 'finance'] },
      'default@acme.com': { groups: ['plain'] },
      'member@acme.com': {},
      'off@acme.com': { disabled: true, home: { dashboard: 'mine' } },
    },
  });
  const model = resolve(built.policy);
  const home = (login: string) => model.users.get(login)!.home;

  it("uses the user's own home first", () => {
    expect(home('own@acme.com')).toEqual({ value: { dashboard: 'mine' }, because: [{ source: 'user', login: 'own@acme.com', loc: built.loc('users.own@acme.com.home') }] });
  });

  it("then the first of the user's groups, in their order, that has one", () => {
    expect(home('order@acme.com')).toEqual({
      value: { category: 'finance' },
      because: [{ source: 'group', group: 'finance', path: ['finance'], loc: built.loc('groups.finance.home') }],
    });
  });

  it("counts a group's inherited home", () => {
    expect(home('inherit@acme.com')).toEqual({
      value: { dashboard: 'sales-overview' },
      because: [{ source: 'group', group: 'apac', path: ['vietnam', 'apac'], loc: built.loc('groups.apac.home') }],
    });
  });

  it("then the default group's; a members list does not order homes", () => {
    expect(home('default@acme.com')?.value).toEqual({ category: 'company' });
    expect(home('member@acme.com')?.value).toEqual({ category: 'company' });
  });

  it('gives a disabled user none', () => {
    expect(home('off@acme.com')).toBeNull();
  });

  it('is null when nothing sets one', () => {
    expect(resolve(buildPolicy({ users: { u: {} } }).policy).users.get('u')!.home).toBeNull();
  });
});

describe('API keys (SPEC 4)', () => {
  const now = new Date('2027-06-01T12:00:00Z');
  const built = buildPolicy({
    groups: { bots: { api_keys: 'enabled' }, parent: { api_keys: 'enabled' }, child: { inherits: ['parent'] }, closed: { api_keys: 'disabled' } },
    users: {
      'bot@acme.com': { groups: ['bots'] },
      'child@acme.com': { groups: ['child', 'closed'] },
      'optout@acme.com': { groups: ['bots'], api_keys: 'disabled' },
      'optin@acme.com': { api_keys: 'enabled' },
      'plain@acme.com': {},
      'leaver@acme.com': { groups: ['bots'], disabled: true },
    },
    api_keys: {
      'far': { user: 'bot@acme.com', expires: '2028-01-01' },
      'none': { user: 'child@acme.com' },
      'soon': { user: 'optin@acme.com', expires: '2027-07-01' },
      'edge': { user: 'bot@acme.com', expires: '2027-06-01' },
      'expired': { user: 'bot@acme.com', expires: '2027-05-31' },
      'optout': { user: 'optout@acme.com' },
      'plain': { user: 'plain@acme.com' },
      'leaver': { user: 'leaver@acme.com' },
      'ghost': { user: 'ghost@acme.com' },
    },
  });
  const model = resolve(built.policy, { now });

  it("enables generation by the user's own setting, else by any group (inherited included)", () => {
    expect(model.users.get('bot@acme.com')!.apiKeysEnabled).toEqual({
      value: true,
      because: [{ source: 'group', group: 'bots', path: ['bots'], loc: built.loc('groups.bots.api_keys') }],
    });
    expect(model.users.get('child@acme.com')!.apiKeysEnabled).toMatchObject({ value: true, because: [{ group: 'parent', path: ['child', 'parent'] }] });
    expect(model.users.get('optout@acme.com')!.apiKeysEnabled).toEqual({
      value: false,
      because: [{ source: 'user', login: 'optout@acme.com', loc: built.loc('users.optout@acme.com.api_keys') }],
    });
    expect(model.users.get('optin@acme.com')!.apiKeysEnabled.value).toBe(true);
    expect(model.users.get('plain@acme.com')!.apiKeysEnabled).toEqual({ value: false, because: [] });
  });

  it('marks keys valid only for enabled users with generation enabled, and not expired', () => {
    const valid = Object.fromEntries([...model.apiKeys].map(([name, key]) => [name, key.valid]));
    expect(valid).toEqual({ edge: true, expired: false, far: true, ghost: false, leaver: false, none: true, optout: false, plain: false, soon: true });
    expect([...model.apiKeys.keys()]).toEqual(['edge', 'expired', 'far', 'ghost', 'leaver', 'none', 'optout', 'plain', 'soon']);
  });

  it('reports expired keys as errors and keys expiring within 30 days as warnings, at the expiry', () => {
    const byKey = (code: string) => model.diagnostics.filter((d) => d.code === code).map((d) => [d.severity, d.loc]);
    expect(byKey('E-API-KEY-EXPIRED')).toEqual([['error', built.loc('api_keys.expired.expires')]]);
    expect(byKey('W-API-KEY-EXPIRING')).toEqual([
      ['warning', built.loc('api_keys.soon.expires')],
      ['warning', built.loc('api_keys.edge.expires')],
    ]);
    expect(model.diagnostics.find((d) => d.code === 'E-API-KEY-EXPIRED')!.related).toEqual([{ message: 'API key expired', loc: built.loc('api_keys.expired') }]);
  });

  it('reports invalid keys as errors at the key', () => {
    const invalid = model.diagnostics.filter((d) => d.code === 'E-API-KEY-INVALID');
    expect(invalid.map((d) => d.loc)).toEqual([
      built.loc('api_keys.optout.user'),
      built.loc('api_keys.plain.user'),
      built.loc('api_keys.leaver.user'),
      built.loc('api_keys.ghost.user'),
    ]);
    expect(invalid[2].message).toContain('disabled');
  });
});
