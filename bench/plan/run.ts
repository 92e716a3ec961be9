import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PgDatabase } from '../../src/db/pg.js';
import { compilePolicyTexts } from '../../src/pipeline.js';
import type { ProjectConfig } from '../../src/project/config.js';
import { subjectAccess } from '../../src/resolve/access.js';
import { buildDesiredState } from '../../src/targets/postgres/desired-state.js';
import { DEFAULT_OPTIONS } from '../../src/targets/postgres/options.js';
import { entitlementTables } from '../../src/targets/postgres/tables.js';
import { applyLocked, checkFresh } from '../../src/plan/postgres/apply.js';
import { liveFingerprint, planPostgres, type PostgresProbe } from '../../src/plan/postgres/plan.js';
import type { Plan } from '../../src/plan/plan-types.js';
import { startPgServer } from '../../test/helpers/pg-server.js';
import { stringFlag } from '../flags.js';

/**
 * Issue 4's benchmark on a throwaway PostgreSQL 15 server, with the demo's policies and N
 * generated users (each in one of three country groups):
 *  - the first apply of N users (a bulk sync);
 *  - a no-change plan against `SELECT`ing every row of warden's entitlement tables, in the same
 *    run and on the same connection (goal: at most 3x);
 *  - a one-user change (one user moves to another group): its plan, and its apply (lock,
 *    staleness check, writes), at 10,000 and at 100,000 users (goal: apply independent of N).
 * Medians of RUNS runs. Compiling the policies (load, validate, resolve) is reported apart.
 *
 * Run: `npx tsx bench/plan/run.ts [--users 10000,100000] [--out FILE.md]`
 */

const SIZES = (stringFlag('--users') ?? '10000,100000').split(',').map(Number);
const OUT = stringFlag('--out') ?? '';
const RUNS = 5;
/** What a plan reads: every entitlement table (entry_settings included). */
const ENTITLEMENT_TABLE_NAMES = entitlementTables('warden').map((t) => t.name);
const FIXTURE = path.join(import.meta.dirname, '..', '..', 'test', 'plan', 'fixtures', 'shop');
const GROUPS = ['vietnam', 'singapore', 'malaysia'];

function policyFiles(dir: string, prefix = 'policies'): [string, string][] {
  const out: [string, string][] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...policyFiles(full, `${prefix}/${name}`));
    else out.push([`${prefix}/${name}`, readFileSync(full, 'utf8')]);
  }
  return out;
}

function usersFile(n: number, moved: number | null): string {
  const lines = ['users:'];
  for (let i = 0; i < n; i++) {
    const group = GROUPS[(i + (i === moved ? 1 : 0)) % GROUPS.length];
    lines.push(`  user${String(i).padStart(6, '0')}@bulk.example: { groups: [${group}] }`);
  }
  return `${lines.join('\n')}\n`;
}

const config: ProjectConfig = { root: FIXTURE, policies: ['policies'], tests: [], targets: new Map() } as unknown as ProjectConfig;
const target = { name: 'warehouse', type: 'postgres', location: 'bench' };
const loc = { file: 'warden.yaml', line: 1, column: 1 };

function compile(n: number, moved: number | null) {
  const t0 = performance.now();
  const compiled = compilePolicyTexts(config, [...policyFiles(path.join(FIXTURE, 'policies')), ['policies/bulk.yaml', usersFile(n, moved)]]);
  if (compiled.model === null) throw new Error(compiled.diagnostics.map((d) => d.message).join('\n'));
  const { state } = buildDesiredState(compiled.model, { ...DEFAULT_OPTIONS, grantTo: [] }, subjectAccess);
  return { model: compiled.model, state, ms: performance.now() - t0 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

const server = startPgServer();
const lines: string[] = [];
const log = (line: string) => {
  lines.push(line);
  console.log(line);
};
try {
  const admin = await PgDatabase.connect(server.config);
  const version = (await admin.queryText('SHOW server_version')).rows[0][0];
  log(`PostgreSQL ${version}; medians of ${RUNS} runs; times in ms.`);
  log('');
  log('| users | entitlement rows | compile | first apply | SELECT all rows | no-change plan | ratio | one-user plan | one-user apply |');
  log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const n of SIZES) {
    const name = `bench_${n}`;
    await admin.query(`CREATE DATABASE ${name}`);
    const db = await PgDatabase.connect({ ...server.config, database: name });
    await db.exec(readFileSync(path.join(FIXTURE, 'fixtures', 'acme.sql'), 'utf8'));
    const base = compile(n, null);
    const input = { state: base.state, model: base.model, target, targetLoc: loc };
    const options = { schema: 'warden', lockTimeoutMs: 10_000, statementTimeoutMs: 0, loc };
    const first = await timed(async () => {
      const made = await planPostgres(db, input);
      await applyLocked(db, options, async () => made.plan!);
    });
    const rows = await db.queryText(
      `SELECT ${ENTITLEMENT_TABLE_NAMES.map((t) => `(SELECT count(*) FROM warden.${t})`).join(' + ')}`,
    );
    const select: number[] = [];
    const plan: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      // Alternate, so neither side always runs on the warmer cache.
      select.push(
        (
          await timed(async () => {
            for (const t of ENTITLEMENT_TABLE_NAMES) await db.queryText(`SELECT * FROM warden.${t}`);
          })
        ).ms,
      );
      const p = await timed(() => planPostgres(db, input));
      if (p.value.plan!.changes.length !== 0) throw new Error('expected no changes');
      plan.push(p.ms);
    }
    const moved = compile(n, Math.floor(n / 2));
    const movedInput = { state: moved.state, model: moved.model, target, targetLoc: loc };
    const onePlan: number[] = [];
    const oneApply: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      // Move the user and back: every run applies a one-user change.
      for (const which of [movedInput, input]) {
        const p = await timed(() => planPostgres(db, which));
        const made = p.value.plan as Plan;
        if (made.access!.users.length !== 1) throw new Error(`expected one user, got ${made.access!.users.length}`);
        const a = await timed(() =>
          applyLocked(db, options, async (tx) => {
            checkFresh(made, await liveFingerprint(tx, made.probe as PostgresProbe), loc);
            return made;
          }),
        );
        onePlan.push(p.ms);
        oneApply.push(a.ms);
      }
    }
    const s = median(select);
    const pl = median(plan);
    log(
      `| ${n.toLocaleString('en')} | ${Number(rows.rows[0][0]).toLocaleString('en')} | ${base.ms.toFixed(0)} | ${first.ms.toFixed(0)} | ${s.toFixed(0)} | ${pl.toFixed(0)} | ${(pl / s).toFixed(2)}x | ${median(onePlan).toFixed(0)} | ${median(oneApply).toFixed(0)} |`,
    );
    await db.close();
  }
  await admin.close();
} finally {
  server.stop();
}
if (OUT) writeFileSync(OUT, `${lines.join('\n')}\n`);
