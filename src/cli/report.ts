import { formatDiagnosticsGithub, formatDiagnosticsJson, formatDiagnosticsSarif } from '../diagnostics/format-machine.js';
import { formatDiagnosticsText } from '../diagnostics/format-text.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { CliIO } from './io.js';
import { styleFor } from './style.js';
import { VERSION } from './version.js';

export type DiagnosticFormat = 'text' | 'json' | 'sarif' | 'github';
export const DIAGNOSTIC_FORMATS: readonly DiagnosticFormat[] = ['text', 'json', 'sarif', 'github'];

/** Prints diagnostics: text to stderr (stdout stays for data), machine formats to stdout. */
export function printDiagnostics(io: CliIO, diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, format: DiagnosticFormat = 'text'): void {
  switch (format) {
    case 'json':
      io.stdout(formatDiagnosticsJson(diagnostics));
      return;
    case 'sarif':
      io.stdout(formatDiagnosticsSarif(diagnostics, VERSION));
      return;
    case 'github':
      io.stdout(formatDiagnosticsGithub(diagnostics));
      return;
    default:
      if (diagnostics.length > 0) io.stderr(formatDiagnosticsText(diagnostics, sources, styleFor(io.color)));
  }
}
