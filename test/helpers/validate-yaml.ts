import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { parseYamlDocuments } from '../../src/load/parse-yaml.js';
import type { LoadResult } from '../../src/load/types.js';
import type { PolicySet } from '../../src/model/policy.js';
import { validatePolicies } from '../../src/validate/validate.js';

/**
 * Runs the real front half of the pipeline (parse → schema → merge → semantic rules) on policy
 * files given as text, keyed by project-relative path: `validateYaml({ 'policies/a.yaml': '...' })`.
 * Files are loaded in path order, as the loader does. Parse errors are returned, not thrown, so
 * a test of bad input can assert them too.
 */
export function validateYaml(files: Record<string, string>): { policy: PolicySet | null; diagnostics: Diagnostic[] } {
  const load: LoadResult = { documents: [], diagnostics: [], sources: new Map() };
  for (const file of Object.keys(files).sort()) {
    const text = files[file]!;
    load.sources.set(file, text);
    const parsed = parseYamlDocuments(file, text);
    load.documents.push(...parsed.documents);
    load.diagnostics.push(...parsed.diagnostics);
  }
  if (load.diagnostics.length > 0) return { policy: null, diagnostics: load.diagnostics };
  return validatePolicies(load);
}

/** The diagnostics with one code, in source order. */
export function withCode(diagnostics: readonly Diagnostic[], code: string): Diagnostic[] {
  return diagnostics
    .filter((d) => d.code === code)
    .sort((a, b) => (a.loc.file < b.loc.file ? -1 : a.loc.file > b.loc.file ? 1 : a.loc.line - b.loc.line || a.loc.column - b.loc.column));
}

/** `file:line:column` of a diagnostic or related location, for compact position assertions. */
export function at(loc: { file: string; line: number; column: number }): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}
