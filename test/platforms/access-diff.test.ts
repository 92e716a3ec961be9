import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlatform, planPlatform, type PlatformPlan } from '../../src/targets/http/platform.js';
import { formatPlatformPlan } from '../../src/targets/http/plan-text.js';
import { rig, type Rig } from './harness.js';
import { fixtures, loadProject } from './helpers.js';

/**
 * The access diff of platform plans (SPEC 6: per user, what is gained and lost), against the
 * stateful mock platforms: a fresh platform, a drift made by hand, and the platform after apply.
 */
const project = loadProject(path.join(fixtures, 'shop'));
const rigs: Rig[] = [];
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.server.close()));
});

async function setUp(target: string): Promise<Rig> {
  const r = await rig(project.model, project.contexts.get(target)!);
  rigs.push(r);
  return r;
}

const plan = (r: Rig, target: string): Promise<PlatformPlan> => planPlatform({ target, type: project.contexts.get(target)!.target.type, adapter: r.adapter, client: r.client });

describe('holistics access diff', () => {
  it('a fresh platform: every enabled user arrives with their effective attribute values; a disabled one stays away', async () => {
    const r = await setUp('holistics');
    const first = await plan(r, 'holistics');
    const vn = first.access!.find((a) => a.user === 'vn.manager@shop.example')!;
    expect(vn.before).toBeNull();
    expect(vn.after).toMatchObject({ country: '{Vietnam}', merchant: 'all' });
    expect(first.access!.find((a) => a.user === 'consultant@shop.example')!.after).toMatchObject({ country: '{Vietnam}', city: '{Ha Noi}' });
    expect(first.access!.some((a) => a.user === 'leaver@shop.example')).toBe(false);
    expect(first.access!.map((a) => a.user)).toEqual([...first.access!.map((a) => a.user)].sort());
  });

  it('a membership added by hand: the user would lose the country it gave, and nothing else', async () => {
    const r = await setUp('holistics');
    await applyPlatform({ plan: await plan(r, 'holistics'), adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    expect((await plan(r, 'holistics')).access).toEqual([]);
    const state = r.holistics!;
    const singapore = [...state.groups].find(([, g]) => g.name === 'singapore')![0];
    const vn = [...state.users].find(([, u]) => u.email === 'vn.manager@shop.example')!;
    // vn.manager's own country entry becomes `inherit`, and the hand-made membership adds Singapore.
    const country = [...state.attributes].find(([, a]) => a.name === 'country')![0];
    vn[1].groupIds.add(singapore);
    state.entries.set(`User:${vn[0]}:${country}`, { input_type: 'inherit', values: [] });
    const drifted = await plan(r, 'holistics');
    expect(drifted.access).toEqual([
      { user: 'vn.manager@shop.example', before: expect.objectContaining({ country: '{Singapore, Vietnam}' }), after: expect.objectContaining({ country: '{Vietnam}' }) },
    ]);
    expect(formatPlatformPlan(drifted)).toContain('Access:\n  vn.manager@shop.example: country {Singapore, Vietnam} -> {Vietnam}\n');
  });
});

describe('gooddata access diff', () => {
  it('cloud: a filter widened by hand shows as the user losing the rows it gave', async () => {
    const r = await setUp('gooddata');
    await applyPlatform({ plan: await plan(r, 'gooddata'), adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    const filters = r.gooddata!.filters.get('shop') as Array<{ id: string; maql: string }>;
    filters.find((f) => f.id === 'warden-vn.manager_40shop.example')!.maql = '1 = 1';
    const drifted = await plan(r, 'gooddata');
    expect(drifted.access).toEqual([
      { user: 'vn.manager@shop.example', before: { filter: '1 = 1' }, after: { filter: '({label/country.name} = "Vietnam") AND ({label/merchant.name} <> "Test Merchant")' } },
    ]);
  });

  it('legacy: a user whose filter was removed by hand goes from every row back to their filter', async () => {
    const r = await setUp('gooddata-legacy');
    await applyPlatform({ plan: await plan(r, 'gooddata-legacy'), adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    const legacy = r.gooddata!.legacy;
    legacy.assignments.set(legacy.users.find((u) => u.login === 'vn.manager@shop.example')!.self, []);
    const drifted = await plan(r, 'gooddata-legacy');
    expect(drifted.access).toHaveLength(1);
    expect(drifted.access![0]).toMatchObject({ user: 'vn.manager@shop.example', before: { filter: '(none: every row)' } });
    expect(drifted.access![0].after!.filter).toContain('/gdc/md/abc123/obj/1049');
  });
});
