import { DiagnosticsError } from '../diagnostics/diagnostic.js';
import { UsageError } from './args.js';
import { EXIT, type CliIO } from './io.js';
import { printDiagnostics } from './report.js';
import { VERSION } from './version.js';

/**
 * The `warden` command line. This is the only place that touches `process`: it builds the
 * CliIO handed to every command, maps usage errors to exit 64 and turns any unexpected
 * exception into one line on stderr (never a stack trace) and exit 1.
 */

interface CommandModule {
  run(args: string[], io: CliIO): Promise<number>;
  HELP: string;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  validate: { summary: 'schema + semantic checks', load: () => import('./commands/validate.js') },
  compile: { summary: "write a target's artifacts", load: () => import('./commands/compile.js') },
  plan: { summary: "show what apply would change on a target, and who gains or loses access", load: () => import('./commands/plan.js') },
  apply: { summary: 'apply a saved plan (or a fresh one) to a target', load: () => import('./commands/apply.js') },
  diff: { summary: 'access diff between a git revision and the working tree', load: () => import('./commands/diff.js') },
  explain: { summary: "a user's effective access and why", load: () => import('./commands/explain.js') },
  test: { summary: 'run the access tests (model and real PostgreSQL)', load: () => import('./commands/test.js') },
  audit: { summary: 'write the audit report (html, markdown, csv, json)', load: () => import('./commands/audit.js') },
  watch: { summary: 're-validate and show access diffs on every save', load: () => import('./commands/watch.js') },
  init: { summary: 'scaffold a new policy project', load: () => import('./commands/init.js') },
};

export const HELP = `warden ${VERSION} — security-as-code compiler for access policies

Usage: warden <command> [DIR] [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`)
  .join('\n')}

Run \`warden <command> --help\` for a command's options.
Environment: NO_COLOR disables colour.`;

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(`${HELP}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  const entry = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (entry === undefined) {
    io.stderr(`warden: unknown command "${name}"\n\n${HELP}\n`);
    return EXIT.usage;
  }
  const command = await entry.load();
  try {
    return await command.run(rest, io);
  } catch (caught) {
    if (caught instanceof UsageError) {
      io.stderr(`warden ${name}: ${caught.message}\n\n${command.HELP}\n`);
      return EXIT.usage;
    }
    if (caught instanceof DiagnosticsError) {
      printDiagnostics(io, caught.diagnostics, new Map());
      return EXIT.failure;
    }
    const message = caught instanceof Error ? caught.message : String(caught);
    io.stderr(`warden ${name}: ${message}\n`);
    return EXIT.failure;
  }
}

function processIO(): CliIO {
  const isTTY = Boolean(process.stdout.isTTY);
  const env = process.env;
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env,
    cwd: process.cwd(),
    isTTY,
    color: isTTY && env.NO_COLOR === undefined && env.TERM !== 'dumb',
    prompt: process.stdin.isTTY ? promptLine : undefined,
  };
}

async function promptLine(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}
