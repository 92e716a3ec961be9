import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { PgDatabase } from '../../src/db/pg.js';
import { PgliteDatabase } from '../../src/db/pglite.js';
import { findPgBin, startPgServer, type PgServer } from '../helpers/pg-server.js';
import { runCli } from '../helpers/run-cli.js';
import { FIXTURE, serverUrl } from './helpers.js';

/**
 * Faults during apply (issue 4): the apply process killed at random points, two applies at
 * once, the server stopped mid-apply. After each, the database holds exactly the old or the
 * new state, never a mix, and the next apply converges.
 *
 * Two policy states, A and B, differ for every one of USERS generated users (all in one
 * country group in A, another in B), so an apply A -> B is a real bulk sync that takes long
 * enough to be killed inside its transaction.
 */

const USERS = 4000;
const CHILD = path.join(import.meta.dirname, 'apply-child.mts');
const dirs: string[] = [];

function many(group: string): string {
  const lines = ['users:'];
  for (let i = 0; i < USERS; i++) lines.push(`  user${String(i).padStart(5, '0')}@bulk.example: { groups: [${group}] }`);
  return `${lines.join('\n')}\n`;
}

function project(url: boolean): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-faults-'));
  dirs.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  writeFileSync(path.join(dir, 'warden.yaml'), `version: 1\npolicies: [policies]\ntargets:\n  warehouse:\n    type: postgres\n${url ? '    url: ${DATABASE_URL}\n' : ''}`);
  setState(dir, 'A');
  return dir;
}

function setState(dir: string, state: 'A' | 'B'): void {
  writeFileSync(path.join(dir, 'policies/people/bulk.yaml'), many(state === 'A' ? 'vietnam' : 'singapore'));
}

/** Everything apply writes, as sorted text: entitlements by login, policies, RLS flags. */
async function snapshot(db: Database): Promise<string> {
  const parts: string[] = [];
  const q = async (sql: string) => (await db.queryText(sql)).rows.map((r) => r.join('|')).join('\n');
  parts.push(await q('SELECT login, db_role, enabled::text, bypass::text, admin::text FROM warden.principals ORDER BY login'));
  parts.push(await q('SELECT p.login, a.subject FROM warden.subject_access a JOIN warden.principals p ON p.id = a.principal_id ORDER BY 1, 2'));
  parts.push(await q('SELECT p.login, c.rule, c.cond::text, c.state FROM warden.conditions c JOIN warden.principals p ON p.id = c.principal_id ORDER BY 1, 2, 3'));
  parts.push(await q('SELECT p.login, v.rule, v.cond::text, v.value FROM warden.values_string v JOIN warden.principals p ON p.id = v.principal_id ORDER BY 1, 2, 3, 4'));
  parts.push(await q("SELECT polrelid::regclass::text, polname, md5(pg_get_expr(polqual, polrelid)) FROM pg_policy ORDER BY 1, 2"));
  parts.push(await q("SELECT relname, relrowsecurity::text, relforcerowsecurity::text FROM pg_class WHERE oid IN ('public.sales'::regclass, 'public.stores'::regclass) ORDER BY 1"));
  return parts.join('\n--\n');
}

function runChild(dir: string, env: Record<string, string>, args: string[] = ['--auto-approve']) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, ...args], { env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('apply under faults on PostgreSQL 15', () => {
  let server: PgServer;
  beforeAll(() => {
    server = startPgServer();
  });
  afterAll(() => server?.stop());

  let n = 0;
  async function fresh() {
    const name = `faults_${++n}`;
    const admin = await PgDatabase.connect(server.config);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.close();
    const dir = project(true);
    const db = await PgDatabase.connect({ ...server.config, database: name });
    await db.exec(readFileSync(path.join(dir, 'fixtures/acme.sql'), 'utf8'));
    const env = { DATABASE_URL: serverUrl(server, name) };
    const open = () => PgDatabase.connect({ ...server.config, database: name });
    await db.close();
    return { dir, env, open, name };
  }

  async function converge(dir: string, env: Record<string, string>) {
    const r = await runCli(['apply', '--auto-approve'], dir, env);
    expect(r.code, r.stderr).toBe(0);
    expect((await runCli(['plan', '--detailed-exitcode'], dir, env)).code).toBe(0);
  }

  it('SIGKILL at random points: always exactly the old or the new state, and the next apply converges', { timeout: 240_000 }, async () => {
    const { dir, env, open } = await fresh();
    const states: Record<'A' | 'B', string> = { A: '', B: '' };
    for (const s of ['B', 'A'] as const) {
      setState(dir, s);
      const started = Date.now();
      const full = await runChild(dir, env).done;
      expect(full.code, full.stderr).toBe(0);
      if (s === 'A') (states as { took?: number }).took = Date.now() - started;
      const db = await open();
      states[s] = await snapshot(db);
      await db.close();
    }
    expect(states.A).not.toBe(states.B);
    const took = (states as { took?: number }).took!;
    let current: 'A' | 'B' = 'A';
    const outcomes = { killed: 0, insideTransaction: 0, finished: 0, old: 0, new: 0 };
    for (let round = 0; round < 8; round++) {
      const next: 'A' | 'B' = current === 'A' ? 'B' : 'A';
      setState(dir, next);
      const run = runChild(dir, env);
      // Spread kills over the whole run, weighted toward its second half where the transaction is.
      const delay = Math.floor(took * (0.2 + Math.random() * 0.9));
      await sleep(delay);
      const probe = await open();
      const locked = (await probe.queryText("SELECT count(*)::text FROM pg_locks WHERE locktype = 'advisory' AND granted")).rows[0][0] !== '0';
      await probe.close();
      run.child.kill('SIGKILL');
      if (locked) outcomes.insideTransaction++;
      const result = await run.done;
      if (result.signal === 'SIGKILL') outcomes.killed++;
      else outcomes.finished++;
      const db = await open();
      // The killed session's transaction is rolled back once the server notices the closed socket.
      let state = '';
      for (let i = 0; i < 50; i++) {
        const locks = await db.queryText("SELECT count(*)::text FROM pg_locks WHERE locktype = 'advisory'");
        if (locks.rows[0][0] === '0') break;
        await sleep(100);
      }
      state = await snapshot(db);
      await db.close();
      expect([states.A, states.B]).toContain(state);
      if (state === states[next]) outcomes.new++;
      else outcomes.old++;
      current = state === states.A ? 'A' : 'B';
      if (round % 2 === 1) {
        await converge(dir, env);
        current = next;
      }
    }
    await converge(dir, env);
    console.log(`SIGKILL rounds: ${JSON.stringify(outcomes)}`);
    expect(outcomes.killed).toBeGreaterThan(0);
    expect(outcomes.insideTransaction).toBeGreaterThan(0);
  });

  it('two applies at once: one waits (or fails cleanly), and the result equals a single apply', { timeout: 120_000 }, async () => {
    const { dir, env, open } = await fresh();
    await converge(dir, env);
    setState(dir, 'B');
    const [a, b] = await Promise.all([runChild(dir, env).done, runChild(dir, env).done]);
    for (const r of [a, b]) {
      expect([0, 1]).toContain(r.code);
      if (r.code === 1) expect(r.stderr).toContain('E-APPLY-LOCKED');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect([a.code, b.code]).toContain(0);
    const db = await open();
    const together = await snapshot(db);
    await db.close();
    expect((await runCli(['plan', '--detailed-exitcode'], dir, env)).code).toBe(0);
    // The same change applied once, on a second database, gives the same state.
    const single = await fresh();
    await converge(single.dir, single.env);
    setState(single.dir, 'B');
    await converge(single.dir, single.env);
    const db2 = await single.open();
    expect(await snapshot(db2)).toBe(together);
    await db2.close();
  });

  it('fails at once with --lock-timeout 0 while another apply holds the lock', { timeout: 60_000 }, async () => {
    const { dir, env, open } = await fresh();
    await converge(dir, env);
    const holder = await open();
    await holder.query('BEGIN');
    const { advisoryLockKeys } = await import('../../src/plan/postgres/apply.js');
    const [k1, k2] = advisoryLockKeys('warden');
    await holder.query('SELECT pg_advisory_xact_lock($1, $2)', [k1, k2]);
    setState(dir, 'B');
    const now = await runCli(['apply', '--auto-approve', '--lock-timeout', '0'], dir, env);
    expect(now.code).toBe(1);
    expect(now.stderr).toContain('E-APPLY-LOCKED');
    const waited = runCli(['apply', '--auto-approve', '--lock-timeout', '30'], dir, env);
    await sleep(1500);
    await holder.query('COMMIT');
    await holder.close();
    const after = await waited;
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).toContain('waiting');
  });

  it('a table held by another session: apply gives up after --lock-timeout with nothing applied', { timeout: 60_000 }, async () => {
    const { dir, env, open } = await fresh();
    await converge(dir, env);
    const holder = await open();
    // Drift on public.sales, so apply must ALTER it; then a reader keeps it open in a transaction.
    await holder.exec('ALTER TABLE public.sales DISABLE ROW LEVEL SECURITY');
    const before = await snapshot(holder);
    await holder.query('BEGIN');
    await holder.query('SELECT count(*) FROM public.sales');
    const r = await runCli(['apply', '--auto-approve', '--lock-timeout', '1'], dir, env);
    await holder.query('COMMIT');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('E-APPLY-LOCKED');
    expect(await snapshot(holder)).toBe(before);
    await holder.close();
    await converge(dir, env);
  });

  it('server stopped mid-apply: a clean error, and no partial state after the restart', { timeout: 120_000 }, async () => {
    const { dir, env, open } = await fresh();
    await converge(dir, env);
    const db = await open();
    const before = await snapshot(db);
    await db.close();
    setState(dir, 'B');
    const run = runChild(dir, env);
    // Stop the server once the child is inside its transaction: it holds warden's advisory lock.
    const watcher = await open();
    let inside = false;
    const end = Date.now() + 30_000;
    while (!inside && Date.now() < end) {
      const r = await watcher.queryText("SELECT count(*)::text FROM pg_locks WHERE locktype = 'advisory' AND granted");
      inside = r.rows[0][0] !== '0';
      if (!inside) await sleep(10);
    }
    expect(inside).toBe(true);
    pgCtl(server, 'stop');
    await watcher.close().catch(() => undefined);
    const result = await run.done;
    pgCtl(server, 'start');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/warden apply: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const after = await open();
    expect(await snapshot(after)).toBe(before);
    await after.close();
    await converge(dir, env);
  });
});

describe('apply under SIGKILL on the embedded database', () => {
  it('a killed apply leaves the old or the new state, its lock is taken over, and the next apply converges', { timeout: 180_000 }, async () => {
    const dir = project(false);
    const dataDir = path.join(dir, '.warden', 'warehouse');
    const snap = async () => {
      const db = await PgliteDatabase.open(dataDir);
      try {
        return await snapshot(db);
      } finally {
        await db.close();
      }
    };
    const first = await runChild(dir, {}).done;
    expect(first.code, first.stderr).toBe(0);
    const a = await snap();
    setState(dir, 'B');
    const started = Date.now();
    const second = await runChild(dir, {}).done;
    const took = Date.now() - started;
    expect(second.code, second.stderr).toBe(0);
    const b = await snap();
    for (let round = 0; round < 3; round++) {
      setState(dir, round % 2 === 0 ? 'A' : 'B');
      const run = runChild(dir, {});
      await sleep(Math.floor(took * (0.4 + Math.random() * 0.5)));
      run.child.kill('SIGKILL');
      await run.done;
      expect([a, b]).toContain(await snap());
      const next = await runCli(['apply', '--auto-approve'], dir, {});
      expect(next.code, next.stderr).toBe(0);
      expect(await snap()).toBe(round % 2 === 0 ? a : b);
    }
  });
});

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check() && Date.now() < end) await sleep(20);
}

/** Stops (immediately, like a crash) or restarts the test cluster in place. */
function pgCtl(server: PgServer, action: 'stop' | 'start'): void {
  const bin = findPgBin()!;
  const data = path.join(server.config.host, 'data');
  const args =
    action === 'stop'
      ? ['-D', data, '-m', 'immediate', '-w', 'stop']
      : ['-D', data, '-l', path.join(server.config.host, 'log'), '-w', '-o', `-c listen_addresses='' -c unix_socket_directories='${server.config.host}' -c port=${server.config.port} -c fsync=off`, 'start'];
  const asRoot = process.getuid?.() === 0;
  const cmd = asRoot ? 'runuser' : path.join(bin, 'pg_ctl');
  const full = asRoot ? ['-u', 'postgres', '--', path.join(bin, 'pg_ctl'), ...args] : args;
  const r = spawnSync(cmd, full, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pg_ctl ${action}: ${r.stderr || r.stdout}`);
}
