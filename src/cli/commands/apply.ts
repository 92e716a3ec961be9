import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import type { Database } from '../../db/database.js';
import { loadProjectConfig } from '../../project/config.js';
import { applyLocked, checkFresh, type ApplyOptions } from '../../plan/postgres/apply.js';
import { withTargetDatabase } from '../../plan/postgres/open-target.js';
import { liveFingerprint, planPostgres, type PostgresProbe } from '../../plan/postgres/plan.js';
import { preparePostgresTarget, type PreparedTarget } from '../../plan/postgres/prepare.js';
import { renderViewAs, viewAs } from '../../plan/postgres/view-as.js';
import { parsePlanFile, savedAccessSummary } from '../../plan/plan-file.js';
import { countChanges, hasChanges, type Plan } from '../../plan/plan-types.js';
import { renderPlanText } from '../../plan/render-plan-text.js';
import { parseCommandArgs, UsageError } from '../args.js';
import { EXIT, type CliIO } from '../io.js';
import { applyPlatformFresh, applyPlatformSaved } from '../platform-apply.js';
import { isPlatformPlanText } from '../../plan/platform-plan-file.js';
import { fileBasedMessage, isApiPlatform, platformSetup } from '../platform-target.js';
import { chooseTarget } from '../targets.js';
import { compileForCommand, projectLocation } from '../project.js';
import { printDiagnostics } from '../report.js';
import { styleFor } from '../style.js';
import { openOptions, prepareForCommand, seconds } from './plan.js';

export const HELP = `Usage: warden apply [FILE|DIR] [--target T] [--auto-approve] [--lock-timeout S]

gooddata and holistics targets: sends the plan's API requests in order, retrying 429 and 5xx
(honouring Retry-After), prints each request's outcome and records it in
.warden/<target>/platform-journal.jsonl; after an interruption or a failure, the same apply
resumes (exit 1 while incomplete). A saved plan is refused (E-PLAN-STALE) when the platform
changed since it was made. incorta, inmydata and typescript targets are file-based: use
\`warden compile --out\`.

postgres targets: brings the target to the state of the policies, in one transaction under an advisory
lock: all of it is applied, or nothing. A second apply on the same target waits for the first
(up to --lock-timeout) and then fails clearly.
  warden apply DIR    plans against the live state, shows the plan, asks for confirmation
  warden apply FILE   applies exactly a plan saved with \`warden plan --out FILE\`, and refuses
                      it (E-PLAN-STALE) when the target changed since the plan was made
On a terminal apply asks for confirmation; elsewhere (CI) it needs --auto-approve.
After applying to the embedded database (or with --view-as) it prints, for each user, how
many rows of each subject they now see.

Options:
  --target T              the target's name in warden.yaml (optional when there is only one)
  --auto-approve          apply without asking
  --lock-timeout S        seconds to wait for another apply (default 60; 0 = fail at once)
  --statement-timeout S   upper bound per statement (default 0 = none)
  --view-as               print the "view as" table for a server target too
  -h, --help              show this help`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    target: { type: 'string' },
    'auto-approve': { type: 'boolean' },
    'lock-timeout': { type: 'string' },
    'statement-timeout': { type: 'string' },
    'view-as': { type: 'boolean' },
  });
  if (values.help) {
    io.stdout(`${HELP}\n`);
    return EXIT.ok;
  }
  const lockTimeoutMs = seconds(values['lock-timeout'], '--lock-timeout', 60);
  const statementTimeoutMs = seconds(values['statement-timeout'], '--statement-timeout', 0);
  const arg = positionals[0];
  const isFile = arg !== undefined && existsSync(path.resolve(io.cwd, arg)) && statSync(path.resolve(io.cwd, arg)).isFile();
  const common = { io, lockTimeoutMs, statementTimeoutMs, autoApprove: Boolean(values['auto-approve']), viewAs: Boolean(values['view-as']) };
  if (isFile) {
    const file = path.resolve(io.cwd, arg);
    const text = readFileSync(file, 'utf8');
    if (isPlatformPlanText(text)) return applyPlatformSaved(io, file, text, values.target, { confirm: () => confirm(common) });
    return applySaved(file, values.target, common);
  }
  return applyFresh(arg, values.target, common);
}

interface Common {
  io: CliIO;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  autoApprove: boolean;
  viewAs: boolean;
}

async function applySaved(file: string, targetName: string | undefined, c: Common): Promise<number> {
  const { io } = c;
  const shown = path.relative(io.cwd, file) || file;
  const { saved, diagnostics } = parsePlanFile(readFileSync(file, 'utf8'), shown);
  printDiagnostics(io, diagnostics, new Map());
  if (saved === null) return EXIT.failure;
  const plan = saved.plan;
  if (targetName !== undefined && targetName !== plan.target.name) throw new UsageError(`the plan is for target "${plan.target.name}", not "${targetName}"`);
  const root = projectLocation(undefined, io.cwd).root;
  const { config, diagnostics: configDiagnostics } = loadProjectConfig(root);
  printDiagnostics(io, configDiagnostics, new Map());
  if (hasErrors(configDiagnostics)) return EXIT.failure;
  const target = config.targets.get(plan.target.name);
  if (!target || target.type !== plan.target.type) {
    io.stderr(`warden apply: warden.yaml in ${root} has no ${plan.target.type} target "${plan.target.name}" that this plan was made for\n`);
    return EXIT.failure;
  }
  const { prepared, diagnostics: targetDiagnostics } = preparePostgresTarget(target, root, io.env, null);
  printDiagnostics(io, targetDiagnostics, new Map());
  if (prepared === null) return EXIT.failure;
  io.stdout(renderPlanText(plan, { style: styleFor(io.color) }));
  const access = savedAccessSummary(saved.accessJson);
  if (access && hasChanges(plan)) io.stdout(`Access: ${access.usersChanged} users changed, ${access.usersAdded} added, ${access.usersRemoved} removed (see the saved plan for details).\n`);
  if (!hasChanges(plan)) return EXIT.ok;
  if (!(await confirm(c))) return EXIT.failure;
  return withTargetDatabase(prepared.location, openOptions(io, root, prepared, c.lockTimeoutMs), async (db) => {
    await runApply(db, prepared, c, async (tx) => {
      checkFresh(plan, await liveFingerprint(tx, plan.probe as PostgresProbe), { file: shown, line: 1, column: 1 });
      return plan;
    });
    return EXIT.ok;
  });
}

async function applyFresh(dir: string | undefined, targetName: string | undefined, c: Common): Promise<number> {
  const { io } = c;
  const compiled = compileForCommand(io, dir);
  if (compiled.model === null) return EXIT.failure;
  const target = chooseTarget(compiled.config, targetName);
  const fileBased = fileBasedMessage('apply', target);
  if (fileBased !== null) {
    io.stderr(fileBased);
    return EXIT.failure;
  }
  if (isApiPlatform(target.type)) {
    const setup = platformSetup(io, compiled, target);
    return setup === null ? EXIT.failure : applyPlatformFresh(io, compiled, setup, { confirm: () => confirm(c) });
  }
  const prepared = prepareForCommand(io, compiled, targetName);
  if (prepared === null) return EXIT.failure;
  const model = compiled.model;
  const input = { state: prepared.state!, model, target: prepared.planTarget, targetLoc: prepared.config.loc };
  const style = styleFor(io.color);
  return withTargetDatabase(prepared.location, openOptions(io, compiled.config.root, prepared, c.lockTimeoutMs), async (db) => {
    let planned: Plan;
    if (c.autoApprove) {
      // Nobody reviews in between: plan under the lock, so a concurrent apply is simply followed by a no-op.
      let failed = false;
      const result = await runApply(db, prepared, c, async (tx) => {
        const made = await planPostgres(tx, input);
        printDiagnostics(io, made.diagnostics, compiled.sources);
        if (made.plan === null || hasErrors(made.diagnostics)) {
          failed = true;
          return emptyPlan(made.plan, prepared);
        }
        io.stdout(renderPlanText(made.plan, { style }));
        return made.plan;
      });
      if (failed) return EXIT.failure;
      planned = result;
    } else {
      const made = await planPostgres(db, input);
      printDiagnostics(io, made.diagnostics, compiled.sources);
      if (made.plan === null || hasErrors(made.diagnostics)) return EXIT.failure;
      planned = made.plan;
      io.stdout(renderPlanText(planned, { style }));
      if (!hasChanges(planned)) return EXIT.ok;
      if (!(await confirm(c))) return EXIT.failure;
      await runApply(db, prepared, c, async (tx) => {
        checkFresh(planned, await liveFingerprint(tx, planned.probe as PostgresProbe), prepared.config.loc);
        return planned;
      });
    }
    if (hasChanges(planned) && (prepared.location.embedded || c.viewAs)) io.stdout(`\n${renderViewAs(await viewAs(db, prepared.state!))}`);
    return EXIT.ok;
  });
}

/** A plan that does nothing, for when planning under the lock found errors (the transaction then commits nothing). */
function emptyPlan(plan: Plan | null, prepared: PreparedTarget): Plan {
  return plan ? { ...plan, changes: [], operations: [] } : { version: 1, target: prepared.planTarget, fingerprint: '', desired: '', changes: [], access: null, operations: [], probe: null };
}

async function runApply(db: Database, prepared: PreparedTarget, c: Common, choose: (tx: Database) => Promise<Plan>): Promise<Plan> {
  const { io } = c;
  const started = Date.now();
  let lastReport = 0;
  const options: ApplyOptions = {
    schema: prepared.schema,
    lockTimeoutMs: c.lockTimeoutMs,
    statementTimeoutMs: c.statementTimeoutMs,
    loc: prepared.config.loc,
    onWait: (message) => io.stderr(`warden: ${message}\n`),
    onProgress: (done, total) => {
      // Progress only when it runs long, at most once a second, on stderr (stdout stays the plan).
      const now = Date.now();
      if (now - started < 2000 || (now - lastReport < 1000 && done < total)) return;
      lastReport = now;
      const width = 30;
      const filled = Math.round((done / total) * width);
      io.stderr(`applying [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} operations\n`);
    },
  };
  const result = await applyLocked(db, options, choose);
  if (hasChanges(result.plan)) {
    const n = countChanges(result.plan);
    io.stdout(`\nApply complete: ${n.create} created, ${n.update} updated, ${n.replace} replaced, ${n.delete} deleted.\n`);
  }
  return result.plan;
}

async function confirm(c: Common): Promise<boolean> {
  if (c.autoApprove) return true;
  const { io } = c;
  if (!io.isTTY || io.prompt === undefined) {
    io.stderr('warden apply: not applying: confirmation needs a terminal; pass --auto-approve to apply without asking (e.g. in CI)\n');
    return false;
  }
  const answer = await io.prompt('Apply these changes? Only "yes" is accepted: ');
  if (answer.trim() === 'yes') return true;
  io.stderr('Apply cancelled.\n');
  return false;
}
