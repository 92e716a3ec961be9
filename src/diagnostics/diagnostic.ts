/**
 * Diagnostics are the only way the library reports problems in user input.
 * Every one carries a stable code, a severity and the source location it is about;
 * `related` points at the other nodes involved (the first definition of a duplicate,
 * every member of a cycle), in the spirit of graphql-js's GraphQLError.nodes.
 */

/** A 1-based position in a source file. `file` is relative to the project root, with `/` separators. */
export interface Loc {
  file: string;
  line: number;
  column: number;
  /** Optional end of the range (1-based, exclusive column). */
  endLine?: number;
  endColumn?: number;
}

export type Severity = 'error' | 'warning';

export interface RelatedLocation {
  message: string;
  loc: Loc;
}

export interface Diagnostic {
  /** Stable code, `E-…` for errors and `W-…` for warnings, e.g. `E-UNKNOWN-REF`. */
  code: string;
  severity: Severity;
  message: string;
  loc: Loc;
  hint?: string;
  related?: RelatedLocation[];
}

export function error(code: string, message: string, loc: Loc, extra: Pick<Diagnostic, 'hint' | 'related'> = {}): Diagnostic {
  return { code, severity: 'error', message, loc, ...extra };
}

export function warning(code: string, message: string, loc: Loc, extra: Pick<Diagnostic, 'hint' | 'related'> = {}): Diagnostic {
  return { code, severity: 'warning', message, loc, ...extra };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sort diagnostics by file, line, column, code so every output is deterministic. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      cmp(a.loc.file, b.loc.file) || a.loc.line - b.loc.line || a.loc.column - b.loc.column || cmp(a.code, b.code) || cmp(a.message, b.message),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Thrown by library entry points that cannot produce a result because the input has errors.
 * Callers (the CLI) print `diagnostics` and exit 1; it never carries a partial result.
 */
export class DiagnosticsError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
    this.name = 'DiagnosticsError';
    this.diagnostics = diagnostics;
  }
}
