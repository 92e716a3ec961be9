import { hasErrors } from '../../diagnostics/diagnostic.js';
import { DEFAULT_OPTIONS, readPostgresOptions, type PostgresOptions } from '../../targets/postgres/options.js';
import { loadAccessTests } from '../../testing/load-tests.js';
import { runAccessTests } from '../../testing/run-tests.js';
import type { TestResult } from '../../testing/types.js';
import type { ProjectConfig } from '../../project/config.js';
import { parseCommandArgs } from '../args.js';
import { EXIT, type CliIO } from '../io.js';
import { compileForCommand } from '../project.js';
import { printDiagnostics } from '../report.js';
import { styleFor } from '../style.js';

export const HELP = `Usage: warden test [DIR] [--database-url URL]

Runs the access tests in the project's tests folders (SPEC section 9):
  expect.access / expect.filters   checked on the resolved policies
  expect.rows                      the query runs as the user on PostgreSQL, after the
                                   file's fixtures and warden's compiled SQL are loaded
SQL tests run on an embedded PostgreSQL (PGlite) unless --database-url names a server,
where each test file gets a scratch database that is dropped afterwards.
Exits 1 when any test fails.

Options:
  --database-url URL   a PostgreSQL server (the user needs CREATEDB and CREATEROLE)
  -h, --help           show this help`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { 'database-url': { type: 'string' } });
  if (values.help) {
    io.stdout(`${HELP}\n`);
    return EXIT.ok;
  }
  const compiled = compileForCommand(io, positionals[0]);
  if (compiled.model === null) return EXIT.failure;
  const postgres = postgresOptions(compiled.config, io);
  if (postgres === null) return EXIT.failure;
  const loaded = loadAccessTests(compiled.config.root, compiled.config.tests);
  printDiagnostics(io, loaded.diagnostics, loaded.sources);
  if (hasErrors(loaded.diagnostics)) return EXIT.failure;
  if (loaded.files.length === 0) {
    io.stdout(`no access tests found in ${compiled.config.tests.join(', ')}\n`);
    return EXIT.ok;
  }
  const style = styleFor(io.color);
  const print = (r: TestResult) => {
    io.stdout(`${r.ok ? style.green('PASS') : style.red('FAIL')} ${r.file}:${r.loc.line} ${r.name}\n`);
    if (r.ok) return;
    if (r.message) io.stdout(`     ${r.message}\n`);
    for (const line of r.diff ?? []) {
      const color = line.startsWith('-') ? style.red : line.startsWith('+') ? style.green : style.dim;
      io.stdout(`     ${color(line)}\n`);
    }
  };
  const results = await runAccessTests(loaded.files, {
    root: compiled.config.root,
    model: compiled.model,
    postgres,
    databaseUrl: values['database-url'],
    onResult: print,
  });
  const failed = results.filter((r) => !r.ok).length;
  const engine = values['database-url'] ? 'PostgreSQL server' : 'embedded PGlite';
  io.stdout(`\n${results.length - failed} passed, ${failed} failed (${results.length} tests, SQL on ${engine})\n`);
  return failed > 0 ? EXIT.failure : EXIT.ok;
}

/** The options of the project's postgres target (the first by name), or the defaults. */
function postgresOptions(config: ProjectConfig, io: CliIO): PostgresOptions | null {
  const targets = [...config.targets.values()].filter((t) => t.type === 'postgres').sort((a, b) => (a.name < b.name ? -1 : 1));
  if (targets.length === 0) return { ...DEFAULT_OPTIONS, grantTo: [] };
  const { options, diagnostics } = readPostgresOptions(targets[0]);
  printDiagnostics(io, diagnostics, new Map());
  return hasErrors(diagnostics) ? null : options;
}
