import { error, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadResult } from '../load/types.js';
import type { PolicySet } from '../model/policy.js';
import { mergeDocuments } from './merge.js';
import type { ValidationContext, ValidationRule } from './rule.js';
import { allRules } from './rules/index.js';
import { checkDocumentsSchema } from './schema-check.js';

export interface ValidationResult {
  /** The merged policy set, or null when any error was found (nothing downstream sees a broken set). */
  policy: PolicySet | null;
  /** Sorted by file, line, column, code. */
  diagnostics: Diagnostic[];
}

/**
 * Schema check → merge → semantic rules. Rules only run on a merged set of schema-valid
 * documents: with a schema error the merged set would be missing definitions and the rules
 * would report false dangling references. Merge errors (duplicates) keep the first definition,
 * so the rules still run and report everything else in the same pass.
 */
export function validatePolicies(load: LoadResult, rules: readonly ValidationRule[] = allRules): ValidationResult {
  const schemaDiagnostics = checkDocumentsSchema(load.documents);
  if (hasErrors(schemaDiagnostics)) return { policy: null, diagnostics: sortDiagnostics(schemaDiagnostics) };
  const merged = mergeDocuments(load.documents);
  const diagnostics = [...schemaDiagnostics, ...merged.diagnostics, ...runRules(merged.policy, load, rules)];
  const sorted = sortDiagnostics(dedupe(diagnostics));
  return { policy: hasErrors(sorted) ? null : merged.policy, diagnostics: sorted };
}

function runRules(policy: PolicySet, load: LoadResult, rules: readonly ValidationRule[]): Diagnostic[] {
  const reported: Diagnostic[] = [];
  const context: ValidationContext = { policy, documents: load.documents, report: (diagnostic) => reported.push(diagnostic) };
  for (const rule of rules) {
    try {
      rule.check(context);
    } catch (caught) {
      // A crashing check must not pass the policies (never fail open) nor hide other checks.
      const where = load.documents[0]?.loc ?? { file: '<internal>', line: 0, column: 0 };
      reported.push(
        error('E-INTERNAL', `validation check "${rule.name}" failed: ${caught instanceof Error ? caught.message : String(caught)}`, where, {
          hint: 'this is a bug in warden; please report it with the policy files that trigger it',
        }),
      );
    }
  }
  return reported;
}

/** Two checks may see the same problem; report it once. */
export function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const id = `${d.code}|${d.loc.file}|${d.loc.line}|${d.loc.column}|${d.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
