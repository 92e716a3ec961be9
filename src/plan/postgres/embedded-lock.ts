import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * The embedded database is a folder that only one process may open at a time (PGlite has no
 * server to arbitrate), so commands that open it take a lock file next to it first. The file
 * holds the owner's pid; a lock whose owner died (killed mid-apply) is taken over.
 * The process facts (own pid, whether a pid lives) are passed in: the library never reads `process`.
 */

export interface LockOwner {
  pid: number;
  isAlive(pid: number): boolean;
  sleep(ms: number): Promise<void>;
  now(): number;
}

export interface EmbeddedLock {
  release(): void;
}

export async function lockEmbedded(
  dataDir: string,
  owner: LockOwner,
  timeoutMs: number,
  onWait?: (message: string) => void,
): Promise<EmbeddedLock | null> {
  const file = `${dataDir}.lock`;
  mkdirSync(path.dirname(file), { recursive: true });
  const deadline = owner.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(owner.pid));
      closeSync(fd);
      return {
        release() {
          try {
            if (readFileSync(file, 'utf8') === String(owner.pid)) rmSync(file, { force: true });
          } catch {
            // already gone
          }
        },
      };
    } catch (caught) {
      if ((caught as { code?: string }).code !== 'EEXIST') throw caught;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(file, 'utf8'));
    } catch {
      continue; // released between our attempts
    }
    if (!Number.isSafeInteger(holder) || holder <= 0 || !owner.isAlive(holder)) {
      rmSync(file, { force: true });
      continue;
    }
    if (owner.now() >= deadline) return null;
    if (!told) {
      onWait?.(`the embedded database is in use by process ${holder}; waiting up to ${Math.round(timeoutMs / 1000)} s`);
      told = true;
    }
    await owner.sleep(200);
  }
}
