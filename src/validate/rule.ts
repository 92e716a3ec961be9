import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadedDocument } from '../load/types.js';
import type { PolicySet } from '../model/policy.js';

/**
 * One semantic check, in its own file under `rules/`, reporting through the context
 * (graphql-js's validation-rule pattern). Rules run only on a schema-valid, merged
 * PolicySet; they never throw on bad input and never stop other rules from running.
 */
export interface ValidationContext {
  readonly policy: PolicySet;
  /** The raw documents, for checks on text as written (e.g. secrets). */
  readonly documents: readonly LoadedDocument[];
  report(diagnostic: Diagnostic): void;
}

export interface ValidationRule {
  /** Kebab-case name, equal to the file name. */
  readonly name: string;
  check(context: ValidationContext): void;
}
