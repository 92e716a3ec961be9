import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { PgDatabase } from '../../src/db/pg.js';
import { PgliteDatabase } from '../../src/db/pglite.js';
import { compileProject } from '../../src/pipeline.js';
import { postgresTarget } from '../../src/targets/postgres/index.js';
import { findPgBin, startPgServer, type PgServer } from '../helpers/pg-server.js';
import { createAppRole, rowsAs } from './harness.js';

/**
 * The "done when": `warden compile` output for the Holistics example is one script that a
 * plain `psql -f` applies to PostgreSQL 15 (twice: it is re-runnable), and PGlite runs the same
 * text; afterwards each user sees exactly their rows.
 */

const PROJECT = path.resolve(import.meta.dirname, '../../examples/holistics-ecommerce');
let sql: string;
let server: PgServer;
let dir: string;

beforeAll(async () => {
  const compiled = await compileProject(PROJECT, { now: new Date('2026-01-15T00:00:00Z') });
  const target = [...compiled.config.targets.values()].find((t) => t.type === 'postgres')!;
  const result = postgresTarget.compile(compiled.model!, { target, env: {}, projectRoot: PROJECT, now: new Date() });
  sql = result.artifacts[0].content;
  server = startPgServer();
  dir = mkdtempSync(path.join(tmpdir(), 'warden-psql-'));
  chmodSync(dir, 0o755);
});
afterAll(() => {
  server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function psqlFile(file: string): void {
  const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', server.config.host, '-p', String(server.config.port), '-U', 'postgres', '-d', 'postgres', '-f', file];
  const result = spawnSync(path.join(findPgBin()!, 'psql'), args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
}

async function checkRows(db: Database) {
  await createAppRole(db, 'app', 'ecommerce');
  const vn = await rowsAs(db, 'vn.manager@ecommerce.example', 'SELECT DISTINCT country_name FROM ecommerce.orders ORDER BY 1');
  expect(vn).toEqual([['Vietnam']]);
  expect(await rowsAs(db, 'former.manager@ecommerce.example', 'SELECT count(*) FROM ecommerce.orders')).toEqual([['0']]);
  expect(await rowsAs(db, null, 'SELECT count(*) FROM ecommerce.orders')).toEqual([['0']]);
}

describe('the compiled script of the Holistics example', () => {
  it('applies twice with psql -f on PostgreSQL 15', async () => {
    const fixture = path.join(dir, 'fixture.sql');
    const script = path.join(dir, 'warden.sql');
    writeFileSync(fixture, readFileSync(path.join(PROJECT, 'fixtures/ecommerce.sql'), 'utf8'));
    writeFileSync(script, sql);
    chmodSync(fixture, 0o644);
    chmodSync(script, 0o644);
    psqlFile(fixture);
    psqlFile(script);
    psqlFile(script);
    const db = await PgDatabase.connect(server.config);
    try {
      await checkRows(db);
    } finally {
      await db.close();
    }
  });

  it('applies twice on PGlite', async () => {
    const db = await PgliteDatabase.open();
    try {
      await db.exec(readFileSync(path.join(PROJECT, 'fixtures/ecommerce.sql'), 'utf8'));
      await db.exec(sql);
      await db.exec(sql);
      await checkRows(db);
    } finally {
      await db.close();
    }
  });
});
