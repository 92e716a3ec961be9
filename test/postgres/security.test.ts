import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { PgDatabase } from '../../src/db/pg.js';
import { PgliteDatabase } from '../../src/db/pglite.js';
import { settingPrefix } from '../../src/targets/postgres/index.js';
import { compileSql, createAppRole, modelFromYaml, rowsAs, useEngines } from './harness.js';

/**
 * SPEC 5.1's security promises on both engines: FORCE makes the owner filtered too; nothing is
 * visible without a known, enabled, entered principal; the definer functions answer only for
 * the caller; `enter` works read-only; and hand-made settings never widen access. Plans cached
 * across transactions and principals: plan-cache.test.ts.
 */

const POLICIES = {
  'policies/p.yaml': `
attributes:
  store: { type: integer }
subjects:
  sales:
    table: public.sales
    fields:
      store: { column: store_id, type: integer }
users:
  clerk@x: { attributes: { store: [2] } }
  boss@x: { attributes: { store: all } }
  gone@x: { disabled: true, attributes: { store: all } }
rules:
  by-store: { subject: sales, field: store, operator: in, attribute: store }
`,
};

const TABLE = `
CREATE TABLE public.sales (id integer PRIMARY KEY, store_id integer);
INSERT INTO public.sales VALUES (1, 1), (2, 2), (3, 10), (4, NULL);
`;
const FIXTURE = `${TABLE}
CREATE ROLE owner_role NOLOGIN;
ALTER TABLE public.sales OWNER TO owner_role;
`;

const ALL_IDS = 'SELECT id FROM public.sales ORDER BY id';
const ids = (rows: (string | null)[][]) => rows.map((r) => Number(r[0]));
const G = settingPrefix('warden');

async function inTx<T>(db: Database, fn: () => Promise<T>, begin = 'BEGIN'): Promise<T> {
  await db.query(begin);
  try {
    return await fn();
  } finally {
    await db.query('ROLLBACK');
  }
}

async function ownerRoleSetup(db: Database) {
  // Roles are cluster-wide on the server: create only when missing.
  const exists = await db.query(`SELECT 1 FROM pg_roles WHERE rolname = 'owner_role'`);
  await db.exec(exists.rows.length > 0 ? FIXTURE.replace('CREATE ROLE owner_role NOLOGIN;', '') : FIXTURE);
}

for (const engine of useEngines()) {
  describe(`security on ${engine.name}`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await engine.fresh();
      await ownerRoleSetup(db);
      await createAppRole(db);
      await db.exec(compileSql(modelFromYaml(POLICIES)));
    });

    it('filters a non-owner and the table owner alike (FORCE)', async () => {
      expect(ids(await rowsAs(db, 'clerk@x', ALL_IDS))).toEqual([2]);
      expect(ids(await rowsAs(db, 'clerk@x', ALL_IDS, { appRole: 'owner_role' }))).toEqual([2]);
      expect(ids(await rowsAs(db, null, ALL_IDS, { appRole: 'owner_role' }))).toEqual([]);
      expect(ids(await rowsAs(db, 'boss@x', ALL_IDS, { appRole: 'owner_role' }))).toEqual([1, 2, 3, 4]);
    });

    it('shows nothing to unknown, disabled or not-entered principals', async () => {
      expect(await rowsAs(db, 'nobody@x', ALL_IDS)).toEqual([]);
      expect(await rowsAs(db, 'gone@x', ALL_IDS)).toEqual([]);
      expect(await rowsAs(db, null, ALL_IDS)).toEqual([]);
      expect(await rowsAs(db, '', ALL_IDS)).toEqual([]);
    });

    it('enters inside a READ ONLY transaction', async () => {
      expect(ids(await rowsAs(db, 'clerk@x', ALL_IDS, { readOnly: true }))).toEqual([2]);
    });

    it('keeps entitlement tables and internal functions from callers', async () => {
      for (const sql of [
        'SELECT * FROM warden.values_integer',
        'SELECT * FROM warden.principals',
        'SELECT * FROM warden.secret',
        'SELECT * FROM warden.entry_settings',
        // The signing key: neither readable nor settable by callers.
        'SELECT last_value FROM warden.key_a',
        "SELECT pg_catalog.setval('warden.key_a', 1)",
      ]) {
        await expect(inTx(db, async () => {
          await db.query('SET LOCAL ROLE app');
          await db.query(sql);
        }), sql).rejects.toThrow(/permission denied/);
      }
      // PostgreSQL 15 refuses this; 18 (PGlite) answers NULL to a caller without privileges.
      const key = await inTx(db, async () => {
        await db.query('SET LOCAL ROLE app');
        return (await db.queryText("SELECT pg_catalog.pg_sequence_last_value('warden.key_b')::text")).rows[0]?.[0];
      }).catch((e: Error) => e.message);
      expect(key === null || /permission denied/.test(String(key)), String(key)).toBe(true);
    });

    it('answers the look-up functions only for the entered principal', async () => {
      const look = (login: string | null) =>
        inTx(db, async () => {
          await db.query('SET LOCAL ROLE app');
          if (login !== null) await db.query('SELECT warden.enter($1)', [login]);
          return (await db.queryText(`SELECT warden.values_integer('by-store', 0)::text, (warden.access_key('sales') IS NOT NULL)::text`)).rows[0];
        });
      // NULL = open (all), {NULL} = deny.
      expect(await look('clerk@x')).toEqual(['{2}', 'true']);
      expect(await look('boss@x')).toEqual([null, 'true']);
      // No argument names another principal; without entering there is nothing to read.
      expect(await look(null)).toEqual(['{NULL}', 'false']);
      expect(await look('gone@x')).toEqual(['{NULL}', 'false']);
    });

    it('never widens access through settings set by hand', async () => {
      // What enter writes: the principal's id and signed settings (signature + payload).
      const NAMES = [`${G}_p`, `${G}_a_sales`, `${G}_c_by$store_0`];
      const settings = `SELECT ${NAMES.map((_, i) => `pg_catalog.current_setting($${i + 1}, true)`).join(', ')}`;
      const boss = await inTx(db, async () => {
        await db.query('SET LOCAL ROLE app');
        await db.query(`SELECT warden.enter('boss@x')`);
        return (await db.queryText(settings, NAMES)).rows[0];
      });
      expect(boss[2]!.slice(64)).toBe('open');
      const clerkIn = async (tamper: (clerk: (string | null)[]) => [string, string][]) =>
        inTx(db, async () => {
          await db.query('SET LOCAL ROLE app');
          await db.query(`SELECT warden.enter('clerk@x')`);
          const clerk = (await db.queryText(settings, NAMES)).rows[0];
          for (const [name, value] of tamper(clerk)) await db.query('SELECT set_config($1, $2, true)', [name, value]);
          return ids((await db.queryText(ALL_IDS)).rows);
        });
      // Not entered: the boss's settings replayed from an earlier transaction.
      const replayed = await inTx(db, async () => {
        await db.query('SET LOCAL ROLE app');
        for (const [i, name] of NAMES.entries()) await db.query('SELECT set_config($1, $2, true)', [name, boss[i]]);
        return (await db.queryText(ALL_IDS)).rows;
      });
      expect(replayed).toEqual([]);
      const attempts: Record<string, (clerk: (string | null)[]) => [string, string][]> = {
        "claiming the boss's id": () => [[NAMES[0]!, boss[0]!]],
        "the boss's condition from an earlier transaction": () => [[NAMES[2]!, boss[2]!]],
        "the boss's id and settings from an earlier transaction": () => NAMES.map((n, i) => [n, boss[i]!]),
        "the clerk's signature with another payload": (clerk) => [[NAMES[2]!, `${clerk[2]!.slice(0, 64)}open`]],
        'the condition removed (missing is deny, not open)': () => [[NAMES[2]!, '']],
        'the payload alone': () => [[NAMES[2]!, 'open']],
      };
      for (const [what, tamper] of Object.entries(attempts)) {
        const rows = await clerkIn(tamper);
        expect(rows.every((id) => id === 2), what).toBe(true);
      }
      // Entered as the boss, then as the clerk in the same transaction, with the boss's condition put back.
      const mixed = await inTx(db, async () => {
        await db.query('SET LOCAL ROLE app');
        await db.query(`SELECT warden.enter('boss@x')`);
        const own = (await db.queryText(settings, NAMES)).rows[0];
        await db.query(`SELECT warden.enter('clerk@x')`);
        await db.query('SELECT set_config($1, $2, true)', [NAMES[2], own[2]]);
        return ids((await db.queryText(ALL_IDS)).rows);
      });
      expect(mixed.every((id) => id === 2)).toBe(true);
    });

    it('does not leak a principal into the next transaction', async () => {
      await db.query('BEGIN');
      await db.query('SET LOCAL ROLE app');
      await db.query(`SELECT warden.enter('boss@x')`);
      await db.query('COMMIT');
      expect(await rowsAs(db, null, ALL_IDS)).toEqual([]);
    });

    it("keeps the builtin comparison when the caller's search_path offers its own = operator", async () => {
      // The comparison wrappers are inlined, so their body is parsed with the caller's search_path:
      // an operator that always says yes must not stand in for pg_catalog's.
      await db.exec(`
        CREATE SCHEMA IF NOT EXISTS evil;
        CREATE OR REPLACE FUNCTION evil.yes(integer, bigint) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT true';
        DROP OPERATOR IF EXISTS evil.= (integer, bigint);
        CREATE OPERATOR evil.= (LEFTARG = integer, RIGHTARG = bigint, FUNCTION = evil.yes);
        GRANT USAGE ON SCHEMA evil TO app;
        GRANT EXECUTE ON FUNCTION evil.yes(integer, bigint) TO app;
      `);
      const rows = await inTx(db, async () => {
        await db.query('SET LOCAL ROLE app');
        await db.query('SET LOCAL search_path = evil, pg_catalog, public');
        // The operator works for the caller's own queries.
        expect((await db.queryText('SELECT (1::integer = 2::bigint)::text')).rows).toEqual([['true']]);
        await db.query(`SELECT warden.enter('clerk@x')`);
        return ids((await db.queryText(ALL_IDS)).rows);
      });
      expect(rows).toEqual([2]);
    });
  });
}

describe('principal: role', () => {
  const ROLE_POLICIES = {
    'policies/p.yaml': POLICIES['policies/p.yaml'].replace('clerk@x: { attributes', 'clerk@x: { db_role: clerk_role, attributes'),
  };

  for (const engineName of ['pglite', 'postgres'] as const) {
    it(`filters by the database role and refuses other roles' look-ups on ${engineName}`, async () => {
      const engines = useEnginesOnce();
      const setup = async (db: Database) => {
        await db.exec(TABLE);
        for (const role of ['clerk_role', 'boss@x']) {
          const exists = await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
          if (exists.rows.length === 0) await db.query(`CREATE ROLE "${role}" LOGIN`);
          await db.query(`GRANT SELECT ON public.sales TO "${role}"`);
        }
        await db.exec(compileSql(modelFromYaml(ROLE_POLICIES), { principal: 'role' }));
      };
      const asLogin = await engines[engineName](setup, 'clerk_role');
      try {
        expect(ids((await asLogin.queryText(ALL_IDS)).rows)).toEqual([2]);
        // The clerk cannot read the boss's entitlements by naming the boss's role, unless the
        // session could become the boss anyway. PGlite's `username` is a SET ROLE inside a
        // superuser session (session_user stays the superuser), so there it can; on a server it cannot.
        const canBecomeBoss = await asLogin
          .query('SET ROLE "boss@x"')
          .then(() => asLogin.query('SET ROLE clerk_role').then(() => true))
          .catch(() => false);
        expect(canBecomeBoss).toBe(engineName === 'pglite');
        const other = await asLogin.queryText(`SELECT warden.role_values_integer('by-store', 0, 'boss@x')::text, warden.role_access('sales', 'boss@x')::text`);
        // The boss is unrestricted (NULL = open); a refused look-up denies ({NULL}) and grants no access (NULL).
        expect(other.rows[0]).toEqual(canBecomeBoss ? [null, 'boss@x'] : ['{NULL}', null]);
        const own = await asLogin.queryText(`SELECT warden.values_integer('by-store', 0)::text, warden.access_role('sales')::text`);
        expect(own.rows[0]).toEqual(['{2}', 'clerk_role']);
        expect(ids((await asLogin.queryText(ALL_IDS)).rows)).toEqual([2]);
      } finally {
        await asLogin.close();
      }
    });
  }
});

/** Databases reached as a non-superuser login role (session_user is then that role). */
function useEnginesOnce() {
  return {
    pglite: async (setup: (db: Database) => Promise<void>, login: string) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'warden-pglite-'));
      const admin = await PgliteDatabase.open(dir);
      try {
        await setup(admin);
      } finally {
        await admin.close();
      }
      const db = await PgliteDatabase.open(dir, { username: login });
      return { ...db, queryText: db.queryText.bind(db), query: db.query.bind(db), close: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } } as Database;
    },
    postgres: async (setup: (db: Database) => Promise<void>, login: string) => {
      const { startPgServer } = await import('../helpers/pg-server.js');
      const server = startPgServer();
      let db: PgDatabase;
      try {
        const admin = await PgDatabase.connect(server.config);
        try {
          await setup(admin);
        } finally {
          await admin.close();
        }
        db = await PgDatabase.connect({ ...server.config, user: login });
      } catch (caught) {
        // A failed setup must not leave the cluster running.
        server.stop();
        throw caught;
      }
      return { ...db, queryText: db.queryText.bind(db), query: db.query.bind(db), close: async () => { await db.close(); server.stop(); } } as Database;
    },
  };
}
