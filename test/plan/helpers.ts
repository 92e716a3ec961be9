import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { PgDatabase } from '../../src/db/pg.js';
import { PgliteDatabase } from '../../src/db/pglite.js';
import { quoteIdent } from '../../src/targets/postgres/quote.js';
import { startPgServer, type PgServer } from '../helpers/pg-server.js';
import { runCli, type CliRun } from '../helpers/run-cli.js';

/**
 * A policy project copied from test/plan/fixtures/shop into a temp folder, whose `warehouse`
 * target is either the embedded PGlite database (no url) or a fresh database on a throwaway
 * PostgreSQL 15 cluster (`url: ${DATABASE_URL}`). Tests run the real CLI against it and look
 * at the database directly between commands.
 */

export const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'shop');

export interface Project {
  engine: 'pglite' | 'postgres';
  dir: string;
  env: Record<string, string>;
  cli(...args: string[]): Promise<CliRun>;
  /** Runs `fn` on the target database (the embedded one is closed again afterwards). */
  db<T>(fn: (db: Database) => Promise<T>): Promise<T>;
  /** Replaces text in a policy file (relative to the project). */
  edit(file: string, from: string, to: string): void;
}

export interface ProjectEngine {
  name: 'pglite' | 'postgres';
  project(): Promise<Project>;
}

function warden(url: boolean): string {
  return ['version: 1', 'policies: [policies]', 'targets:', '  warehouse:', '    type: postgres', ...(url ? ['    url: ${DATABASE_URL}'] : []), '    schema: warden', '    principal: session', ''].join('\n');
}

function copyProject(url: boolean): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-plan-'));
  cpSync(FIXTURE, dir, { recursive: true });
  writeFileSync(path.join(dir, 'warden.yaml'), warden(url));
  return dir;
}

function editor(dir: string) {
  return (file: string, from: string, to: string) => {
    const full = path.join(dir, file);
    const text = readFileSync(full, 'utf8');
    if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
    writeFileSync(full, text.replace(from, to));
  };
}

export function serverUrl(server: PgServer, database: string): string {
  return `postgres://${server.config.user}@${encodeURIComponent(server.config.host)}:${server.config.port}/${database}`;
}

export function useProjectEngines(): ProjectEngine[] {
  let server: PgServer | undefined;
  let admin: PgDatabase | undefined;
  let counter = 0;
  const dirs: string[] = [];
  beforeAll(async () => {
    server = startPgServer();
    admin = await PgDatabase.connect(server.config);
  });
  afterAll(async () => {
    await admin?.close();
    server?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return [
    {
      name: 'pglite',
      async project() {
        const dir = copyProject(false);
        dirs.push(dir);
        return {
          engine: 'pglite',
          dir,
          env: {},
          cli: (...args) => runCli(args, dir, {}),
          async db(fn) {
            const db = await PgliteDatabase.open(path.join(dir, '.warden', 'warehouse'));
            try {
              return await fn(db);
            } finally {
              await db.close();
            }
          },
          edit: editor(dir),
        };
      },
    },
    {
      name: 'postgres',
      async project() {
        const dir = copyProject(true);
        dirs.push(dir);
        const name = `plan_${++counter}`;
        await admin!.query(`CREATE DATABASE ${quoteIdent(name)}`);
        const setup = await PgDatabase.connect({ ...server!.config, database: name });
        await setup.exec(readFileSync(path.join(dir, 'fixtures', 'acme.sql'), 'utf8'));
        await setup.close();
        const env = { DATABASE_URL: serverUrl(server!, name) };
        return {
          engine: 'postgres',
          dir,
          env,
          cli: (...args) => runCli(args, dir, env),
          async db(fn) {
            const db = await PgDatabase.connect({ ...server!.config, database: name });
            try {
              return await fn(db);
            } finally {
              await db.close();
            }
          },
          edit: editor(dir),
        };
      },
    },
  ];
}

/** Rows a user sees of a table, counted as that user (session mode, a role without BYPASSRLS). */
export async function countAs(db: Database, login: string, table: string): Promise<number> {
  await db.query('BEGIN');
  try {
    await db.query('CREATE ROLE warden_test_probe NOLOGIN');
    await db.query(`GRANT SELECT ON TABLE ${table} TO warden_test_probe`);
    await db.query('SET LOCAL ROLE warden_test_probe');
    await db.query('SELECT warden.enter($1)', [login]);
    const r = await db.queryText(`SELECT count(*)::text FROM ${table}`);
    return Number(r.rows[0][0]);
  } finally {
    await db.query('ROLLBACK');
  }
}

export interface PlanJson {
  summary: { create: number; update: number; delete: number; replace: number; drift: number };
  changes: { action: string; object: string; address: string; reason: string; drift: boolean; details?: string[] }[];
  access: { users: { login: string; change: string; subjects: { subject: string; change: string; before: unknown; after: unknown }[] }[] } | null;
  operations: { op: string; principalIds?: number[] }[];
}

export function parsePlan(stdout: string): PlanJson {
  return JSON.parse(stdout) as PlanJson;
}
