import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { applyLocked } from '../../src/plan/postgres/apply.js';
import { planPostgres } from '../../src/plan/postgres/plan.js';
import { subjectAccess } from '../../src/resolve/access.js';
import { buildDesiredState, DEFAULT_OPTIONS, settingPrefix, type PostgresOptions } from '../../src/targets/postgres/index.js';
import { createAppRole, modelFromYaml, useEngines } from './harness.js';

/**
 * Plan-time folding (policies.ts): the principal's values are constants in the plan, so a plan
 * must never outlive what it folded. Checked on both engines: the plans look like hand-written
 * ones (index condition with the literal list, no condition at all for `all`, an InitPlan tie);
 * a prepared statement with a generic plan, used as one principal and then in a later
 * transaction entered as another, shows the other's rows, and nothing without entering; and
 * after apply changes entitlements, a cached plan shows the new rows (principal: session
 * inside one transaction, principal: role across transactions).
 */

const policies = (clerkStores: string) => ({
  'policies/p.yaml': `
attributes:
  store: { type: integer }
subjects:
  sales:
    table: public.sales
    fields:
      store: { column: store_id, type: integer }
users:
  clerk@x: { db_role: clerk_role, attributes: { store: ${clerkStores} } }
  boss@x: { db_role: boss_role, attributes: { store: all } }
rules:
  by-store: { subject: sales, field: store, operator: in, attribute: store }
`,
});

// An integer column with an index: the folded bigint list must still be an index condition.
const TABLE = `
CREATE TABLE public.sales (id integer PRIMARY KEY, store_id integer);
INSERT INTO public.sales SELECT i, CASE WHEN i % 100 = 0 THEN NULL ELSE i % 50 END FROM generate_series(1, 5000) i;
CREATE INDEX sales_store ON public.sales (store_id);
ANALYZE public.sales;
`;

const G = settingPrefix('warden');
const COUNT_BY_STORE = 'SELECT store_id, count(*)::int FROM public.sales GROUP BY store_id ORDER BY store_id NULLS LAST';
const countsOf = (rows: unknown[][]) => rows.map((r) => `${r[0] ?? 'null'}:${r[1]}`);

async function ensureRole(db: Database, role: string): Promise<void> {
  const exists = await db.query('SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1', [role]);
  if (exists.rows.length === 0) await db.query(`CREATE ROLE ${role} NOLOGIN`);
  await db.query(`GRANT SELECT ON public.sales TO ${role}`);
}

/** `warden apply` in-process: plan against the live state and apply it under the lock. */
async function applyPolicies(db: Database, clerkStores: string, options: Partial<PostgresOptions>): Promise<void> {
  const model = modelFromYaml(policies(clerkStores));
  const { state } = buildDesiredState(model, { ...DEFAULT_OPTIONS, ...options }, subjectAccess);
  const loc = { file: 'warden.yaml', line: 1, column: 1 };
  await applyLocked(db, { schema: 'warden', lockTimeoutMs: 10_000, statementTimeoutMs: 0, loc }, async (tx) => {
    const made = await planPostgres(tx, { state, model, target: { name: 'db', type: 'postgres', location: 'test' }, targetLoc: loc });
    if (made.plan === null) throw new Error(made.diagnostics.map((d) => d.message).join('\n'));
    return made.plan;
  });
}

async function explain(db: Database, sql: string): Promise<string> {
  return (await db.queryText(`EXPLAIN (COSTS OFF) ${sql}`)).rows.map((r) => r[0]).join('\n');
}

for (const engine of useEngines()) {
  describe(`plan-time folding on ${engine.name}`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await engine.fresh();
      await db.exec(TABLE);
      await createAppRole(db);
      await applyPolicies(db, '[7, 9]', {});
    });

    async function entered<T>(login: string | null, fn: () => Promise<T>): Promise<T> {
      await db.query('BEGIN');
      try {
        await db.query('SET LOCAL ROLE app');
        if (login !== null) await db.query('SELECT warden.enter($1)', [login]);
        return await fn();
      } finally {
        await db.query('ROLLBACK');
      }
    }

    it('plans a restricted user like a hand-written WHERE, and an unrestricted one with no condition', async () => {
      const clerk = await entered('clerk@x', () => explain(db, 'SELECT * FROM public.sales WHERE id > 0'));
      expect(clerk).toMatch(/Index Cond: \(store_id = ANY \('\{7,9\}'::bigint\[\]\)\)/);
      expect(clerk).toMatch(/InitPlan 1/);
      expect(clerk).not.toMatch(/values_integer|in_integer/);
      const boss = await entered('boss@x', () => explain(db, 'SELECT * FROM public.sales'));
      expect(boss).not.toMatch(/store_id/);
      expect(boss).toMatch(/InitPlan 1/);
    });

    it('re-plans a generic prepared plan for the principal of a later transaction, and shows nothing without entering', async () => {
      const name = `q_${engine.name}`;
      const execute = async () => countsOf((await db.queryText(`EXECUTE ${name}`)).rows);
      // A prepared statement belongs to the session, not to the transaction that made it.
      const first = await entered('clerk@x', async () => {
        await db.query(`PREPARE ${name} AS ${COUNT_BY_STORE}`);
        // Six executions: PostgreSQL switches a prepared statement to its generic plan after five.
        for (let i = 0; i < 5; i++) await execute();
        return execute();
      });
      expect(first).toEqual(['7:100', '9:100']);
      const boss = await entered('boss@x', execute);
      expect(boss).toHaveLength(51);
      expect(boss.slice(0, 2)).toEqual(['0:50', '1:100']);
      expect(boss.at(-1)).toBe('null:50');
      expect(await entered(null, execute)).toEqual([]);
      expect(await entered('clerk@x', execute)).toEqual(['7:100', '9:100']);
      // Settings copied from an entered transaction do not revive the cached plan either.
      const names = [`${G}_p`, `${G}_a_sales`, `${G}_c_by$store_0`];
      const values = await entered('boss@x', async () => (await db.queryText('SELECT pg_catalog.current_setting($1), pg_catalog.current_setting($2), pg_catalog.current_setting($3)', names)).rows[0]);
      expect(values.every((v) => v !== null && v !== '')).toBe(true);
      const replayed = await entered(null, async () => {
        for (const [i, name] of names.entries()) await db.query('SELECT pg_catalog.set_config($1, $2, true)', [name, values[i]]);
        return execute();
      });
      expect(replayed).toEqual([]);
      await db.query(`DEALLOCATE ${name}`);
    });
  });

  describe(`cached plans after apply on ${engine.name}`, () => {
    it('principal: role: a cached plan shows the entitlements apply wrote (across transactions)', async () => {
      const db = await engine.fresh();
      await db.exec(TABLE);
      for (const role of ['clerk_role', 'boss_role']) await ensureRole(db, role);
      await applyPolicies(db, '[7, 9]', { principal: 'role' });
      await db.query('SET ROLE clerk_role');
      await db.query(`PREPARE r AS ${COUNT_BY_STORE}`);
      let rows: string[] = [];
      for (let i = 0; i < 6; i++) rows = countsOf((await db.queryText('EXECUTE r')).rows);
      expect(rows).toEqual(['7:100', '9:100']);
      await db.query('RESET ROLE');
      await applyPolicies(db, '[7, 11]', { principal: 'role' });
      await db.query('SET ROLE clerk_role');
      expect(countsOf((await db.queryText('EXECUTE r')).rows)).toEqual(['7:100', '11:100']);
      await db.query('RESET ROLE');
      await db.query('DEALLOCATE r');
    });
  });
}

describe('cached plans after apply on a PostgreSQL server, principal: session', () => {
  const [, server] = useEngines();
  it('a plan cached before a concurrent apply shows the new entitlements in the next entered transaction', async () => {
    const admin = await server.fresh();
    await admin.exec(TABLE);
    await createAppRole(admin);
    await applyPolicies(admin, '[7, 9]', {});
    const reader = await server.another!(admin);
    const asClerk = async (fn: () => Promise<string[]>) => {
      await reader.query('BEGIN');
      try {
        await reader.query('SET LOCAL ROLE app');
        await reader.query(`SELECT warden.enter('clerk@x')`);
        return await fn();
      } finally {
        await reader.query('ROLLBACK');
      }
    };
    const execute = async () => countsOf((await reader.queryText('EXECUTE s')).rows);
    try {
      const before = await asClerk(async () => {
        await reader.query(`PREPARE s AS ${COUNT_BY_STORE}`);
        for (let i = 0; i < 5; i++) await execute();
        return execute();
      });
      expect(before).toEqual(['7:100', '9:100']);
      await applyPolicies(admin, '[7, 11]', {});
      expect(await asClerk(execute)).toEqual(['7:100', '11:100']);
    } finally {
      await reader.close();
    }
  });
});
