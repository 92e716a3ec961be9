import { formatExplainJson, explainJson } from '../../resolve/explain-json.js';
import { explainText } from '../../resolve/explain-text.js';
import { oneOf, parseCommandArgs, UsageError } from '../args.js';
import { EXIT, type CliIO } from '../io.js';
import { compileForCommand } from '../project.js';
import { printDiagnostics } from '../report.js';
import { styleFor } from '../style.js';

export const HELP = `Usage: warden explain [DIR] --user LOGIN [--subject S] [--format text|json]

Shows a user's effective access and why: groups (direct, through members lists,
inherited), roles and permissions, attribute values with the groups and lines they
come from, and for every subject (or only S) whether the user can see it and the
row filters that apply.

Options:
  --user LOGIN   the user's login (required)
  --subject S    only this subject
  --format F     text (default) or json (the stable shape of the spec)
  -h, --help     show this help`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { user: { type: 'string' }, subject: { type: 'string' }, format: { type: 'string' } });
  if (values.help) {
    io.stdout(`${HELP}\n`);
    return EXIT.ok;
  }
  if (values.user === undefined) throw new UsageError('--user LOGIN is required');
  const format = oneOf(values.format, ['text', 'json'] as const, '--format', 'text');
  // Warnings go to stderr only in text mode: stdout must stay clean JSON for machines.
  const compiled = compileForCommand(io, positionals[0], 'text', format === 'text');
  if (compiled.model === null) return EXIT.failure;
  if (format === 'json') {
    const result = explainJson(compiled.model, values.user, values.subject);
    if (!result.ok) {
      printDiagnostics(io, result.diagnostics, compiled.sources);
      return EXIT.failure;
    }
    io.stdout(formatExplainJson(result.value));
    return EXIT.ok;
  }
  const style = styleFor(io.color);
  const result = explainText(compiled.model, values.user, values.subject, style);
  if (!result.ok) {
    printDiagnostics(io, result.diagnostics, compiled.sources);
    return EXIT.failure;
  }
  io.stdout(result.text);
  return EXIT.ok;
}
