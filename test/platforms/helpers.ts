import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { compileProjectSync } from '../../src/pipeline.js';
import type { ResolvedModel } from '../../src/resolve/model.js';
import { gooddataTarget } from '../../src/targets/gooddata/index.js';
import { holisticsTarget } from '../../src/targets/holistics/index.js';
import type { CompileContext, CompileResult, TargetDefinition } from '../../src/targets/target.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixtures = path.join(repoRoot, 'test', 'platforms', 'fixtures');
/** Fixed so that expiry checks and outputs never depend on the day the tests run. */
export const NOW = new Date('2026-06-01T00:00:00Z');

export const PLATFORM_TARGETS: Record<string, TargetDefinition> = { gooddata: gooddataTarget, holistics: holisticsTarget };

export function loadProject(root: string): { model: ResolvedModel; contexts: Map<string, CompileContext> } {
  const compiled = compileProjectSync(root, { now: NOW });
  if (compiled.model === null || hasErrors(compiled.diagnostics)) {
    throw new Error(`fixture ${root} does not compile: ${compiled.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  }
  const contexts = new Map<string, CompileContext>();
  for (const [name, target] of compiled.config.targets) contexts.set(name, { target, env: {}, projectRoot: compiled.config.root, now: NOW });
  return { model: compiled.model, contexts };
}

export function compileTarget(root: string, targetName: string, env: Record<string, string> = {}): CompileResult & { model: ResolvedModel; ctx: CompileContext } {
  const { model, contexts } = loadProject(root);
  const base = contexts.get(targetName);
  if (!base) throw new Error(`no target ${targetName} in ${root}`);
  const ctx = { ...base, env };
  return { ...PLATFORM_TARGETS[base.target.type].compile(model, ctx), model, ctx };
}

export function artifact(result: CompileResult, file: string): unknown {
  const found = result.artifacts.find((a) => a.path === file);
  if (!found) throw new Error(`no artifact ${file}`);
  return JSON.parse(found.content);
}
