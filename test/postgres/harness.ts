import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { PgDatabase } from '../../src/db/pg.js';
import { PgliteDatabase } from '../../src/db/pglite.js';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { loadPolicyTexts } from '../../src/load/load-files.js';
import { resolve } from '../../src/resolve/resolve.js';
import type { ResolvedModel } from '../../src/resolve/model.js';
import { compilePostgres } from '../../src/targets/postgres/index.js';
import { DEFAULT_OPTIONS, type PostgresOptions } from '../../src/targets/postgres/options.js';
import { quoteIdent } from '../../src/targets/postgres/quote.js';
import { validatePolicies } from '../../src/validate/validate.js';
import { startPgServer, type PgServer } from '../helpers/pg-server.js';

/**
 * Both engines for tests that make claims about rows: the embedded PGlite and a throwaway
 * PostgreSQL 15 cluster. Each `fresh()` is an empty database (a new PGlite, or a new database
 * on the one server of the test file), so cases never see each other's objects.
 */
export interface Engine {
  name: 'pglite' | 'postgres';
  fresh(): Promise<Database>;
  /** A second connection to the database of `db` (server only: PGlite has one connection). */
  another?(db: Database): Promise<Database>;
}

export function useEngines(): Engine[] {
  let server: PgServer | undefined;
  let admin: PgDatabase | undefined;
  let counter = 0;
  const opened: Database[] = [];
  const names = new Map<Database, string>();
  beforeAll(async () => {
    server = startPgServer();
    admin = await PgDatabase.connect(server.config);
  });
  afterAll(async () => {
    for (const db of opened.splice(0)) await db.close().catch(() => undefined);
    await admin?.close();
    server?.stop();
  });
  return [
    {
      name: 'pglite',
      async fresh() {
        const db = await PgliteDatabase.open();
        opened.push(db);
        return db;
      },
    },
    {
      name: 'postgres',
      async fresh() {
        const name = `case_${++counter}`;
        await admin!.query(`CREATE DATABASE ${quoteIdent(name)}`);
        const db = await PgDatabase.connect({ ...server!.config, database: name });
        opened.push(db);
        names.set(db, name);
        return db;
      },
      async another(db) {
        const other = await PgDatabase.connect({ ...server!.config, database: names.get(db)! });
        opened.push(other);
        return other;
      },
    },
  ];
}

/** Policy files (path -> YAML) through load, validate and resolve; throws on any error. */
export function modelFromYaml(files: Record<string, string>, now = new Date('2026-01-15T00:00:00Z')): ResolvedModel {
  const load = loadPolicyTexts(Object.entries(files));
  const validated = validatePolicies(load);
  const diagnostics = [...load.diagnostics, ...validated.diagnostics];
  if (validated.policy === null || hasErrors(diagnostics)) {
    throw new Error(`policies do not validate:\n${diagnostics.map((d) => `${d.code} ${d.loc.file}:${d.loc.line}:${d.loc.column} ${d.message}`).join('\n')}`);
  }
  return resolve(validated.policy, { now });
}

export function compileSql(model: ResolvedModel, options: Partial<PostgresOptions> = {}): string {
  const compiled = compilePostgres(model, { ...DEFAULT_OPTIONS, ...options });
  if (compiled.sql === null) throw new Error(compiled.diagnostics.map((d) => d.message).join('\n'));
  return compiled.sql;
}

/** The rows `login` sees for `sql`, entering through the application role (principal: session). */
export async function rowsAs(db: Database, login: string | null, sql: string, opts: { appRole?: string; schema?: string; readOnly?: boolean } = {}) {
  await db.query(opts.readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
  try {
    await db.query(`SET LOCAL ROLE ${quoteIdent(opts.appRole ?? 'app')}`);
    if (login !== null) await db.query(`SELECT ${quoteIdent(opts.schema ?? 'warden')}.enter($1)`, [login]);
    return (await db.queryText(sql)).rows;
  } finally {
    await db.query('ROLLBACK');
  }
}

/** Creates the application role with read access to `schema`'s tables (idempotent per database cluster). */
export async function createAppRole(db: Database, role = 'app', tableSchema = 'public'): Promise<void> {
  const exists = await db.query('SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1', [role]);
  if (exists.rows.length === 0) await db.query(`CREATE ROLE ${quoteIdent(role)} NOLOGIN`);
  await db.query(`GRANT USAGE ON SCHEMA ${quoteIdent(tableSchema)} TO ${quoteIdent(role)}`);
  await db.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${quoteIdent(tableSchema)} TO ${quoteIdent(role)}`);
}
