import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPlatform, planPlatform } from '../../src/targets/http/platform.js';
import { bindRequest, references, type Bindings, type PlatformRequest } from '../../src/targets/http/request.js';
import { rig, type Rig } from './harness.js';
import { artifact, compileTarget, fixtures, loadProject, repoRoot } from './helpers.js';
import { loadVendor, type ContractRequest, type VendorContract } from './vendor-contract.js';

/**
 * Every request the platform targets emit — in requests.json, and every request (reads
 * included) that plan and apply send to a platform — must be one the vendor's own API
 * description accepts: path and method exist, and the body validates against the operation's
 * request-body schema. The legacy GoodData API is not in ../shared/vendor/; its requests are
 * checked against test/platforms/gooddata-legacy-openapi.json, written from seed 002.
 */
const contracts = new Map<string, VendorContract>();
function contractFor(type: string, api: unknown): VendorContract {
  const key = type === 'gooddata' ? (api === 'legacy' ? 'gooddata-legacy' : 'gooddata') : 'holistics';
  if (!contracts.has(key)) contracts.set(key, loadVendor(key as 'gooddata' | 'holistics' | 'gooddata-legacy'));
  return contracts.get(key)!;
}

/** Projects with a gooddata or holistics target: every example, and this suite's fixtures. */
function projects(): Array<{ name: string; root: string; targets: string[] }> {
  const roots = [
    ...readdirSync(path.join(repoRoot, 'examples')).map((d) => ({ name: `examples/${d}`, root: path.join(repoRoot, 'examples', d) })),
    { name: 'fixtures/shop', root: path.join(fixtures, 'shop') },
  ].filter((p) => existsSync(path.join(p.root, 'warden.yaml')));
  return roots
    .map((p) => {
      const { contexts } = loadProject(p.root);
      return { ...p, targets: [...contexts].filter(([, c]) => c.target.type === 'gooddata' || c.target.type === 'holistics').map(([n]) => n).sort() };
    })
    .filter((p) => p.targets.length > 0);
}

/** Stand-in ids of the right type for the placeholders of requests.json (apply binds real ones). */
function fakeBindings(requests: PlatformRequest[], type: string, project: string): Bindings {
  const bindings: Bindings = {};
  let next = 1;
  for (const key of requests.flatMap(references)) {
    if (key in bindings) continue;
    const kind = key.slice(0, key.indexOf(':'));
    const n = next++;
    bindings[key] = type === 'holistics' ? n : kind === 'user' ? `/gdc/account/profile/u${n}` : `/gdc/md/${project}/obj/${n}`;
  }
  return bindings;
}

const cases = projects().flatMap((p) => p.targets.map((target) => ({ ...p, target })));

describe('contract: requests.json', () => {
  it('covers every example with a platform target', () => {
    expect(cases.map((c) => `${c.name} ${c.target}`)).toEqual(expect.arrayContaining(['fixtures/shop gooddata', 'fixtures/shop gooddata-legacy', 'fixtures/shop holistics']));
  });

  it.each(cases.map((c) => [`${c.name} ${c.target}`, c] as const))('%s', (_, c) => {
    const result = compileTarget(c.root, c.target);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const options = result.ctx.target.options;
    const requests = artifact(result, 'requests.json') as PlatformRequest[];
    expect(requests.length).toBeGreaterThan(0);
    const project = String(options.project ?? options.workspace ?? '');
    const bindings = fakeBindings(requests, result.ctx.target.type, project);
    const contract = contractFor(result.ctx.target.type, options.api);
    const problems = requests.flatMap((r) => contract.check(bindRequest(r, bindings) as ContractRequest));
    expect(problems).toEqual([]);
  });
});

describe('contract: what plan and apply send', () => {
  const rigs: Rig[] = [];
  afterAll(async () => {
    await Promise.all(rigs.map((r) => r.server.close()));
  });

  it.each(cases.map((c) => [`${c.name} ${c.target}`, c] as const))('%s', async (_, c) => {
    const { model, contexts } = loadProject(c.root);
    const ctx = contexts.get(c.target)!;
    const r = await rig(model, ctx);
    rigs.push(r);
    const first = await planPlatform({ target: c.target, type: ctx.target.type, adapter: r.adapter, client: r.client });
    const outcome = await applyPlatform({ plan: first, adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    expect(outcome).toMatchObject({ status: 'applied' });
    // Drift, so that updates and removals are sent too.
    if (r.gooddata) {
      for (const group of r.gooddata.groups.values()) group.name = `${group.name} (renamed)`;
      for (const user of r.gooddata.users.values()) user.groups = [];
    }
    if (r.holistics) {
      for (const attribute of r.holistics.attributes.values()) attribute.label = 'renamed';
      const everyGroup = [...r.holistics.groups.keys()];
      for (const user of r.holistics.users.values()) for (const g of everyGroup) user.groupIds.add(g);
    }
    const second = await planPlatform({ target: c.target, type: ctx.target.type, adapter: r.adapter, client: r.client });
    await applyPlatform({ plan: second, adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    const sent = r.server.log.filter((e) => e.authorised);
    // The legacy API has only creates and full re-specifications (POST); the others update and remove.
    if (ctx.target.options.api !== 'legacy') expect(sent.some((e) => e.method === 'PUT' || e.method === 'PATCH' || e.path.includes('remove_user'))).toBe(true);
    const contract = contractFor(ctx.target.type, ctx.target.options.api);
    const problems = sent.flatMap((e) => contract.check({ method: e.method, path: e.path, body: e.body }));
    expect(problems).toEqual([]);
  });
});

describe('the contract checker itself', () => {
  it('rejects unknown paths, wrong methods and bodies the vendor schema refuses', () => {
    const holistics = loadVendor('holistics');
    expect(holistics.check({ method: 'POST', path: '/groups', body: { group: { name: 'x' } } })).toEqual([]);
    expect(holistics.check({ method: 'POST', path: '/nowhere' })).not.toEqual([]);
    expect(holistics.check({ method: 'PATCH', path: '/groups' })).not.toEqual([]);
    expect(holistics.check({ method: 'POST', path: '/groups', body: { group: { title: 'x' } } })).not.toEqual([]);
    expect(holistics.check({ method: 'PUT', path: '/user_attribute_entries/upsert', body: { user_attribute_entries: [{ user_attribute_id: 1, user_attribute_name: 'a', subject_type: 'Team', subject_id: 1 }] } })).not.toEqual([]);
    const gooddata = loadVendor('gooddata');
    expect(gooddata.check({ method: 'PUT', path: '/api/v1/layout/workspaces/w/userDataFilters', body: { userDataFilters: [{ id: 'a', title: 't', maql: 'x'.repeat(10_001) }] } })).not.toEqual([]);
    expect(gooddata.check({ method: 'POST', path: '/api/v1/entities/users', body: { data: { id: 'ops@acme.com', type: 'user' } } })).not.toEqual([]);
    const legacy = loadVendor('gooddata-legacy');
    expect(legacy.check({ method: 'POST', path: '/gdc/md/p/obj', body: { userFilter: { content: { expression: '1 <> 1' }, meta: { category: 'userFilter', title: 't' } } } })).toEqual([]);
    expect(legacy.check({ method: 'POST', path: '/gdc/md/p/obj', body: { userFilter: { content: { expression: 'x'.repeat(200_001) }, meta: { category: 'userFilter', title: 't' } } } })).not.toEqual([]);
  });
});
