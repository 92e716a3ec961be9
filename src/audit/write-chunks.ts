import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/**
 * Writes a report chunk by chunk to a temporary sibling and renames it into place, so a failure
 * half-way (or a kill) never leaves a partial report where the old one was.
 */
export function writeChunksAtomically(file: string, chunks: Iterable<string>): number {
  mkdirSync(path.dirname(file), { recursive: true });
  const staging = `${file}.warden-tmp-${randomBytes(4).toString('hex')}`;
  let bytes = 0;
  const fd = openSync(staging, 'w');
  try {
    for (const chunk of chunks) bytes += writeSync(fd, chunk);
    closeSync(fd);
    renameSync(staging, file);
  } catch (caught) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(staging, { force: true });
    throw caught;
  }
  return bytes;
}
