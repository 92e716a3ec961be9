import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, HttpError } from '../../src/targets/http/client.js';
import { applyPlatform, planPlatform, type PlatformPlan } from '../../src/targets/http/platform.js';
import type { RequestResult } from '../../src/targets/http/run-requests.js';
import { appliedWrites, rig, TOKEN, type Rig } from './harness.js';
import { fixtures, loadProject } from './helpers.js';

const project = loadProject(path.join(fixtures, 'shop'));
const rigs: Rig[] = [];
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.server.close()));
});

async function setUp(target: string, clientOptions = {}): Promise<Rig> {
  const r = await rig(project.model, project.contexts.get(target)!, clientOptions);
  rigs.push(r);
  return r;
}

const plan = (r: Rig, target: string): Promise<PlatformPlan> => planPlatform({ target, type: project.contexts.get(target)!.target.type, adapter: r.adapter, client: r.client });

function expectNoDuplicateWrites(r: Rig): void {
  const duplicates = [...appliedWrites(r.server)].filter(([, count]) => count > 1);
  expect(duplicates).toEqual([]);
}

describe.each(['gooddata', 'gooddata-legacy', 'holistics'])('%s: apply, then plan', (target) => {
  it('applies every change and then plans no changes', async () => {
    const r = await setUp(target);
    const first = await plan(r, target);
    expect(first.changes.length).toBeGreaterThan(0);
    const progress: RequestResult[] = [];
    const outcome = await applyPlatform({ plan: first, adapter: r.adapter, client: r.client, journalPath: r.journalPath, onResult: (x) => progress.push(x) });
    expect(outcome).toMatchObject({ status: 'applied', failed: 0, done: first.requests.length });
    expect(progress.map((p) => p.index)).toEqual(first.requests.map((_, i) => i));
    expect(progress.every((p) => p.total === first.requests.length && p.outcome === 'done')).toBe(true);
    const second = await plan(r, target);
    expect(second.changes).toEqual([]);
    expect(second.requests).toEqual([]);
    expectNoDuplicateWrites(r);
    // The journal and the plan never hold the credential.
    expect(readFileSync(r.journalPath, 'utf8')).not.toContain(TOKEN);
    expect(JSON.stringify(first)).not.toContain(TOKEN);
  });

  it('resumes an interrupted apply where it stopped, with no duplicate writes', async () => {
    const r = await setUp(target);
    const first = await plan(r, target);
    expect(first.requests.length).toBeGreaterThan(3);
    const stopAfter = Math.floor(first.requests.length / 2);
    const controller = new AbortController();
    const interrupted = await applyPlatform({
      plan: first,
      adapter: r.adapter,
      client: r.client,
      journalPath: r.journalPath,
      signal: controller.signal,
      onResult: (x) => {
        if (x.index + 1 === stopAfter) controller.abort();
      },
    });
    expect(interrupted).toMatchObject({ status: 'incomplete', done: stopAfter });
    const resumed = await applyPlatform({ plan: first, adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    expect(resumed).toMatchObject({ status: 'applied', skipped: stopAfter, done: first.requests.length - stopAfter, failed: 0 });
    expect((await plan(r, target)).changes).toEqual([]);
    expectNoDuplicateWrites(r);
  });

  it('rides out a 429 storm, honouring Retry-After, without duplicate writes', async () => {
    const r = await setUp(target, { maxRetries: 12 });
    const first = await plan(r, target);
    const date = new Date(Date.now() + 60_000).toUTCString();
    r.server.faults.push(
      { fault: { kind: '429', retryAfter: '7' }, times: 6 },
      { fault: { kind: '429', retryAfter: date }, times: 1 },
      { fault: { kind: '429' }, times: 3 },
    );
    const outcome = await applyPlatform({ plan: first, adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    expect(outcome).toMatchObject({ status: 'applied', failed: 0 });
    expect(r.server.log.filter((e) => e.status === 429)).toHaveLength(10);
    expect(r.waits.filter((w) => w === 7000)).toHaveLength(6);
    // The HTTP date is about a minute ahead.
    expect(r.waits.some((w) => w > 50_000 && w <= 60_000)).toBe(true);
    expect((await plan(r, target)).changes).toEqual([]);
    expectNoDuplicateWrites(r);
  });

  it('retries 500s and timeouts of idempotent requests; checks the platform before repeating a create', async () => {
    const r = await setUp(target, { timeoutMs: 300 });
    const first = await plan(r, target);
    const putOrGet = (method: string) => method === 'PUT' || method === 'GET';
    r.server.faults.push(
      { fault: { kind: '500' }, match: putOrGet, times: 2 },
      { fault: { kind: 'timeout', afterApplying: true }, match: (m) => m === 'PUT', times: 1 },
      { fault: { kind: 'timeout' }, match: (m) => m === 'GET', times: 1 },
      // A create that lands but whose answer is lost: repeating it blindly would duplicate it.
      { fault: { kind: '500', afterApplying: true }, match: (m, p) => m === 'POST' && (p === '/groups' || p === '/api/v1/entities/userGroups'), times: 1 },
    );
    const outcome = await applyPlatform({ plan: first, adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    expect(outcome).toMatchObject({ status: 'applied', failed: 0 });
    expect(r.server.log.some((e) => e.status === 'no answer')).toBe(true);
    expect((await plan(r, target)).changes).toEqual([]);
    if (r.holistics) {
      const names = [...r.holistics.groups.values()].map((g) => g.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('refuses a plan made against a state that has changed since', async () => {
    const r = await setUp(target);
    const first = await plan(r, target);
    const other = await plan(r, target);
    await applyPlatform({ plan: other, adapter: r.adapter, client: r.client, journalPath: `${r.journalPath}.other` });
    const outcome = await applyPlatform({ plan: first, adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    expect(outcome).toMatchObject({ status: 'refused' });
  });
});

describe('legacy element look-up', () => {
  it('maps values to element URIs read from the platform; a value it lacks still denies', async () => {
    const r = await setUp('gooddata-lookup');
    const elements = r.gooddata!.legacy.elements;
    elements.set('/gdc/md/abc123/obj/1049', [
      { title: 'Vietnam', uri: '/gdc/md/abc123/obj/1049/elements?id=41' },
      { title: 'Singapore', uri: '/gdc/md/abc123/obj/1049/elements?id=42' },
    ]);
    elements.set('/gdc/md/abc123/obj/1050', []);
    elements.set('/gdc/md/abc123/obj/1051', [{ title: 'Test Merchant', uri: '/gdc/md/abc123/obj/1051/elements?id=9' }]);
    const first = await plan(r, 'gooddata-lookup');
    expect(first.notes).toEqual(expect.arrayContaining([expect.stringMatching(/W-GOODDATA-UNMAPPED-VALUE.*"Ha Noi"/)]));
    const vn = first.changes.find((c) => c.id === 'vn.manager@shop.example')!;
    expect(vn.after).toEqual({ filters: ['([/gdc/md/abc123/obj/1049] = [/gdc/md/abc123/obj/1049/elements?id=41]) AND ([/gdc/md/abc123/obj/1051] <> [/gdc/md/abc123/obj/1051/elements?id=9])'] });
    // Ha Noi is not an element of City: the consultant is denied rather than widened.
    expect(first.changes.find((c) => c.id === 'consultant@shop.example')!.after).toEqual({ filters: ['1 <> 1'] });
    await applyPlatform({ plan: first, adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    expect((await plan(r, 'gooddata-lookup')).changes).toEqual([]);
  });
});

describe('legacy drift', () => {
  it('re-specifies only the users whose filters changed by hand', async () => {
    const r = await setUp('gooddata-legacy');
    await applyPlatform({ plan: await plan(r, 'gooddata-legacy'), adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    const legacy = r.gooddata!.legacy;
    const self = legacy.users.find((u) => u.login === 'vn.manager@shop.example')!.self;
    legacy.assignments.set(self, []);
    const drifted = await plan(r, 'gooddata-legacy');
    expect(drifted.changes.map((c) => `${c.action} ${c.id}`)).toEqual(['create vn.manager@shop.example']);
    expect(drifted.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /gdc/md/abc123/obj', 'POST /gdc/md/abc123/userfilters']);
    await applyPlatform({ plan: drifted, adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    expect((await plan(r, 'gooddata-legacy')).changes).toEqual([]);
  });
});

describe('interrupted in flight', () => {
  it('holistics: a create interrupted before its answer is looked up, not repeated, on resume', async () => {
    const r = await setUp('holistics');
    const first = await plan(r, 'holistics');
    const controller = new AbortController();
    r.server.faults.push({ fault: { kind: 'timeout', afterApplying: true }, match: (m, p) => m === 'POST' && p === '/groups', times: 1, onHit: () => controller.abort() });
    const interrupted = await applyPlatform({ plan: first, adapter: r.adapter, client: r.client, journalPath: r.journalPath, signal: controller.signal });
    expect(interrupted).toMatchObject({ status: 'incomplete', failed: 1 });
    const resumed = await applyPlatform({ plan: first, adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    expect(resumed).toMatchObject({ status: 'applied', failed: 0 });
    const names = [...r.holistics!.groups.values()].map((g) => g.name);
    expect(names.sort()).toEqual([...new Set(names)].sort());
    expect((await plan(r, 'holistics')).changes).toEqual([]);
  });
});

describe('drift', () => {
  it('gooddata: a hand-made change shows in the next plan and apply reverts it', async () => {
    const r = await setUp('gooddata');
    await applyPlatform({ plan: await plan(r, 'gooddata'), adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    const filters = r.gooddata!.filters.get('shop') as Array<{ id: string; maql: string }>;
    filters.find((f) => f.id === 'warden-vn.manager_40shop.example')!.maql = '1 = 1';
    r.gooddata!.users.get('vn.manager_40shop.example')!.groups.push('managers');
    const drifted = await plan(r, 'gooddata');
    expect(drifted.changes.map((c) => `${c.action} ${c.kind} ${c.id}`)).toEqual(['update user vn.manager@shop.example', 'update userDataFilter vn.manager@shop.example']);
    const filterChange = drifted.changes[1];
    expect(filterChange.before).toMatchObject({ maql: '1 = 1' });
    expect(filterChange.after).toMatchObject({ maql: '({label/country.name} = "Vietnam") AND ({label/merchant.name} <> "Test Merchant")' });
    await applyPlatform({ plan: drifted, adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    expect((await plan(r, 'gooddata')).changes).toEqual([]);
  });

  it('holistics: a membership added and an entry changed by hand are reverted', async () => {
    const r = await setUp('holistics');
    await applyPlatform({ plan: await plan(r, 'holistics'), adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    const state = r.holistics!;
    const singapore = [...state.groups].find(([, g]) => g.name === 'singapore')![0];
    const vn = [...state.users].find(([, u]) => u.email === 'vn.manager@shop.example')!;
    vn[1].groupIds.add(singapore);
    const country = [...state.attributes].find(([, a]) => a.name === 'country')![0];
    state.entries.set(`User:${vn[0]}:${country}`, { input_type: 'all', values: [] });
    const drifted = await plan(r, 'holistics');
    expect(drifted.changes.map((c) => `${c.action} ${c.kind} ${c.id}`)).toEqual([
      'delete membership vn.manager@shop.example in singapore',
      'update attributeEntry User vn.manager@shop.example country',
    ]);
    await applyPlatform({ plan: drifted, adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    expect((await plan(r, 'holistics')).changes).toEqual([]);
  });
});

describe('disabled users', () => {
  it('gooddata: a disabled user with an account loses their groups and is denied everything', async () => {
    const r = await setUp('gooddata');
    r.gooddata!.groups.set('vietnam', { name: 'vietnam', parents: [] });
    r.gooddata!.users.set('leaver_40shop.example', { email: 'leaver@shop.example', groups: ['vietnam'] });
    await applyPlatform({ plan: await plan(r, 'gooddata'), adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    expect(r.gooddata!.users.get('leaver_40shop.example')!.groups).toEqual([]);
    const filters = r.gooddata!.filters.get('shop') as Array<{ id: string; maql: string }>;
    expect(filters.find((f) => f.id === 'warden-leaver_40shop.example')!.maql).toBe('1 <> 1');
  });

  it('holistics: a disabled user with an account leaves their groups and gets empty values', async () => {
    const r = await setUp('holistics');
    r.holistics!.groups.set(900, { name: 'vietnam' });
    r.holistics!.users.set(901, { email: 'leaver@shop.example', role: 'user', groupIds: new Set([900]) });
    await applyPlatform({ plan: await plan(r, 'holistics'), adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    expect([...r.holistics!.users.get(901)!.groupIds]).toEqual([]);
    const country = [...r.holistics!.attributes].find(([, a]) => a.name === 'country')![0];
    expect(r.holistics!.entries.get(`User:901:${country}`)).toEqual({ input_type: 'manual', values: [] });
    // And a disabled user without an account is never invited.
    expect([...r.holistics!.users.values()].filter((u) => u.email === 'leaver@shop.example')).toHaveLength(1);
  });
});

describe('plan notes', () => {
  it('gooddata: names platform users the policies do not know (they have no data filter)', async () => {
    const r = await setUp('gooddata');
    await applyPlatform({ plan: await plan(r, 'gooddata'), adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    r.gooddata!.users.set('contractor', { groups: [] });
    const next = await plan(r, 'gooddata');
    expect(next.changes).toEqual([]);
    expect(next.notes).toEqual([expect.stringContaining('"contractor" is not in the policies')]);
  });

  it('gooddata legacy: leaves out users without a profile on the project, and says so', async () => {
    const r = await setUp('gooddata-legacy');
    r.gooddata!.legacy.users = r.gooddata!.legacy.users.filter((u) => u.login !== 'vn.manager@shop.example');
    const next = await plan(r, 'gooddata-legacy');
    expect(next.notes).toEqual([expect.stringContaining('"vn.manager@shop.example" has no user profile')]);
    expect(next.changes.map((c) => c.id)).not.toContain('vn.manager@shop.example');
    expect(await applyPlatform({ plan: next, adapter: r.adapter, client: r.client, journalPath: r.journalPath })).toMatchObject({ status: 'applied', failed: 0 });
    // Everyone but the missing user and the unrestricted admin (who has no filters to remove).
    expect(r.gooddata!.legacy.assignments.size).toBe(project.model.users.size - 2);
  });
});

describe('gooddata legacy apply', () => {
  it('creates the filter objects, binds them and the users, and assigns every user\'s complete list', async () => {
    const r = await setUp('gooddata-legacy');
    // A filter set by hand on the admin, who should have none: re-specifying the list removes it.
    const legacy0 = r.gooddata!.legacy;
    legacy0.objects.set('/gdc/md/abc123/obj/4999', { expression: '1 = 1', title: 'by hand' });
    legacy0.assignments.set(legacy0.users.find((u) => u.login === 'admin@shop.example')!.self, ['/gdc/md/abc123/obj/4999']);
    const first = await plan(r, 'gooddata-legacy');
    const outcome = await applyPlatform({ plan: first, adapter: r.adapter, client: r.client, journalPath: r.journalPath });
    expect(outcome).toMatchObject({ status: 'applied', failed: 0 });
    const legacy = r.gooddata!.legacy;
    const self = (login: string) => legacy.users.find((u) => u.login === login)!.self;
    expect(legacy.assignments.get(self('admin@shop.example'))).toEqual([]);
    const [uri] = legacy.assignments.get(self('vn.manager@shop.example'))!;
    expect(legacy.objects.get(uri)!.expression).toBe('([/gdc/md/abc123/obj/1049] = [/gdc/md/abc123/obj/1049/elements?id=1]) AND ([/gdc/md/abc123/obj/1051] <> [/gdc/md/abc123/obj/1051/elements?id=99])');
    expect(legacy.assignments.size).toBe(project.model.users.size);
    expectNoDuplicateWrites(r);
  });
});

describe('many users: paging and batches', () => {
  it.each(['gooddata', 'holistics'])('%s converges over several pages of users and upsert batches', async (type) => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'warden-many-'));
    mkdirSync(path.join(root, 'policies'));
    writeFileSync(path.join(root, 'warden.yaml'), `version: 1\ntargets:\n  t: { type: ${type}${type === 'gooddata' ? ', workspace: w' : ''}, endpoint: x, token: '\${T}' }\n`);
    const users = Array.from({ length: 230 }, (_, i) => `  u${String(i).padStart(3, '0')}@x.example: { groups: [g${i % 3}]${i % 2 ? ', attributes: { region: [C] }' : ''} }`);
    writeFileSync(
      path.join(root, 'policies', 'all.yaml'),
      ['attributes:', '  region: { type: string }', 'subjects:', '  sales:', '    restricted: true', '    fields: { region: { column: region, type: string } }', '    platforms:', '      gooddata: { labels: { region: region.name } }', '      holistics: { dataset: ds, models: { region: regions } }', 'rules:', '  by-region: { subject: sales, field: region, operator: in, attribute: region }', 'groups:', '  g0: { subjects: [sales], attributes: { region: [A] } }', '  g1: { subjects: [sales], attributes: { region: [B] } }', '  g2: { subjects: [sales] }', 'users:', ...users, ''].join('\n'),
    );
    const many = loadProject(root);
    const r = await rig(many.model, many.contexts.get('t')!);
    rigs.push(r);
    const first = await planPlatform({ target: 't', type, adapter: r.adapter, client: r.client });
    if (type === 'holistics') expect(first.requests.filter((q) => q.path === '/user_attribute_entries/upsert').length).toBeGreaterThan(1);
    expect(await applyPlatform({ plan: first, adapter: r.adapter, client: r.client, journalPath: r.journalPath })).toMatchObject({ status: 'applied', failed: 0 });
    expect((await planPlatform({ target: 't', type, adapter: r.adapter, client: r.client })).changes).toEqual([]);
    expect(r.server.log.some((e) => /[?&](page=2|after=200)/.test(e.path))).toBe(true);
    rmSync(root, { recursive: true, force: true });
  });
});

describe('http client', () => {
  it('never puts the credential in an error', async () => {
    const r = await setUp('gooddata');
    const wrong = new HttpClient({ baseUrl: r.server.url, auth: { name: 'Authorization', value: 'Bearer wrong-secret-xyz' }, sleep: async () => {} });
    const failure = await wrong.send('GET', '/api/v1/layout/workspaces/shop/userDataFilters').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(HttpError);
    expect((failure as HttpError).status).toBe(401);
    expect(JSON.stringify({ message: (failure as Error).message, ...(failure as object) })).not.toContain('wrong-secret-xyz');
  });

  it('gives up on 5xx after its retries, and reports the attempts', async () => {
    const r = await setUp('gooddata', { maxRetries: 2 });
    r.server.faults.push({ fault: { kind: '500' }, times: 10 });
    const failure = (await r.client.send('GET', '/api/v1/layout/workspaces/shop/userDataFilters').catch((e: unknown) => e)) as HttpError;
    expect(failure).toMatchObject({ status: 500, attempts: 3 });
  });
});
