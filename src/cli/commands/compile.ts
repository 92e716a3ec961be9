import path from 'node:path';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { targetDefinition } from '../../targets/registry.js';
import { parseCommandArgs } from '../args.js';
import { EXIT, type CliIO } from '../io.js';
import { compileForCommand } from '../project.js';
import { printDiagnostics } from '../report.js';
import { chooseTarget } from '../targets.js';
import { writeArtifacts } from '../write-artifacts.js';

export const HELP = `Usage: warden compile [DIR] --target T [--out PATH]

Compiles the policies for target T (from warden.yaml) and writes its artifacts:
  postgres              one re-runnable SQL script (--out FILE.sql)
  gooddata, holistics   requests.json (the API calls apply sends) and per-user files (--out DIR)
  incorta, inmydata     sync files and an admin checklist (--out DIR)
  typescript            a typed module (--out FILE.ts)
Without --out a single-file artifact is printed to stdout.
Nothing is written when there is any error.

Options:
  --target T   the target's name in warden.yaml (optional when there is only one)
  --out PATH   output file or folder
  -h, --help   show this help`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { target: { type: 'string' }, out: { type: 'string' } });
  if (values.help) {
    io.stdout(`${HELP}\n`);
    return EXIT.ok;
  }
  const compiled = compileForCommand(io, positionals[0]);
  if (compiled.model === null) return EXIT.failure;
  const target = chooseTarget(compiled.config, values.target);
  const definition = targetDefinition(target.type)!;
  const result = definition.compile(compiled.model, { target, env: io.env, projectRoot: compiled.config.root, now: new Date() });
  printDiagnostics(io, result.diagnostics, compiled.sources);
  if (hasErrors(result.diagnostics)) return EXIT.failure;
  const single = result.artifacts.length === 1 && !result.artifacts[0].path.includes('/');
  if (values.out === undefined) {
    if (!single) {
      io.stderr(`warden compile: target "${target.name}" produces ${result.artifacts.length} files; give --out DIR\n`);
      return EXIT.usage;
    }
    io.stdout(result.artifacts[0].content);
    return EXIT.ok;
  }
  const out = path.resolve(io.cwd, values.out);
  const written = writeArtifacts(out, result.artifacts, single && !values.out.endsWith('/'));
  io.stderr(`wrote ${written.length} file${written.length === 1 ? '' : 's'} for target "${target.name}" (${target.type}) to ${path.relative(io.cwd, out) || '.'}\n`);
  return EXIT.ok;
}
