import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { compileProjectSync, type CompiledProject } from '../pipeline.js';
import type { CliIO } from './io.js';
import { printDiagnostics, type DiagnosticFormat } from './report.js';
import { UsageError } from './args.js';

/**
 * Where a command's DIR argument points: a project (a folder with warden.yaml or policies/),
 * or a policy folder inside one (`warden validate policies`), whose project is the nearest
 * ancestor with warden.yaml (or the folder itself).
 */
export function projectLocation(dir: string | undefined, cwd: string): { root: string; policyPaths?: string[] } {
  const absolute = path.resolve(cwd, dir ?? '.');
  if (!existsSync(absolute)) throw new UsageError(`no such folder: ${dir}`);
  if (!statSync(absolute).isDirectory()) {
    const root = findProjectRoot(path.dirname(absolute)) ?? path.dirname(absolute);
    return { root, policyPaths: [toPosix(path.relative(root, absolute))] };
  }
  if (existsSync(path.join(absolute, 'warden.yaml')) || existsSync(path.join(absolute, 'policies'))) return { root: absolute };
  const root = findProjectRoot(path.dirname(absolute));
  if (root !== null) return { root, policyPaths: [toPosix(path.relative(root, absolute))] };
  return { root: absolute, policyPaths: ['.'] };
}

function findProjectRoot(start: string): string | null {
  let current = start;
  for (;;) {
    if (existsSync(path.join(current, 'warden.yaml'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/') || '.';
}

/**
 * Compiles the project for a command and prints its diagnostics. Returns the compiled project;
 * `model` is null when there were errors (the caller exits 1 and writes nothing).
 */
export function compileForCommand(io: CliIO, dir: string | undefined, format: DiagnosticFormat = 'text', printWarnings = true): CompiledProject {
  const location = projectLocation(dir, io.cwd);
  const compiled = compileProjectSync(location.root, { policyPaths: location.policyPaths });
  const shown = printWarnings || compiled.model === null ? compiled.diagnostics : [];
  if (format === 'text' || compiled.model === null) printDiagnostics(io, shown, compiled.sources, format === 'text' ? 'text' : format);
  return compiled;
}
