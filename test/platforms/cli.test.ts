import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { appliedWrites, TOKEN } from './harness.js';
import { runCli } from '../helpers/run-cli.js';
import { fixtures, loadProject, repoRoot } from './helpers.js';
import { gooddataHandler, gooddataState, type GooddataState } from './mock-server/gooddata.js';
import { holisticsHandler, holisticsState, type HolisticsState } from './mock-server/holistics.js';
import { startMockServer, type MockServer } from './mock-server/server.js';

/**
 * `warden plan` and `warden apply` on gooddata and holistics targets, as a user runs them: the
 * CLI is a child process (from the sources) talking HTTP to the mock platform in this process,
 * with the endpoint and token from the environment the target config names. Refusals that need
 * no process of their own (file-based targets, bad plan files, confirmation) run in-process.
 */
const CLI = path.join(repoRoot, 'test/authoring/cli-entry.ts');
// By path: the CLI runs in a temporary project folder, where `--import tsx` would not resolve.
const TSX = pathToFileURL(path.join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href;
const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schemas/platform-plan.schema.json'), 'utf8')) as object;
const validatePlan = new Ajv2020({ strict: true }).compile(schema);

const dirs: string[] = [];
const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Platform {
  server: MockServer;
  env: Record<string, string>;
  gooddata?: GooddataState;
  holistics?: HolisticsState;
}

async function platform(type: 'gooddata' | 'holistics', token = TOKEN): Promise<Platform> {
  const gooddata = type === 'gooddata' ? gooddataState() : undefined;
  const holistics = type === 'holistics' ? holisticsState() : undefined;
  const server = await startMockServer(
    gooddata ? gooddataHandler(gooddata) : holisticsHandler(holistics!),
    type === 'gooddata' ? { header: 'authorization', value: `Bearer ${TOKEN}` } : { header: 'x-holistics-key', value: TOKEN },
  );
  servers.push(server);
  // Legacy GoodData: the project's users exist on the platform (warden binds to them, never creates them).
  if (gooddata) gooddata.legacy.users = SHOP_LOGINS.map((login, i) => ({ login, self: `/gdc/account/profile/u${i.toString(16).padStart(8, '0')}` }));
  const env: Record<string, string> = type === 'gooddata' ? { GOODDATA_ENDPOINT: server.url, GOODDATA_TOKEN: token } : { HOLISTICS_ENDPOINT: server.url, HOLISTICS_API_KEY: token };
  return { server, env, gooddata, holistics };
}

const SHOP_LOGINS = [...loadProject(path.join(fixtures, 'shop')).model.users.keys()].sort();

/** A copy of the shop fixture, so the journal under .warden/ is this test's own. */
function project(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-platform-cli-'));
  dirs.push(dir);
  cpSync(path.join(fixtures, 'shop'), dir, { recursive: true });
  return dir;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(cwd: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

const warden = (cwd: string, args: string[], env: Record<string, string>): Promise<Run> => start(cwd, args, env).done;

function expectNoSecret(run: Pick<Run, 'stdout' | 'stderr'>): void {
  expect(run.stdout).not.toContain(TOKEN);
  expect(run.stderr).not.toContain(TOKEN);
  expect(run.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // never a stack trace
}

function expectNoDuplicateWrites(server: MockServer): void {
  expect([...appliedWrites(server)].filter(([, n]) => n > 1)).toEqual([]);
}

describe.each(['gooddata', 'holistics'] as const)('%s through the CLI', (type) => {
  it('plan shows changes (exit 2), apply makes them, then plan shows none (exit 0)', async () => {
    const dir = project();
    const p = await platform(type);
    const first = await warden(dir, ['plan', '--target', type, '--detailed-exitcode'], p.env);
    expect(first.code, first.stderr).toBe(2);
    expect(first.stdout).toMatch(/^\+ create /m);
    expect(first.stdout).toMatch(/Plan for target "[a-z]+": \d+ to create, 0 to update, 0 to delete/);
    expectNoSecret(first);

    const json = await warden(dir, ['plan', '--target', type, '--format', 'json'], p.env);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as { format: string; summary: { create: number }; target: { endpoint: string } };
    expect(validatePlan(doc), JSON.stringify(validatePlan.errors)).toBe(true);
    expect(doc.format).toBe('warden-platform-plan');
    expect(doc.summary.create).toBeGreaterThan(0);
    expect(doc.target.endpoint).toBe(p.server.url);

    const markdown = await warden(dir, ['plan', '--target', type, '--format', 'markdown'], p.env);
    expect(markdown.stdout).toMatch(/^### warden plan: /);
    expect(p.server.log.filter((e) => e.method !== 'GET')).toEqual([]);

    const apply = await warden(dir, ['apply', '--target', type, '--auto-approve'], p.env);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toMatch(/^\[1\/\d+\] done {4}(POST|PUT) /m);
    expect(apply.stdout).toMatch(/Apply complete: \d+ requests? sent\./);
    expectNoSecret(apply);
    expect(existsSync(path.join(dir, '.warden', type, 'platform-journal.jsonl'))).toBe(true);
    expect(readFileSync(path.join(dir, '.warden', type, 'platform-journal.jsonl'), 'utf8')).not.toContain(TOKEN);

    const after = await warden(dir, ['plan', '--target', type, '--detailed-exitcode'], p.env);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toContain(`No changes: target "${type}" matches the policies.`);
    expectNoDuplicateWrites(p.server);
  });

  it('rides out a 429 storm during apply, honouring Retry-After, without duplicate writes', async () => {
    const dir = project();
    const p = await platform(type);
    let writes = 0;
    // From the second write on, four 429s in a row, each asking for a one-second pause.
    p.server.faults.push({ fault: { kind: '429', retryAfter: '1' }, match: (m) => m !== 'GET' && ++writes >= 2, times: 4 });
    const started = Date.now();
    const apply = await warden(dir, ['apply', '--target', type, '--auto-approve'], p.env);
    const elapsed = Date.now() - started;
    expect(apply.code, apply.stderr).toBe(0);
    expect(p.server.log.filter((e) => e.status === 429)).toHaveLength(4);
    // Retry-After was honoured: four one-second pauses (a lower bound, not a timing claim).
    expect(elapsed).toBeGreaterThanOrEqual(4000);
    expect(apply.stdout).toMatch(/, 5 attempts\)/);
    expectNoDuplicateWrites(p.server);
    const after = await warden(dir, ['plan', '--target', type, '--detailed-exitcode'], p.env);
    expect(after.code, after.stderr).toBe(0);
  });

  it('a saved plan, killed mid-apply, resumes where it stopped with no duplicate writes', async () => {
    const dir = project();
    const p = await platform(type);
    const saved = await warden(dir, ['plan', '--target', type, '--out', 'plan.json'], p.env);
    expect(saved.code, saved.stderr).toBe(0);
    const total = (JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) as { requests: unknown[] }).requests.length;
    expect(total).toBeGreaterThan(2);
    // The third write lands on the platform but its answer never comes: the CLI is killed then.
    let writes = 0;
    const run = start(dir, ['apply', 'plan.json', '--auto-approve'], p.env);
    p.server.faults.push({ fault: { kind: 'timeout', afterApplying: true }, match: (m) => m !== 'GET' && ++writes === 3, times: 1, onHit: () => run.child.kill('SIGKILL') });
    const killed = await run.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stdout).toMatch(/^\[2\/\d+\] done/m);

    const resumed = await warden(dir, ['apply', 'plan.json', '--auto-approve'], p.env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/^\[1\/\d+\] skipped /m);
    expect(resumed.stdout).toMatch(/^\[2\/\d+\] skipped /m);
    expect(resumed.stdout).toMatch(/already done by an earlier run/);
    expectNoDuplicateWrites(p.server);
    const after = await warden(dir, ['plan', '--target', type, '--detailed-exitcode'], p.env);
    expect(after.code, after.stdout + after.stderr).toBe(0);
  });

  it('refuses a saved plan when the platform changed since it was made', async () => {
    const dir = project();
    const p = await platform(type);
    expect((await warden(dir, ['plan', '--target', type, '--out', 'plan.json'], p.env)).code).toBe(0);
    // Someone changes the platform by hand after the plan was reviewed.
    if (p.gooddata) p.gooddata.groups.set('made-by-hand', { name: 'Made by hand', parents: [] });
    if (p.holistics) p.holistics.groups.set(9999, { name: 'made-by-hand' });
    const apply = await warden(dir, ['apply', 'plan.json', '--auto-approve'], p.env);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toMatch(/E-PLAN-STALE.*changed since the plan was made/);
    expect(apply.stderr).toContain('plan.json');
    expect(p.server.log.filter((e) => e.method !== 'GET')).toEqual([]);
    expectNoSecret(apply);
  });

  it('a token the platform refuses is a diagnostic at the target in warden.yaml, exit 1', async () => {
    const dir = project();
    const p = await platform(type, 'wrong-token-value');
    const plan = await warden(dir, ['plan', '--target', type], p.env);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/E-PLATFORM-AUTH/);
    expect(plan.stderr).toMatch(/warden\.yaml:\d+:\d+/);
    expect(plan.stderr).not.toContain('wrong-token-value');
    expectNoSecret(plan);
  });
});

describe('targets without an admin API', () => {
  it.each([
    ['incorta-roles', 'incorta'],
    ['inmydata-store-managers', 'inmydata'],
    ['gooddata-regions', 'app'],
  ])('%s: plan and apply on %s say it is file-based and point to compile --out', async (example, target) => {
    const dir = path.join(repoRoot, 'examples', example);
    for (const command of ['plan', 'apply']) {
      const run = await runCli([command, '--target', target], dir, {});
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^warden ${command}: target "${target}" \\([a-z]+\\) is file-based: .*warden compile --target ${target} --out `));
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stdout).toBe('');
    }
  });
});

describe('an environment variable the target needs is unset', () => {
  it('is a diagnostic naming the variable, exit 1', async () => {
    const dir = project();
    const run = await runCli(['plan', '--target', 'holistics'], dir, {});
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/E-ENV-UNSET.*HOLISTICS_ENDPOINT/);
    expect(run.stderr).toMatch(/warden\.yaml:\d+:\d+/);
  });
});

describe('gooddata legacy API through the CLI', () => {
  it('plans, applies and then plans no changes', async () => {
    const dir = project();
    const p = await platform('gooddata');
    const first = await warden(dir, ['plan', '--target', 'gooddata-legacy', '--detailed-exitcode'], p.env);
    expect(first.code, first.stderr).toBe(2);
    const apply = await warden(dir, ['apply', '--target', 'gooddata-legacy', '--auto-approve'], p.env);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toMatch(/POST \/gdc\/md\/abc123\/obj/);
    const after = await warden(dir, ['plan', '--target', 'gooddata-legacy', '--detailed-exitcode'], p.env);
    expect(after.code, after.stdout + after.stderr).toBe(0);
    expectNoDuplicateWrites(p.server);
  });
});

describe('holistics apply interrupted and checked', () => {
  it('Ctrl-C stops after the request in flight, exit 1; the same command resumes and converges', async () => {
    const dir = project();
    const p = await platform('holistics');
    let writes = 0;
    const run = start(dir, ['apply', '--target', 'holistics', '--auto-approve'], p.env);
    // The third write hangs until the client gives up on it; Ctrl-C arrives meanwhile.
    p.server.faults.push({ fault: { kind: 'timeout' }, match: (m) => m !== 'GET' && ++writes === 3, times: 1, onHit: () => run.child.kill('SIGINT') });
    const interrupted = await run.done;
    expect(interrupted.code).toBe(1);
    expect(interrupted.stderr).toContain('interrupted; stopping after the request in flight');
    expect(interrupted.stderr).toMatch(/E-APPLY-INCOMPLETE/);
    expect(interrupted.stderr).toMatch(/warden\.yaml:\d+:\d+/);
    expectNoSecret(interrupted);

    const resumed = await warden(dir, ['apply', '--target', 'holistics', '--auto-approve'], p.env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expectNoDuplicateWrites(p.server);
    const names = [...p.holistics!.groups.values()].map((g) => g.name);
    expect(new Set(names).size).toBe(names.length);
    const after = await warden(dir, ['plan', '--target', 'holistics', '--detailed-exitcode'], p.env);
    expect(after.code, after.stdout + after.stderr).toBe(0);
  });

  it('a saved plan that was edited is refused (E-PLAN-INVALID), nothing sent', async () => {
    const dir = project();
    const p = await platform('holistics');
    expect((await warden(dir, ['plan', '--target', 'holistics', '--out', 'plan.json'], p.env)).code).toBe(0);
    const file = path.join(dir, 'plan.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"POST"', '"DELETE"'));
    const apply = await runCli(['apply', 'plan.json', '--auto-approve'], dir, p.env);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toMatch(/plan\.json:1:1.*E-PLAN-INVALID.*checksum/);
    expect(p.server.log.filter((e) => e.method !== 'GET')).toEqual([]);
  });

  it('without a terminal, apply needs --auto-approve and sends nothing', async () => {
    const dir = project();
    const p = await platform('holistics');
    const apply = await runCli(['apply', '--target', 'holistics'], dir, p.env);
    expect(apply.code).toBe(1);
    expect(apply.stdout).toMatch(/^\+ create /m);
    expect(apply.stderr).toContain('pass --auto-approve');
    expect(p.server.log.filter((e) => e.method !== 'GET')).toEqual([]);
  });

  it('an HTTP error other than auth is E-PLATFORM-HTTP at the target, with method and path', async () => {
    const dir = project();
    const p = await platform('holistics');
    const env = { ...p.env, HOLISTICS_ENDPOINT: `${p.server.url}/no-such-api` };
    const plan = await runCli(['plan', '--target', 'holistics'], dir, env);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/warden\.yaml:\d+:\d+ error E-PLATFORM-HTTP target "holistics": reading the live state from .*: GET \/\S+ failed with HTTP 404/);
    expectNoSecret(plan);
  });
});
