import { hasErrors } from '../../diagnostics/diagnostic.js';
import type { LockOwner } from '../../plan/postgres/embedded-lock.js';
import { withTargetDatabase } from '../../plan/postgres/open-target.js';
import { planPostgres } from '../../plan/postgres/plan.js';
import { preparePostgresTarget, type PreparedTarget } from '../../plan/postgres/prepare.js';
import { serializePlan } from '../../plan/plan-file.js';
import { hasChanges, type Plan } from '../../plan/plan-types.js';
import { renderPlanJson } from '../../plan/render-plan-json.js';
import { renderPlanMarkdown } from '../../plan/render-plan-markdown.js';
import { renderPlanText } from '../../plan/render-plan-text.js';
import type { CompiledProject } from '../../pipeline.js';
import { oneOf, parseCommandArgs, UsageError } from '../args.js';
import { EXIT, type CliIO } from '../io.js';
import { runPlatformPlan } from '../platform-plan.js';
import { fileBasedMessage, isApiPlatform } from '../platform-target.js';
import { compileForCommand } from '../project.js';
import { printDiagnostics } from '../report.js';
import { savePlan } from '../save-plan.js';
import { styleFor } from '../style.js';
import { chooseTarget } from '../targets.js';

export const HELP = `Usage: warden plan [DIR] [--target T] [--out FILE] [--format text|markdown|json] [--detailed-exitcode]

gooddata and holistics targets: reads the platform's users, groups and data permissions over
its API (endpoint and token from the target's config; the token from the environment, never
printed) and lists, per object, what apply would create, update or delete, with the object's
whole state before and after (json: schemas/platform-plan.schema.json). incorta, inmydata and
typescript targets are file-based: use \`warden compile --out\`.

postgres targets: compares the compiled policies with the live state of a postgres target (warden's schema and
entitlement rows, row-level security and policies on the subject tables, grants) and prints
the changes apply would make (+ create, ~ update, - delete, -/+ replace; [drift] marks a
change that reverts an edit made by hand) and the access diff: per user, the subjects and row
filters gained and lost, with the user's full filter set before and after.
A target with no url is the embedded database in .warden/<target>/ (created on first use with
the sample data of fixtures/*.sql).

Options:
  --target T            the target's name in warden.yaml (optional when there is only one)
  --out FILE            save the plan; \`warden apply FILE\` applies exactly it
  --format F            text (default), markdown (a pull-request comment) or json (schemas/plan.schema.json)
  --detailed-exitcode   exit 0 without changes, 2 with changes (1 on errors)
  --lock-timeout S      seconds to wait for the embedded database if another warden uses it (default 60)
  -h, --help            show this help`;

const FORMATS = ['text', 'markdown', 'json'] as const;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    target: { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string' },
    'detailed-exitcode': { type: 'boolean' },
    'lock-timeout': { type: 'string' },
  });
  if (values.help) {
    io.stdout(`${HELP}\n`);
    return EXIT.ok;
  }
  const format = oneOf(values.format, FORMATS, '--format', 'text');
  const lockTimeoutMs = seconds(values['lock-timeout'], '--lock-timeout', 60);
  const compiled = compileForCommand(io, positionals[0]);
  if (compiled.model === null) return EXIT.failure;
  const target = chooseTarget(compiled.config, values.target);
  const fileBased = fileBasedMessage('plan', target);
  if (fileBased !== null) {
    io.stderr(fileBased);
    return EXIT.failure;
  }
  if (isApiPlatform(target.type)) {
    return runPlatformPlan(io, compiled, target, { format, out: values.out, detailedExitcode: Boolean(values['detailed-exitcode']) });
  }
  const prepared = prepareForCommand(io, compiled, values.target);
  if (prepared === null) return EXIT.failure;
  const result = await withTargetDatabase(prepared.location, openOptions(io, compiled.config.root, prepared, lockTimeoutMs), (db) =>
    planPostgres(db, { state: prepared.state!, model: compiled.model!, target: prepared.planTarget, targetLoc: prepared.config.loc }),
  );
  printDiagnostics(io, result.diagnostics, compiled.sources);
  if (result.plan === null || hasErrors(result.diagnostics)) return EXIT.failure;
  io.stdout(renderPlan(result.plan, format, io));
  if (values.out !== undefined) {
    savePlan(io, values.out, serializePlan(result.plan));
  }
  return values['detailed-exitcode'] && hasChanges(result.plan) ? EXIT.changes : EXIT.ok;
}

export function renderPlan(plan: Plan, format: (typeof FORMATS)[number], io: CliIO): string {
  if (format === 'json') return renderPlanJson(plan);
  if (format === 'markdown') return renderPlanMarkdown(plan);
  return renderPlanText(plan, { style: styleFor(io.color) });
}

/** The command's postgres target with its desired state, or null after printing why not. */
export function prepareForCommand(io: CliIO, compiled: CompiledProject, name: string | undefined): PreparedTarget | null {
  const target = chooseTarget(compiled.config, name);
  if (target.type !== 'postgres') {
    io.stderr(`warden: target "${target.name}" is of type ${target.type}; plan and apply here work on postgres targets\n`);
    return null;
  }
  const { prepared, diagnostics } = preparePostgresTarget(target, compiled.config.root, io.env, compiled.model);
  printDiagnostics(io, diagnostics, compiled.sources);
  return prepared;
}

export function openOptions(io: CliIO, root: string, prepared: PreparedTarget, lockTimeoutMs: number) {
  return {
    root,
    owner: processLockOwner(),
    lockTimeoutMs,
    loc: prepared.config.loc,
    onWait: (message: string) => io.stderr(`warden: ${message}\n`),
    onNote: (message: string) => io.stderr(`warden: ${message}\n`),
  };
}

/** The process facts the embedded database's lock file needs (the library never reads `process`). */
export function processLockOwner(): LockOwner {
  return {
    pid: process.pid,
    isAlive(pid) {
      try {
        process.kill(pid, 0);
        return true;
      } catch (caught) {
        return (caught as { code?: string }).code === 'EPERM';
      }
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
  };
}

export function seconds(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback * 1000;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(n)) throw new UsageError(`${flag} takes a number of seconds`);
  return Math.round(n * 1000);
}
