import path from 'node:path';
import { writeScaffold, scaffoldFiles } from '../../init/scaffold.js';
import { parseCommandArgs } from '../args.js';
import { EXIT, type CliIO } from '../io.js';
import { styleFor } from '../style.js';
import { VERSION } from '../version.js';

export const HELP = `Usage: warden init [DIR]

Scaffolds a working policy project in DIR (default: the current folder): warden.yaml,
policies with a small example, access tests with fixtures, and a GitHub Actions workflow
(.github/workflows/warden.yml). The project passes \`warden validate\` and \`warden test\`
straight away. Existing files are never overwritten: if any of them exists, nothing is
written and init exits 1.

Options:
  -h, --help   show this help`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {});
  if (values.help) {
    io.stdout(`${HELP}\n`);
    return EXIT.ok;
  }
  const dir = path.resolve(io.cwd, positionals[0] ?? '.');
  const result = writeScaffold(dir, scaffoldFiles(VERSION));
  if (result.conflicts.length > 0) {
    io.stderr(`warden init: refusing to overwrite existing files in ${dir}:\n${result.conflicts.map((f) => `  ${f}`).join('\n')}\nNothing was written.\n`);
    return EXIT.failure;
  }
  const style = styleFor(io.color);
  const shown = path.relative(io.cwd, dir) || '.';
  io.stdout(`${result.written.map((f) => `${style.green('+')} ${f}`).join('\n')}\n\n${style.green('✓')} new warden project in ${shown}. Next:\n`);
  const cd = shown === '.' ? '' : `cd ${shown} && `;
  io.stdout(`  ${cd}npx warden validate      # check the policies\n  npx warden test          # run the access tests on the embedded database\n  npx warden watch         # re-check and show access changes on every save\n  npx warden audit         # write audit.html\n`);
  return EXIT.ok;
}
