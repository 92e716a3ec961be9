import { randomBytes } from 'node:crypto';
import type { Database } from '../db/database.js';
import { PgDatabase } from '../db/pg.js';
import { PgliteDatabase } from '../db/pglite.js';
import { quoteIdent } from '../targets/postgres/quote.js';

/**
 * A database that exists only for one test file: a fresh in-memory PGlite, or on a server a
 * new database (dropped afterwards) reached through the given URL. Roles are cluster-wide on a
 * server, so every role the tests create is remembered and dropped again.
 */
export interface Scratch {
  db: Database;
  /** Creates a NOLOGIN role unless one of that name exists; returns whether it created it. */
  ensureRole(name: string): Promise<boolean>;
  dispose(): Promise<void>;
}

export function scratchName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export async function openScratch(databaseUrl?: string): Promise<Scratch> {
  if (databaseUrl === undefined) {
    const db = await PgliteDatabase.open();
    return { db, ensureRole: (name) => ensureRole(db, name), dispose: () => db.close() };
  }
  const admin = await PgDatabase.connect(databaseUrl);
  const name = scratchName('warden_test');
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
  } catch (caught) {
    await admin.close();
    throw new Error(`cannot create a scratch database on the server (${(caught as Error).message}); the user needs CREATEDB`);
  }
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  const db = await PgDatabase.connect(url.toString());
  const created: string[] = [];
  return {
    db,
    async ensureRole(role) {
      const made = await ensureRole(admin, role);
      if (made) created.push(role);
      return made;
    },
    async dispose() {
      await db.close();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
        for (const role of created) await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`);
      } finally {
        await admin.close();
      }
    },
  };
}

async function ensureRole(db: Database, name: string): Promise<boolean> {
  const exists = await db.query('SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1', [name]);
  if (exists.rows.length > 0) return false;
  await db.query(`CREATE ROLE ${quoteIdent(name)} NOLOGIN`);
  return true;
}
