import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../../db/database.js';
import { openDatabase } from '../../db/open.js';
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { expandEnv } from '../../project/config.js';
import type { TargetConfig } from '../../targets/target.js';

/**
 * Where a postgres target lives: a server (`url`, usually `${DATABASE_URL}`) or, with no url,
 * the embedded PGlite database persisted in `<project>/.warden/<target>/`.
 */
export interface TargetLocation {
  url?: string;
  dataDir?: string;
  /** Printable: the URL without its password, or the embedded folder relative to the project. */
  description: string;
  embedded: boolean;
}

export function locateTarget(target: TargetConfig, root: string, env: Readonly<Record<string, string | undefined>>): { location: TargetLocation | null; diagnostics: Diagnostic[] } {
  const raw = target.options.url;
  const loc = target.optionLocs.url ?? target.loc;
  if (raw === undefined) {
    const dataDir = path.join(root, '.warden', target.name);
    return { location: { dataDir, description: `embedded PostgreSQL in ${path.relative(root, dataDir).split(path.sep).join('/')}/`, embedded: true }, diagnostics: [] };
  }
  if (typeof raw !== 'string' || raw === '') return { location: null, diagnostics: [error('E-PG-OPTION', '`url` must be a connection string', loc)] };
  const { value, diagnostics } = expandEnv(raw, env, loc);
  if (diagnostics.length > 0) return { location: null, diagnostics };
  return { location: { url: value, description: redactUrl(value), embedded: false }, diagnostics: [] };
}

/** A connection URL safe to print: the password (and any query string, which may hold one) removed. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    u.search = '';
    return u.toString();
  } catch {
    return 'a PostgreSQL server (url from warden.yaml)';
  }
}

export async function connectTarget(location: TargetLocation): Promise<Database> {
  return openDatabase(location.url !== undefined ? { url: location.url } : { dataDir: location.dataDir });
}

/** Whether the embedded database has not been created yet. */
export function isNewEmbedded(location: TargetLocation): boolean {
  return location.dataDir !== undefined && (!existsSync(location.dataDir) || readdirSync(location.dataDir).length === 0);
}

/**
 * A new embedded database starts as a copy of the project's sample data (`fixtures/*.sql`,
 * SPEC 2), so the subject tables exist and the whole loop runs on a fresh machine.
 * Returns the files loaded.
 */
export async function seedEmbedded(db: Database, root: string): Promise<string[]> {
  const dir = path.join(root, 'fixtures');
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  for (const file of files) await db.exec(readFileSync(path.join(dir, file), 'utf8'));
  return files.map((f) => `fixtures/${f}`);
}
