import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Artifact } from '../targets/target.js';

/**
 * Writes artifacts all-or-nothing: everything goes to a temporary sibling first and is renamed
 * into place only when every file was written, so a failure never leaves a partial output.
 */
export function writeArtifacts(out: string, artifacts: readonly Artifact[], single: boolean): string[] {
  const staging = `${out}.warden-tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    if (single) {
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(staging, artifacts[0].content);
      renameSync(staging, out);
      return [out];
    }
    const written: string[] = [];
    for (const artifact of artifacts) {
      const target = path.join(staging, artifact.path);
      if (!target.startsWith(staging + path.sep)) throw new Error(`artifact path escapes the output folder: ${artifact.path}`);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, artifact.content);
      written.push(path.join(out, artifact.path));
    }
    mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    rmSync(out, { recursive: true, force: true });
    renameSync(staging, out);
    return written;
  } catch (caught) {
    rmSync(staging, { recursive: true, force: true });
    throw caught;
  }
}
