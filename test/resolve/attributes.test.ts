import { describe, expect, it } from 'vitest';
import { resolve } from '../../src/resolve/resolve.js';
import { buildPolicy, type PolicySpec } from '../helpers/policy-builder.js';

const spec: PolicySpec = {
  attributes: {
    country: { type: 'string' },
    region: { type: 'string' },
    merchant: { type: 'string' },
    store_id: { type: 'integer' },
    since: { type: 'date', default: 'all' },
    tier: { type: 'string', default: ['basic'] },
  },
  groups: {
    apac: { attributes: { region: ['APAC'], country: ['Australia'] } },
    vietnam: { inherits: ['apac'], attributes: { country: ['Vietnam'] } },
    singapore: { inherits: ['apac'], attributes: { country: ['Singapore'] } },
    malaysia: { inherits: ['apac'] },
    stores: { attributes: { store_id: [10, 9, 100, 9] } },
    global: { attributes: { country: 'all' } },
    mid: { inherits: ['vietnam', 'singapore'] },
  },
  users: {
    'ceo@acme.com': { name: 'Chief Executive', attributes: { country: 'all', merchant: 'all' } },
    'apac.lead@acme.com': { groups: ['vietnam', 'singapore', 'malaysia'] },
    'king.manager@acme.com': { groups: ['vietnam'], attributes: { merchant: ['King Inc'] } },
    'override@acme.com': { groups: ['vietnam'], attributes: { country: ['Laos'] } },
    'nobody@acme.com': { attributes: { country: [] } },
    'global@acme.com': { groups: ['vietnam', 'global'] },
    'stores@acme.com': { groups: ['stores'] },
    'mid@acme.com': { groups: ['mid'] },
    'bot': { email: 'bot-owner@acme.com' },
    'plain': {},
  },
};

const built = buildPolicy(spec);
const model = resolve(built.policy);
const attr = (login: string, name: string) => model.users.get(login)!.attributes.get(name)!;

describe('attribute values (SPEC 4)', () => {
  it("uses the user's own value, replacing group values entirely", () => {
    expect(attr('override@acme.com', 'country')).toEqual({
      value: { kind: 'values', values: ['Laos'] },
      because: [{ source: 'user', login: 'override@acme.com', loc: built.loc('users.override@acme.com.attributes.country') }],
    });
    // Other attributes still come from the groups.
    expect(attr('override@acme.com', 'region').value).toEqual({ kind: 'values', values: ['APAC'] });
  });

  it('treats an own `all` as unrestricted and an own empty list as none', () => {
    expect(attr('ceo@acme.com', 'country').value).toEqual({ kind: 'all' });
    expect(attr('nobody@acme.com', 'country').value).toEqual({ kind: 'values', values: [] });
  });

  it("takes a group's nearest definition: the child's value replaces the parent's", () => {
    expect(attr('king.manager@acme.com', 'country')).toEqual({
      value: { kind: 'values', values: ['Vietnam'] },
      because: [{ source: 'group', group: 'vietnam', path: ['vietnam'], loc: built.loc('groups.vietnam.attributes.country') }],
    });
  });

  it('inherits a definition the group lacks from its parent, with the path', () => {
    expect(attr('king.manager@acme.com', 'region')).toEqual({
      value: { kind: 'values', values: ['APAC'] },
      because: [{ source: 'group', group: 'apac', path: ['vietnam', 'apac'], loc: built.loc('groups.apac.attributes.region') }],
    });
  });

  it('unions over direct groups (optimistic), sorted, with every source', () => {
    const country = attr('apac.lead@acme.com', 'country');
    // malaysia defines no country, so it inherits apac's Australia.
    expect(country.value).toEqual({ kind: 'values', values: ['Australia', 'Singapore', 'Vietnam'] });
    expect(country.because).toEqual([
      { source: 'group', group: 'vietnam', path: ['vietnam'], loc: built.loc('groups.vietnam.attributes.country') },
      { source: 'group', group: 'singapore', path: ['singapore'], loc: built.loc('groups.singapore.attributes.country') },
      { source: 'group', group: 'apac', path: ['malaysia', 'apac'], loc: built.loc('groups.apac.attributes.country') },
    ]);
  });

  it("unions a group's parents when it defines nothing itself", () => {
    expect(attr('mid@acme.com', 'country').value).toEqual({ kind: 'values', values: ['Singapore', 'Vietnam'] });
    expect(attr('mid@acme.com', 'country').because.map((p) => (p.source === 'group' ? p.path : []))).toEqual([
      ['mid', 'vietnam'],
      ['mid', 'singapore'],
    ]);
  });

  it('lets `all` absorb the union, explained by the groups that give it', () => {
    expect(attr('global@acme.com', 'country')).toEqual({
      value: { kind: 'all' },
      because: [{ source: 'group', group: 'global', path: ['global'], loc: built.loc('groups.global.attributes.country') }],
    });
  });

  it('falls back to the default: none unless stated, `all`, or listed values', () => {
    expect(attr('plain', 'merchant')).toEqual({ value: { kind: 'values', values: [] }, because: [{ source: 'attribute-default', attribute: 'merchant', loc: undefined }] });
    expect(attr('plain', 'since')).toEqual({ value: { kind: 'all' }, because: [{ source: 'attribute-default', attribute: 'since', loc: built.loc('attributes.since.default') }] });
    expect(attr('plain', 'tier').value).toEqual({ kind: 'values', values: ['basic'] });
  });

  it('types, de-duplicates and sorts numbers numerically', () => {
    expect(attr('stores@acme.com', 'store_id').value).toEqual({ kind: 'values', values: [9, 10, 100] });
  });

  it('derives the system attributes user.login, user.email and user.name', () => {
    expect(attr('ceo@acme.com', 'user.login').value).toEqual({ kind: 'values', values: ['ceo@acme.com'] });
    expect(attr('ceo@acme.com', 'user.email').value).toEqual({ kind: 'values', values: ['ceo@acme.com'] });
    expect(attr('ceo@acme.com', 'user.name').value).toEqual({ kind: 'values', values: ['Chief Executive'] });
    expect(attr('bot', 'user.email').value).toEqual({ kind: 'values', values: ['bot-owner@acme.com'] });
    // A login that is not an e-mail address gives no e-mail: none, which denies.
    expect(attr('plain', 'user.email').value).toEqual({ kind: 'values', values: [] });
    expect(attr('plain', 'user.login').because).toEqual([{ source: 'system', attribute: 'user.login' }]);
    expect(model.users.get('bot')!.email).toBe('bot-owner@acme.com');
    expect(model.users.get('plain')!.email).toBeUndefined();
  });

  it('holds every defined attribute plus the system ones, sorted by name', () => {
    expect([...model.users.get('plain')!.attributes.keys()]).toEqual([
      'country',
      'merchant',
      'region',
      'since',
      'store_id',
      'tier',
      'user.email',
      'user.login',
      'user.name',
    ]);
  });

  it('gives a disabled user no values at all', () => {
    const m = resolve(buildPolicy({ ...spec, users: { 'x@acme.com': { disabled: true, attributes: { country: 'all' }, groups: ['global'] } } }).policy);
    for (const value of m.users.get('x@acme.com')!.attributes.values()) expect(value.value).toEqual({ kind: 'values', values: [] });
  });
});
