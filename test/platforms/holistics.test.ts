import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { directGroupNames } from '../../src/targets/http/direct-groups.js';
import { desiredHolistics } from '../../src/targets/holistics/desired.js';
import { holisticsValue } from '../../src/targets/holistics/entries.js';
import { artifact, compileTarget, fixtures, loadProject, repoRoot } from './helpers.js';

type Payloads = { users: Record<string, Record<string, { permissions?: { row_based: Array<{ path: { model: string; field: string }; operator: string; values: unknown[] }> }; denied?: boolean; reason?: string }>> };

describe('holistics attribute entries', () => {
  const projects = [path.join(fixtures, 'shop'), ...readdirSync(path.join(repoRoot, 'examples')).map((d) => path.join(repoRoot, 'examples', d))].filter((p) => existsSync(path.join(p, 'warden.yaml')));

  it.each(projects.map((p) => [path.relative(repoRoot, p), p]))('make Holistics compute exactly the values section 4 resolves, for every user and attribute (%s)', (_, root) => {
    const { model } = loadProject(root);
    const desired = desiredHolistics(model);
    let checked = 0;
    for (const user of model.users.values()) {
      if (!user.enabled) continue;
      for (const attribute of model.policy.attributes.keys()) {
        const resolved = user.attributes.get(attribute)!.value;
        const expected = resolved.kind === 'all' ? 'all' : resolved.values.map(String).sort();
        expect({ user: user.login, attribute, value: holisticsValue(desired.entries, user.login, directGroupNames(user), attribute) }).toEqual({ user: user.login, attribute, value: expected });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('uses manual for a user\'s own value, inherit for group values, all for all', () => {
    const { model } = loadProject(path.join(fixtures, 'shop'));
    const entries = desiredHolistics(model).entries;
    const entry = (type: string, subject: string, attribute: string) => entries.find((e) => e.subjectType === type && e.subject === subject && e.attribute === attribute);
    expect(entry('User', 'king.manager@shop.example', 'merchant')).toMatchObject({ inputType: 'manual', values: ['King Inc'] });
    expect(entry('User', 'vn.manager@shop.example', 'country')).toMatchObject({ inputType: 'inherit' });
    expect(entry('User', 'ceo@shop.example', 'country')).toMatchObject({ inputType: 'all' });
    // Holistics groups are flat: vietnam carries merchant: all, inherited from managers through apac.
    expect(entry('Group', 'vietnam', 'merchant')).toMatchObject({ inputType: 'all' });
    expect(entry('Group', 'vietnam', 'country')).toMatchObject({ inputType: 'manual', values: ['Vietnam'] });
    // No group defines store_id; its default is all.
    expect(entry('User', 'vn.manager@shop.example', 'store_id')).toMatchObject({ inputType: 'all' });
    // A disabled user gets an explicit empty value, and no groups.
    expect(entry('User', 'leaver@shop.example', 'country')).toMatchObject({ inputType: 'manual', values: [] });
  });
});

describe('holistics embed payloads (seed 001)', () => {
  const result = compileTarget(path.join(fixtures, 'shop'), 'holistics');
  const payloads = (artifact(result, 'embed-payloads.json') as Payloads).users;
  const rows = (login: string) => payloads[login].ecommerce.permissions!.row_based;

  it('restricts the Vietnam manager\'s country to Vietnam', () => {
    expect(rows('vn.manager@shop.example')).toContainEqual({
      path: { dataset: 'ecommerce', model: 'ecommerce_countries', field: 'country_name' },
      operator: 'is',
      modifier: null,
      values: ['Vietnam'],
    });
  });

  it('adds the city for the consultant', () => {
    const consultant = rows('consultant@shop.example');
    expect(consultant).toContainEqual(expect.objectContaining({ path: { dataset: 'ecommerce', model: 'ecommerce_countries', field: 'country_name' }, values: ['Vietnam'] }));
    expect(consultant).toContainEqual(expect.objectContaining({ path: { dataset: 'ecommerce', model: 'ecommerce_cities', field: 'city_name' }, operator: 'is', values: ['Ha Noi'] }));
    expect(rows('vn.manager@shop.example').some((r) => r.path.field === 'city_name')).toBe(false);
  });

  it('never emits an empty values list: a denied user gets no payload and an explicit denial', () => {
    for (const login of ['new.joiner@shop.example', 'outsider@shop.example']) {
      const payload = payloads[login].ecommerce;
      expect(payload.permissions).toBeUndefined();
      expect(payload).toMatchObject({ denied: true, reason: expect.any(String) });
    }
    // A disabled user is denied as a whole, whatever datasets exist.
    expect(payloads['leaver@shop.example']).toEqual({ denied: true, reason: 'the user is disabled' });
    for (const datasets of Object.values(payloads)) {
      for (const payload of Object.values(datasets)) {
        if (typeof payload !== 'object') continue;
        for (const row of payload.permissions?.row_based ?? []) expect(row.values.length).toBeGreaterThan(0);
      }
    }
  });

  it('refuses `any` (OR) at the rule\'s position', () => {
    const or = compileTarget(path.join(fixtures, 'or-rule'), 'holistics');
    expect(or.artifacts).toEqual([]);
    expect(or.diagnostics).toEqual([expect.objectContaining({ code: 'E-HOLISTICS-NO-OR', loc: expect.objectContaining({ file: 'policies/all.yaml', line: 12, column: 3 }) })]);
  });
});

describe('holistics upsert batches', () => {
  const temporary = mkdtempSync(path.join(os.tmpdir(), 'warden-holistics-'));
  afterAll(() => rmSync(temporary, { recursive: true, force: true }));

  it('sends at most 100 entries per upsert call and every entry exactly once', () => {
    const users = Array.from({ length: 130 }, (_, i) => `  user${i}@acme.example: { attributes: { region: [R${i % 7}] } }`).join('\n');
    mkdirSync(path.join(temporary, 'policies'), { recursive: true });
    writeFileSync(path.join(temporary, 'warden.yaml'), 'version: 1\ntargets:\n  holistics: { type: holistics }\n');
    writeFileSync(path.join(temporary, 'policies', 'all.yaml'), `attributes:\n  region: { type: string }\n  team: { type: string }\nusers:\n${users}\n`);
    const result = compileTarget(temporary, 'holistics');
    const upserts = (artifact(result, 'requests.json') as Array<{ path: string; body: { user_attribute_entries: unknown[] } }>).filter((r) => r.path === '/user_attribute_entries/upsert');
    const sizes = upserts.map((u) => u.body.user_attribute_entries.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
    // 130 users and the default group, two attributes each; entries already `inherit` on a fresh platform are not sent.
    const sent = upserts.flatMap((u) => u.body.user_attribute_entries as Array<{ subject_id: string; user_attribute_name: string }>).map((e) => `${e.subject_id} ${e.user_attribute_name}`);
    expect(new Set(sent).size).toBe(sent.length);
    expect(sent).toHaveLength(130);
  });
});
