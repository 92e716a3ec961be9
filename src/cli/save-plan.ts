import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CliIO } from './io.js';

/**
 * `plan --out FILE` for every kind of target: the file is written to a temporary name and
 * renamed, so a reader (a concurrent `apply FILE`) never sees half a plan.
 */
export function savePlan(io: CliIO, outArg: string, content: string): void {
  const out = path.resolve(io.cwd, outArg);
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, out);
  io.stderr(`saved the plan to ${path.relative(io.cwd, out) || out}; apply it with: warden apply ${outArg}\n`);
}
