import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { loadPolicyFiles, loadPolicyTexts } from './load/load-files.js';
import type { LoadResult } from './load/types.js';
import type { PolicySet } from './model/policy.js';
import { loadProjectConfig, CONFIG_FILE, type ProjectConfig } from './project/config.js';
import type { ResolvedModel } from './resolve/model.js';
import { resolve } from './resolve/resolve.js';
import { validatePolicies } from './validate/validate.js';

/**
 * The whole front half of warden: warden.yaml → load → validate → resolve.
 * `model` is null whenever any error was found: nothing downstream ever sees a policy set
 * that did not validate (no partial output).
 */
export interface CompiledProject {
  config: ProjectConfig;
  policy: PolicySet | null;
  model: ResolvedModel | null;
  /** Sorted; errors and warnings from every stage. */
  diagnostics: Diagnostic[];
  /** File text by project-relative path, for code frames. */
  sources: Map<string, string>;
}

export interface CompileOptions {
  /** The moment expiry checks are made against; defaults to now. */
  now?: Date;
  /** Overrides the policy folders of warden.yaml (e.g. `warden validate policies/`). */
  policyPaths?: string[];
}

export async function compileProject(root: string, options: CompileOptions = {}): Promise<CompiledProject> {
  return compileProjectSync(root, options);
}

export function compileProjectSync(root: string, options: CompileOptions = {}): CompiledProject {
  const { config, diagnostics: configDiagnostics, source } = loadProjectConfig(root);
  const sources = new Map<string, string>();
  if (source !== undefined) sources.set(CONFIG_FILE, source);
  if (hasErrors(configDiagnostics)) return { config, policy: null, model: null, diagnostics: sortDiagnostics(configDiagnostics), sources };
  const load = loadPolicyFiles(config.root, options.policyPaths ?? config.policies);
  return finishCompile(config, load, configDiagnostics, sources, options);
}

/**
 * Compiles policy files given as text (for instance read from a git revision), with a config
 * already read. Same checks and the same result shape as compiling a folder.
 */
export function compilePolicyTexts(config: ProjectConfig, files: Iterable<readonly [string, string]>, options: CompileOptions = {}): CompiledProject {
  return finishCompile(config, loadPolicyTexts(files), [], new Map(), options);
}

function finishCompile(config: ProjectConfig, load: LoadResult, configDiagnostics: Diagnostic[], sources: Map<string, string>, options: CompileOptions): CompiledProject {
  for (const [file, text] of load.sources) sources.set(file, text);
  const diagnostics = [...configDiagnostics, ...load.diagnostics];
  if (hasErrors(diagnostics)) return { config, policy: null, model: null, diagnostics: sortDiagnostics(diagnostics), sources };
  const validated = validatePolicies(load);
  diagnostics.push(...validated.diagnostics);
  if (validated.policy === null || hasErrors(diagnostics)) return { config, policy: null, model: null, diagnostics: sortDiagnostics(diagnostics), sources };
  const model = resolve(validated.policy, { now: options.now });
  diagnostics.push(...model.diagnostics);
  const ok = !hasErrors(diagnostics);
  return { config, policy: validated.policy, model: ok ? model : null, diagnostics: sortDiagnostics(diagnostics), sources };
}
