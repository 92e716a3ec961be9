import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../db/database.js';
import type { ResolvedModel } from '../resolve/model.js';
import { compilePostgres } from '../targets/postgres/index.js';
import type { PostgresOptions } from '../targets/postgres/options.js';
import { quoteIdent } from '../targets/postgres/quote.js';
import { queryAsUser, type Principal } from './as-user.js';
import { checkModel } from './model-check.js';
import { diffRows, rowsMatch } from './row-diff.js';
import { openScratch, scratchName, type Scratch } from './scratch.js';
import type { AccessTest, AccessTestFile, TestResult } from './types.js';

/**
 * Runs access tests: model expectations against the resolved model, SQL expectations on a
 * scratch database (per test file: its fixtures, then warden's compiled SQL, then each query
 * as the user). Results come back in file and test order; nothing is printed here.
 */
export interface RunOptions {
  root: string;
  model: ResolvedModel;
  /** The postgres target's options (schema, principal, grant_to). */
  postgres: PostgresOptions;
  /** A server to create scratch databases on; embedded PGlite when absent. */
  databaseUrl?: string;
  /** Called after each test (progress output). */
  onResult?: (result: TestResult) => void;
}

export async function runAccessTests(files: readonly AccessTestFile[], options: RunOptions): Promise<TestResult[]> {
  const results: TestResult[] = [];
  const report = (r: TestResult) => {
    results.push(r);
    options.onResult?.(r);
  };
  for (const file of files) {
    const sqlTests = file.tests.filter((t) => t.expect.rows !== undefined);
    let session: SqlSession | null = null;
    let setupError: string | null = null;
    if (sqlTests.length > 0) {
      try {
        session = await prepareDatabase(file, options);
      } catch (caught) {
        setupError = (caught as Error).message;
      }
    }
    try {
      for (const test of file.tests) report(await runOne(test, options, session, setupError));
    } finally {
      await session?.scratch.dispose();
    }
  }
  return results;
}

interface SqlSession {
  scratch: Scratch;
  principal: Principal;
}

async function runOne(test: AccessTest, options: RunOptions, session: SqlSession | null, setupError: string | null): Promise<TestResult> {
  const base = { file: test.file, name: test.name, loc: test.loc };
  if (test.expect.access !== undefined || test.expect.filters !== undefined) {
    const model = checkModel(options.model, test);
    if (!model.ok || test.expect.rows === undefined) return model;
  }
  if (test.expect.rows === undefined) return { ...base, ok: true };
  if (session === null) return { ...base, ok: false, message: `the scratch database could not be prepared: ${setupError ?? 'unknown error'}` };
  const user = options.model.users.get(test.as);
  let actual;
  try {
    actual = await queryAsUser(session.scratch.db, session.principal, test.as, user?.dbRole ?? test.as, test.query!);
  } catch (caught) {
    return { ...base, ok: false, message: `the query failed: ${(caught as Error).message}` };
  }
  if (rowsMatch(test.expect.rows, actual.rows)) return { ...base, ok: true };
  return { ...base, ok: false, message: `the rows ${test.as} sees differ`, diff: diffRows(test.expect.rows, actual.rows) };
}

async function prepareDatabase(file: AccessTestFile, options: RunOptions): Promise<SqlSession> {
  const scratch = await openScratch(options.databaseUrl);
  try {
    const appRole = scratchName('warden_app');
    await scratch.ensureRole(appRole);
    const db = scratch.db;
    for (const fixture of file.fixtures) {
      const text = readFileSync(path.join(options.root, fixture.path), 'utf8');
      try {
        await db.exec(text);
      } catch (caught) {
        throw new Error(`fixture ${fixture.path} failed: ${(caught as Error).message}`);
      }
    }
    // The application role of the tests gets what grant_to would give it, and read access to
    // the fixtures' other tables so that test queries may join them.
    const postgres = { ...options.postgres, grantTo: [...new Set([...options.postgres.grantTo, appRole])].sort() };
    const compiled = compilePostgres(options.model, postgres);
    if (compiled.sql === null) throw new Error(compiled.diagnostics.map((d) => d.message).join('; '));
    await db.exec(compiled.sql);
    await grantFixtureAccess(db, appRole, postgres.schema);
    await db.query(`GRANT ${quoteIdent(appRole)} TO CURRENT_USER`).catch(() => undefined);
    if (postgres.principal === 'role') {
      for (const user of options.model.users.values()) {
        await scratch.ensureRole(user.dbRole);
        await db.query(`GRANT ${quoteIdent(appRole)} TO ${quoteIdent(user.dbRole)}`);
        await db.query(`GRANT ${quoteIdent(user.dbRole)} TO CURRENT_USER`).catch(() => undefined);
      }
    }
    return { scratch, principal: { mode: postgres.principal, schema: postgres.schema, appRole } };
  } catch (caught) {
    await scratch.dispose();
    throw caught;
  }
}

async function grantFixtureAccess(db: Database, role: string, wardenSchema: string): Promise<void> {
  const schemas = await db.query(
    `SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1`,
  );
  for (const [schema] of schemas.rows as [string][]) {
    // warden's own schema keeps its privileges: only its functions are for callers.
    if (schema === wardenSchema) continue;
    await db.query(`GRANT USAGE ON SCHEMA ${quoteIdent(schema)} TO ${quoteIdent(role)}`);
    await db.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${quoteIdent(schema)} TO ${quoteIdent(role)}`);
  }
}
