import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { compileProjectSync } from '../../src/pipeline.js';
import type { ResolvedModel } from '../../src/resolve/model.js';
import type { CompileResult, TargetConfig, TargetDefinition } from '../../src/targets/target.js';

/** Shared by the incorta, inmydata and typescript target tests: projects, compiling, golden files. */

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixtures = path.join(repo, 'test/targets/fixtures');
/** Fixed, so API-key expiry findings never depend on the day the tests run. */
export const now = new Date('2026-11-23T00:00:00Z');

/** The demo project at the repository root, every example project, and this folder's own fixture projects, by a golden-folder name. */
export function projects(): { name: string; root: string }[] {
  const list = (dir: string, prefix: string): { name: string; root: string }[] =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true })
          .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'policies')))
          .map((entry) => ({ name: `${prefix}${entry.name}`, root: path.join(dir, entry.name) }))
          .sort((a, b) => (a.name < b.name ? -1 : 1))
      : [];
  return [{ name: 'demo', root: repo }, ...list(path.join(repo, 'examples'), ''), ...list(fixtures, 'fixture-')];
}

export function loadModel(root: string): { model: ResolvedModel; targets: Map<string, TargetConfig> } {
  const project = compileProjectSync(root, { now });
  if (project.model === null) throw new Error(`${root} does not compile:\n${formatDiagnostics(project.diagnostics)}`);
  return { model: project.model, targets: project.config.targets };
}

/** The project's own block for this target type when warden.yaml has one, else an empty block. */
export function targetConfig(targets: Map<string, TargetConfig>, type: string): TargetConfig {
  const configured = [...targets.values()].filter((t) => t.type === type).sort((a, b) => (a.name < b.name ? -1 : 1))[0];
  return configured ?? { name: type, type, loc: { file: 'warden.yaml', line: 1, column: 1 }, options: {}, optionLocs: {} };
}

export function compileWith(definition: TargetDefinition, model: ResolvedModel, target: TargetConfig, root = repo): CompileResult {
  return definition.compile(model, { target, env: {}, projectRoot: root, now });
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${d.severity} ${d.code} ${d.loc.file}:${d.loc.line}:${d.loc.column} ${d.message}`).join('\n');
}

/**
 * Golden files: with UPDATE_GOLDEN=1 the folder is rewritten from `files`; otherwise the folder
 * must hold exactly these files with exactly this content. Returns the mismatches.
 */
export function checkGolden(dir: string, files: ReadonlyMap<string, string>): string[] {
  if (process.env.UPDATE_GOLDEN === '1') {
    rmSync(dir, { recursive: true, force: true });
    for (const [file, content] of files) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), content);
    }
    return [];
  }
  const problems: string[] = [];
  const present = existsSync(dir) ? listFiles(dir) : [];
  for (const file of present) if (!files.has(file)) problems.push(`${file}: in the golden folder but no longer produced`);
  for (const [file, content] of files) {
    const full = path.join(dir, file);
    if (!existsSync(full)) problems.push(`${file}: produced but has no golden file (run with UPDATE_GOLDEN=1 and review)`);
    else if (readFileSync(full, 'utf8') !== content) problems.push(`${file}: differs from its golden file`);
  }
  return problems;
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(dir, path.join(prefix, entry.name)) : [path.join(prefix, entry.name).split(path.sep).join('/')]))
    .sort();
}
