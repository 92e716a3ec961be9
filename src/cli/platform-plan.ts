import type { CompiledProject } from '../pipeline.js';
import { renderPlatformPlanJson, serializePlatformPlan } from '../plan/platform-plan-file.js';
import { renderPlatformPlanMarkdown } from '../plan/render-platform-plan-markdown.js';
import { planPlatform, type PlatformPlan } from '../targets/http/platform.js';
import { formatPlatformPlan } from '../targets/http/plan-text.js';
import type { TargetConfig } from '../targets/target.js';
import { EXIT, type CliIO } from './io.js';
import { platformFailure, platformSetup, type PlatformSetup } from './platform-target.js';
import { printDiagnostics } from './report.js';
import { savePlan } from './save-plan.js';

/**
 * `warden plan` for a gooddata or holistics target: reads the platform's live state over HTTP,
 * diffs it with the compiled policies and prints the changes (text, markdown or json per
 * schemas/platform-plan.schema.json); `--out` saves the plan for `warden apply FILE`.
 */
export interface PlatformPlanOptions {
  format: 'text' | 'markdown' | 'json';
  out?: string;
  detailedExitcode: boolean;
}

export async function runPlatformPlan(io: CliIO, compiled: CompiledProject, target: TargetConfig, options: PlatformPlanOptions): Promise<number> {
  const setup = platformSetup(io, compiled, target);
  if (setup === null) return EXIT.failure;
  const plan = await readPlan(io, compiled, setup);
  if (plan === null) return EXIT.failure;
  io.stdout(renderPlatformPlan(plan, options.format, setup.endpoint));
  if (options.out !== undefined) {
    savePlan(io, options.out, serializePlatformPlan(plan, setup.endpoint));
  }
  return options.detailedExitcode && plan.changes.length > 0 ? EXIT.changes : EXIT.ok;
}

/** Plans against the live platform; a failure to read it is a diagnostic at the target (null). */
export async function readPlan(io: CliIO, compiled: CompiledProject, setup: PlatformSetup): Promise<PlatformPlan | null> {
  try {
    return await planPlatform({ target: setup.target.name, type: setup.target.type, adapter: setup.adapter, client: setup.client });
  } catch (caught) {
    printDiagnostics(io, [platformFailure(setup.target, caught, `reading the live state from ${setup.endpoint}`)], compiled.sources);
    return null;
  }
}

export function renderPlatformPlan(plan: PlatformPlan, format: PlatformPlanOptions['format'], endpoint: string): string {
  if (format === 'json') return renderPlatformPlanJson(plan, endpoint);
  if (format === 'markdown') return renderPlatformPlanMarkdown(plan);
  return formatPlatformPlan(plan);
}
