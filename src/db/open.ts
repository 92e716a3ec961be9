import type { Database } from './database.js';
import { PgDatabase } from './pg.js';
import { PgliteDatabase } from './pglite.js';

/** A server when a URL is given, else the embedded PGlite (in memory, or in `dataDir`). */
export async function openDatabase(options: { url?: string; dataDir?: string }): Promise<Database> {
  return options.url ? PgDatabase.connect(options.url) : PgliteDatabase.open(options.dataDir);
}
