import type { Diagnostic, Loc } from '../diagnostics/diagnostic.js';
import type { ResolvedModel } from '../resolve/model.js';

/**
 * The interface every target implements (postgres, gooddata, holistics, incorta, inmydata,
 * typescript). A target turns the resolved model into artifacts; targets with a live system
 * additionally read its state, diff and apply (see src/plan/).
 * The resolved model never changes per target: targets only read it.
 */

/** A target as configured in warden.yaml (`targets.<name>`). Values are raw: `${VAR}` is not yet expanded. */
export interface TargetConfig {
  name: string;
  type: string;
  loc: Loc;
  /** Every key of the target's block except `type`, as written. */
  options: Record<string, unknown>;
  /** Position of each option, for diagnostics. */
  optionLocs: Record<string, Loc>;
}

/** A file a target writes under `compile --out`. `path` is relative to the output folder (or the output file itself when single). */
export interface Artifact {
  path: string;
  content: string;
}

export interface CompileResult {
  artifacts: Artifact[];
  diagnostics: Diagnostic[];
}

export interface CompileContext {
  target: TargetConfig;
  /** Environment used to expand `${VAR}`; only the CLI passes process.env. */
  env: Readonly<Record<string, string | undefined>>;
  /** Project root (absolute), for targets that read mapping files. */
  projectRoot: string;
  /** The time the compile is for (expiry checks); never read the clock inside a target. */
  now: Date;
}

export interface TargetDefinition {
  type: string;
  /** Compile to artifacts. Must fail (diagnostics with errors, no artifacts) rather than emit something broader. */
  compile(model: ResolvedModel, ctx: CompileContext): CompileResult;
}
