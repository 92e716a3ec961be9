import type { Diagnostic } from './diagnostic.js';

/** Optional colouring; the library stays free of terminal concerns. */
export interface TextStyle {
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const NO_STYLE: TextStyle = { red: (s) => s, yellow: (s) => s, cyan: (s) => s, dim: (s) => s, bold: (s) => s };

/**
 * Renders diagnostics for a terminal: `file:line:col error CODE message`, a code frame of the
 * source line with a caret under the column, the hint, and each related location.
 */
export function formatDiagnosticsText(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, style: TextStyle = NO_STYLE): string {
  const blocks = diagnostics.map((d) => formatOne(d, sources, style));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (diagnostics.length > 0) blocks.push(summary(errors, warnings, style));
  return blocks.join('\n');
}

function formatOne(d: Diagnostic, sources: ReadonlyMap<string, string>, style: TextStyle): string {
  const severity = d.severity === 'error' ? style.red('error') : style.yellow('warning');
  const lines = [`${style.bold(`${d.loc.file}:${d.loc.line}:${d.loc.column}`)} ${severity} ${style.dim(d.code)} ${d.message}`];
  const source = d.code === 'E-SECRET' ? maskSecretAt(sources.get(d.loc.file), d.loc.line, d.loc.column) : sources.get(d.loc.file);
  const frame = codeFrame(source, d.loc.line, d.loc.column, d.loc.endLine === d.loc.line ? d.loc.endColumn : undefined, style);
  if (frame) lines.push(frame);
  if (d.hint) lines.push(`  ${style.cyan('hint:')} ${d.hint}`);
  for (const related of d.related ?? []) lines.push(`  ${style.dim('note:')} ${related.message} at ${related.loc.file}:${related.loc.line}:${related.loc.column}`);
  return `${lines.join('\n')}\n`;
}

function summary(errors: number, warnings: number, style: TextStyle): string {
  const parts = [];
  if (errors) parts.push(style.red(`${errors} error${errors === 1 ? '' : 's'}`));
  if (warnings) parts.push(style.yellow(`${warnings} warning${warnings === 1 ? '' : 's'}`));
  return `${parts.join(', ')}\n`;
}

/** Two lines of context before the line, the line, and a caret row. Long lines are cut around the column. */
export function codeFrame(source: string | undefined, line: number, column: number, endColumn: number | undefined, style: TextStyle = NO_STYLE): string {
  if (source === undefined || line < 1) return '';
  const all = source.replace(/^\ufeff/, '').split(/\r?\n/);
  if (line > all.length) return '';
  const width = String(line).length;
  const out: string[] = [];
  let shift = 0;
  for (let n = Math.max(1, line - 2); n <= line; n++) {
    const clipped = clip(visible(all[n - 1]), n === line ? column : 1);
    if (n === line) shift = clipped.shift;
    out.push(`  ${style.dim(`${String(n).padStart(width)} |`)} ${clipped.text}`);
  }
  const caretStart = Math.max(0, column - 1 - shift);
  const length = endColumn && endColumn > column ? Math.min(endColumn - column, 80) : 1;
  out.push(`  ${' '.repeat(width)} ${style.dim('|')} ${' '.repeat(caretStart)}${style.red('^'.repeat(length))}`);
  return out.join('\n');
}

/** Control characters would garble the terminal (and could be used to hide text): show them escaped. */
function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Cuts a long line to a window around the column; `shift` is how far the caret must move left. */
function clip(text: string, column: number): { text: string; shift: number } {
  if (text.length <= 120) return { text, shift: 0 };
  const start = Math.max(0, column - 60);
  const prefix = start > 0 ? '…' : '';
  return { text: `${prefix}${text.slice(start, start + 120)}…`, shift: start - prefix.length };
}

/**
 * A secret found in a file must not be printed again by the code frame (CI logs are widely
 * readable): the token at the position is replaced by asterisks.
 */
function maskSecretAt(source: string | undefined, line: number, column: number): string | undefined {
  if (source === undefined) return undefined;
  const lines = source.split('\n');
  const text = lines[line - 1];
  if (text === undefined) return source;
  const start = column - 1;
  const rest = text.slice(start);
  const quote = rest[0] === '"' || rest[0] === "'" ? rest[0] : '';
  const end = quote ? rest.indexOf(quote, 1) + 1 || rest.length : rest.search(/[\s,}\]#]|$/);
  lines[line - 1] = text.slice(0, start) + '*'.repeat(Math.max(8, Math.min(end, 16))) + text.slice(start + end);
  return lines.join('\n');
}
