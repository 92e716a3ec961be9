import { writeFileSync } from 'node:fs';
import { PgDatabase } from '../../src/db/pg.js';
import { loadPolicyTexts } from '../../src/load/load-files.js';
import { resolve } from '../../src/resolve/resolve.js';
import { compilePostgres } from '../../src/targets/postgres/index.js';
import { DEFAULT_OPTIONS } from '../../src/targets/postgres/options.js';
import { validatePolicies } from '../../src/validate/validate.js';
import { startPgServer } from '../../test/helpers/pg-server.js';
import { entitlementBench } from './entitlements.js';

/**
 * Issue 3's benchmark on a throwaway PostgreSQL server: a 1,000,000-row table with indexes on the
 * filtered columns; each query shape runs as a user through warden's policies (principal:
 * session, entered) and, in the same run, as the superuser with the equivalent hand-written
 * WHERE. Reports the median of each, the ratio and their geometric mean, and the EXPLAIN of
 * warden's plans. Each warden query runs in its own transaction after `enter` (timed apart:
 * the query column is the query alone, as for the hand-written one). Then the entitlement load (100,000 users x 5 attributes) against a raw COPY.
 *
 * Run: `npx tsx bench/rls/run.ts [--rows N] [--out FILE.md]`
 */

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const ROWS = Number(arg('--rows', '1000000'));
const OUT = arg('--out', '');
const RUNS = 31;
const WARMUPS = 3;

const POLICIES = `
attributes:
  country: { type: string }
  region: { type: string }
subjects:
  facts:
    table: public.facts
    fields:
      country: { column: country, type: string }
      region: { column: region, type: string }
users:
  clerk@x: { attributes: { country: [c7], region: all } }
  regional@x: { attributes: { country: all, region: [r1, r2, r3] } }
  ceo@x: { attributes: { country: all, region: all } }
rules:
  facts-by-country: { subject: facts, field: country, operator: in, attribute: country }
  facts-by-region: { subject: facts, field: region, operator: in, attribute: region }
`;

interface Shape {
  name: string;
  user: string;
  query: string;
  /** The same query with the user's filter written by hand. */
  hand: string;
}

const SHAPES: Shape[] = [
  {
    name: 'selective filter (1 of 1,000 countries)',
    user: 'clerk@x',
    query: 'SELECT id, amount FROM facts',
    hand: "SELECT id, amount FROM facts WHERE country = ANY('{c7}')",
  },
  {
    name: 'broad filter (3 of 50 regions)',
    user: 'regional@x',
    query: 'SELECT id, amount FROM facts',
    hand: "SELECT id, amount FROM facts WHERE region = ANY('{r1,r2,r3}')",
  },
  {
    name: 'aggregate (3 of 50 regions)',
    user: 'regional@x',
    query: 'SELECT region, count(*), sum(amount) FROM facts GROUP BY region ORDER BY region',
    hand: "SELECT region, count(*), sum(amount) FROM facts WHERE region = ANY('{r1,r2,r3}') GROUP BY region ORDER BY region",
  },
  {
    name: 'join with a dimension (1 of 1,000 countries)',
    user: 'clerk@x',
    query: 'SELECT s.name, sum(f.amount) FROM facts f JOIN stores s ON s.id = f.store_id GROUP BY s.name ORDER BY s.name',
    hand: "SELECT s.name, sum(f.amount) FROM facts f JOIN stores s ON s.id = f.store_id WHERE f.country = ANY('{c7}') GROUP BY s.name ORDER BY s.name",
  },
  {
    name: 'ORDER BY id LIMIT 100 (1 of 1,000 countries)',
    user: 'clerk@x',
    query: 'SELECT * FROM facts ORDER BY id LIMIT 100',
    hand: "SELECT * FROM facts WHERE country = ANY('{c7}') ORDER BY id LIMIT 100",
  },
  {
    name: 'ORDER BY id LIMIT 100 (3 of 50 regions)',
    user: 'regional@x',
    query: 'SELECT * FROM facts ORDER BY id LIMIT 100',
    hand: "SELECT * FROM facts WHERE region = ANY('{r1,r2,r3}') ORDER BY id LIMIT 100",
  },
  {
    name: 'unrestricted (all on every attribute)',
    user: 'ceo@x',
    query: 'SELECT count(*), sum(amount) FROM facts',
    hand: 'SELECT count(*), sum(amount) FROM facts',
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}


async function main(): Promise<void> {
  const lines: string[] = [];
  const log = (s = '') => {
    lines.push(s);
    console.log(s);
  };
  const server = startPgServer({ settings: { shared_buffers: '256MB', work_mem: '16MB', max_parallel_workers_per_gather: '0' } });
  const db = await PgDatabase.connect(server.config);
  const apps: PgDatabase[] = [];
  try {
    const version = (await db.query('SHOW server_version')).rows[0][0];
    log(`PostgreSQL ${version}, ${ROWS.toLocaleString('en-US')} rows, median of ${RUNS} alternating runs (after ${WARMUPS} warm-ups), parallel workers off; the application connects as role app`);
    await db.exec(`
      CREATE TABLE stores (id integer PRIMARY KEY, name text NOT NULL);
      INSERT INTO stores SELECT i, 'store ' || i FROM generate_series(1, 2000) i;
      CREATE TABLE facts (id bigint PRIMARY KEY, country text, region text, store_id integer, amount numeric(12,2), sold_at date, note text);
      INSERT INTO facts
        SELECT i, 'c' || ((i * 7919) % 1000), 'r' || ((i * 31) % 50), (1 + (i % 2000))::integer, (i % 10000) / 100.0, DATE '2026-01-01' - (i % 700)::integer, repeat('x', 40)
        FROM generate_series(1::bigint, ${ROWS}::bigint) i;
      CREATE INDEX facts_country ON facts (country);
      CREATE INDEX facts_region ON facts (region);
      CREATE INDEX facts_store ON facts (store_id);
      CREATE ROLE app LOGIN;
      GRANT SELECT ON facts, stores TO app;
    `);
    // VACUUM cannot run in the implicit transaction of a multi-statement query.
    await db.query('VACUUM ANALYZE facts');
    await db.query('VACUUM ANALYZE stores');
    const load = loadPolicyTexts([['policies/p.yaml', POLICIES]]);
    const validated = validatePolicies(load);
    if (!validated.policy) throw new Error(validated.diagnostics.map((d) => d.message).join('\n'));
    const model = resolve(validated.policy);
    const compiled = compilePostgres(model, { ...DEFAULT_OPTIONS, grantTo: ['app'] });
    await db.exec(compiled.sql!);
    // The application connects as its own role (SPEC 5.1), as it would in production; switching
    // roles inside each transaction (SET LOCAL ROLE) would add its own cost to the first query.
    const app = await PgDatabase.connect({ ...server.config, user: 'app' });
    apps.push(app);

    // `again`: the same query a second time in the transaction, timed (the look-ups' own plans,
    // discarded by enter, are made by the first one).
    const asUser = async (login: string, sql: string, explain = false, again = false) => {
      await app.query('BEGIN');
      try {
        const entering = performance.now();
        await app.query('SELECT warden.enter($1)', [login]);
        let start = performance.now();
        const enterMs = start - entering;
        if (again) {
          await app.query(sql);
          start = performance.now();
        }
        const result = await app.query(explain ? `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${sql}` : sql);
        return { ms: performance.now() - start, enterMs, rows: result.rows };
      } finally {
        await app.query('ROLLBACK');
      }
    };

    log();
    log('| query shape | user | warden (ms) | hand-written (ms) | ratio | warden plan + execute (ms) | hand plan + execute (ms) | enter (ms) | warden, 2nd query of the transaction (ms) | its ratio |');
    log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    const ratios: number[] = [];
    const againRatios: number[] = [];
    const plans: string[] = [];
    for (const shape of SHAPES) {
      // Same answer first: the benchmark only means something if warden returns the hand-written rows.
      const mine = await asUser(shape.user, shape.query);
      const theirs = await db.query(shape.hand);
      if (JSON.stringify(mine.rows) !== JSON.stringify(theirs.rows)) throw new Error(`${shape.name}: warden and hand-written rows differ`);
      // Only the query itself is timed for warden (not BEGIN or `enter`), like the hand-written
      // one. The three runs alternate, so a busy moment of the machine falls on all of them.
      const times: number[] = [];
      const enters: number[] = [];
      const againTimes: number[] = [];
      const handTimes: number[] = [];
      for (let i = -WARMUPS; i < RUNS; i++) {
        const first = await asUser(shape.user, shape.query);
        const second = await asUser(shape.user, shape.query, false, true);
        const start = performance.now();
        await db.query(shape.hand);
        const handMs = performance.now() - start;
        if (i < 0) continue;
        times.push(first.ms);
        enters.push(first.enterMs);
        againTimes.push(second.ms);
        handTimes.push(handMs);
      }
      const warden = median(times);
      const wardenAgain = median(againTimes);
      const hand = median(handTimes);
      const ratio = warden / hand;
      ratios.push(ratio);
      againRatios.push(wardenAgain / hand);
      const plan = await asUser(shape.user, shape.query, true);
      const handPlan = await db.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${shape.hand}`);
      const summary = (rows: unknown[][]) =>
        rows
          .map((r) => String(r[0]))
          .filter((l) => /^(Planning|Execution) Time/.test(l))
          .map((l) => Number(l.replace(/[^0-9.]/g, '')).toFixed(2))
          .join(' + ');
      log(`| ${shape.name} | ${shape.user} | ${warden.toFixed(2)} | ${hand.toFixed(2)} | ${ratio.toFixed(2)} | ${summary(plan.rows)} | ${summary(handPlan.rows)} | ${median(enters).toFixed(2)} | ${wardenAgain.toFixed(2)} | ${(wardenAgain / hand).toFixed(2)} |`);
      plans.push(`${shape.name} — as ${shape.user}: ${shape.query}`, ...plan.rows.map((r) => `    ${r[0]}`).filter((l) => !/(Planning|Execution) Time/.test(l)), '');
    }
    const geomean = (xs: number[]) => Math.exp(xs.reduce((s, r) => s + Math.log(r), 0) / xs.length);
    log();
    log(`geometric mean of the ratios: ${geomean(ratios).toFixed(2)} (first query of a transaction); ${geomean(againRatios).toFixed(2)} (second query of the transaction)`);
    log();
    log('EXPLAIN (ANALYZE, COSTS OFF) of warden\'s plans:');
    log();
    log('```');
    for (const p of plans) log(p);
    log('```');
    log();
    for (const line of await entitlementBench(db)) log(line);
  } finally {
    for (const app of apps) await app.close();
    await db.close();
    server.stop();
  }
  if (OUT) writeFileSync(OUT, `${lines.join('\n')}\n`);
}

await main();
