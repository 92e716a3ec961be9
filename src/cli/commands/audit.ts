import path from 'node:path';
import { AUDIT_FORMATS, buildAudit, renderAudit, type AuditFormat } from '../../audit/index.js';
import { writeChunksAtomically } from '../../audit/write-chunks.js';
import { oneOf, parseCommandArgs } from '../args.js';
import { EXIT, type CliIO } from '../io.js';
import { compileForCommand } from '../project.js';
import { styleFor } from '../style.js';

export const HELP = `Usage: warden audit [DIR] [--out FILE] [--format html|markdown|csv|json]

Writes the audit report of the policies as they stand: every user's groups, roles,
permissions, subjects and row filters with where each comes from; per subject who can
see it and how it is filtered; administrators, users who bypass row rules, API keys; and
findings (unrestricted values, unused groups/attributes/roles, rules that deny everyone,
subjects open to everyone, keys near expiry).

  html       one self-contained file (no network): overview, sortable and filterable
             user and subject tables, provenance, and a users x subjects access matrix
  markdown   the same facts for a wiki or review
  csv        one row per fact (record,user,subject,name,value,detail)
  json       machine-readable, schema: schemas/audit.schema.json

Options:
  --out FILE     write the report to FILE (the format follows its extension unless
                 --format is given); without --out the report goes to stdout
  --format F     html (default), markdown, csv or json
  -h, --help     show this help

Exit status: 0 written, 1 errors in the policies (nothing is written), 64 usage error.`;

const BY_EXTENSION: Record<string, AuditFormat> = { '.html': 'html', '.htm': 'html', '.md': 'markdown', '.markdown': 'markdown', '.csv': 'csv', '.json': 'json' };

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { out: { type: 'string' }, format: { type: 'string' } });
  if (values.help) {
    io.stdout(`${HELP}\n`);
    return EXIT.ok;
  }
  const fallback: AuditFormat = (values.out && BY_EXTENSION[path.extname(values.out).toLowerCase()]) || 'html';
  const format = oneOf(values.format, AUDIT_FORMATS, '--format', fallback);
  const now = new Date();
  const compiled = compileForCommand(io, positionals[0]);
  if (compiled.model === null || compiled.policy === null) return EXIT.failure;
  const report = buildAudit(compiled.model, compiled.policy, { now });
  const chunks = renderAudit(report, format);
  if (values.out === undefined) {
    for (const chunk of chunks) io.stdout(chunk);
    return EXIT.ok;
  }
  const out = path.resolve(io.cwd, values.out);
  writeChunksAtomically(out, chunks);
  const style = styleFor(io.color);
  const c = report.counts;
  io.stderr(
    `${style.green('✓')} wrote the ${format} audit to ${path.relative(io.cwd, out) || out}: ${c.users} users, ${c.subjects} subjects, ${c.findings} findings (${c.warnings} warnings)\n`,
  );
  return EXIT.ok;
}
