import { DiagnosticsError, hasErrors, sortDiagnostics } from '../../src/diagnostics/diagnostic.js';
import { parseYamlDocuments } from '../../src/load/parse-yaml.js';
import type { LoadResult } from '../../src/load/types.js';
import type { PolicySet } from '../../src/model/policy.js';
import type { ResolvedModel } from '../../src/resolve/model.js';
import { resolve } from '../../src/resolve/resolve.js';
import { validatePolicies } from '../../src/validate/validate.js';

/**
 * YAML policy texts -> ResolvedModel through the real pipeline (parse with positions, schema,
 * merge, semantic rules, resolve), for tests that assert real file:line positions.
 * `files` maps project-relative paths to texts; they are loaded in the given order.
 * Throws a DiagnosticsError when any stage reports an error.
 */
export function policyFromYaml(files: Record<string, string> | Array<[string, string]>): PolicySet {
  const entries = Array.isArray(files) ? files : Object.entries(files);
  const load: LoadResult = { documents: [], diagnostics: [], sources: new Map() };
  for (const [file, text] of entries) {
    load.sources.set(file, text);
    const parsed = parseYamlDocuments(file, text);
    load.diagnostics.push(...parsed.diagnostics);
    load.documents.push(...parsed.documents.filter((doc) => doc.value !== null));
  }
  if (hasErrors(load.diagnostics)) throw new DiagnosticsError(sortDiagnostics(load.diagnostics));
  const validated = validatePolicies(load);
  if (validated.policy === null || hasErrors(validated.diagnostics)) throw new DiagnosticsError(validated.diagnostics);
  return validated.policy;
}

export function resolveYaml(files: Record<string, string> | Array<[string, string]>, options: { now?: Date } = {}): ResolvedModel {
  const model = resolve(policyFromYaml(files), options);
  if (hasErrors(model.diagnostics)) throw new DiagnosticsError(model.diagnostics);
  return model;
}
