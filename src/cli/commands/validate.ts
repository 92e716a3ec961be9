import { hasErrors } from '../../diagnostics/diagnostic.js';
import { oneOf, parseCommandArgs } from '../args.js';
import { EXIT, type CliIO } from '../io.js';
import { projectLocation } from '../project.js';
import { DIAGNOSTIC_FORMATS, printDiagnostics } from '../report.js';
import { compileProjectSync } from '../../pipeline.js';
import { styleFor } from '../style.js';

export const HELP = `Usage: warden validate [DIR] [--format text|json|sarif|github]

Checks every policy file against the schema and the semantic rules, and resolves
the policies, without touching any target. DIR is a project folder (with warden.yaml
or policies/) or a policy folder; default: the current folder.

Options:
  --format F   text (default, with code frames), json, sarif (code scanning),
               github (workflow annotations)
  -h, --help   show this help

Exit status: 0 valid (warnings allowed), 1 errors, 64 usage error.`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { format: { type: 'string' } });
  if (values.help) {
    io.stdout(`${HELP}\n`);
    return EXIT.ok;
  }
  const format = oneOf(values.format, DIAGNOSTIC_FORMATS, '--format', 'text');
  const location = projectLocation(positionals[0], io.cwd);
  const compiled = compileProjectSync(location.root, { policyPaths: location.policyPaths });
  printDiagnostics(io, compiled.diagnostics, compiled.sources, format);
  const failed = hasErrors(compiled.diagnostics);
  if (format === 'text' && !failed && compiled.model) {
    const style = styleFor(io.color);
    const p = compiled.model.policy;
    io.stdout(
      `${style.green('✓')} valid: ${p.users.size} users, ${p.groups.size} groups, ${p.roles.size} roles, ${p.subjects.size} subjects, ${p.rules.size} rules, ${p.attributes.size} attributes\n`,
    );
  }
  return failed ? EXIT.failure : EXIT.ok;
}
