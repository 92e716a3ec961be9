import { rmSync } from 'node:fs';
import type { Database } from '../../db/database.js';
import { DiagnosticsError, error, type Loc } from '../../diagnostics/diagnostic.js';
import { connectTarget, isNewEmbedded, seedEmbedded, type TargetLocation } from './connection.js';
import { lockEmbedded, type LockOwner } from './embedded-lock.js';

export interface OpenOptions {
  root: string;
  owner: LockOwner;
  /** How long to wait for another process using the embedded database. */
  lockTimeoutMs: number;
  loc: Loc;
  onWait?: (message: string) => void;
  onNote?: (message: string) => void;
}

/**
 * Opens the target's database for the duration of `fn`: a server connection, or the embedded
 * database under its lock file (created, with the project's sample data, on first use).
 */
export async function withTargetDatabase<T>(location: TargetLocation, options: OpenOptions, fn: (db: Database) => Promise<T>): Promise<T> {
  const lock = location.embedded ? await lockEmbedded(location.dataDir!, options.owner, options.lockTimeoutMs, options.onWait) : undefined;
  if (lock === null) {
    throw new DiagnosticsError([
      error('E-APPLY-LOCKED', `the embedded database ${location.description} is in use by another warden process`, options.loc, { hint: 'wait for it to finish, or raise --lock-timeout' }),
    ]);
  }
  try {
    const fresh = location.embedded && isNewEmbedded(location);
    const db = await connectTarget(location);
    try {
      if (fresh) {
        let files: string[];
        try {
          files = await seedEmbedded(db, options.root);
        } catch (caught) {
          // A half-seeded database would stay broken: remove it, so the next run starts over.
          await db.close().catch(() => undefined);
          rmSync(location.dataDir!, { recursive: true, force: true });
          throw new Error(`could not load the sample data (fixtures/*.sql) into the new embedded database: ${caught instanceof Error ? caught.message : String(caught)}`);
        }
        options.onNote?.(`created the ${location.description}${files.length ? ` with the sample data of ${files.join(', ')}` : ''}`);
      }
      return await fn(db);
    } finally {
      await db.close().catch(() => undefined);
    }
  } finally {
    lock?.release();
  }
}
