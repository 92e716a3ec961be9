import path from 'node:path';
import { error, hasErrors, type Loc } from '../diagnostics/diagnostic.js';
import type { CompiledProject } from '../pipeline.js';
import { parsePlatformPlanFile, withoutCredentials } from '../plan/platform-plan-file.js';
import { formatPlatformPlan } from '../targets/http/plan-text.js';
import { applyPlatform, type PlatformPlan } from '../targets/http/platform.js';
import type { RequestResult } from '../targets/http/run-requests.js';
import { UsageError } from './args.js';
import { EXIT, type CliIO } from './io.js';
import { readPlan } from './platform-plan.js';
import { isApiPlatform, platformFailure, platformSetup, type PlatformSetup } from './platform-target.js';
import { compileForCommand } from './project.js';
import { printDiagnostics } from './report.js';

/**
 * `warden apply` for a gooddata or holistics target. The requests go out in order, each retried
 * on 429/5xx by the client; every outcome is printed and recorded in the journal
 * `.warden/<target>/platform-journal.jsonl`, so running the same apply again after an
 * interruption (Ctrl-C, a kill, a failure) resumes: a saved plan skips what is done, a fresh
 * apply plans again from what the platform now holds. Exit 1 when the apply is incomplete.
 */
export interface PlatformApplyOptions {
  confirm: () => Promise<boolean>;
}

export function journalPath(root: string, target: string): string {
  return path.join(root, '.warden', target, 'platform-journal.jsonl');
}

/** `warden apply [DIR] --target T`: plan against the live platform, show it, confirm, apply. */
export async function applyPlatformFresh(io: CliIO, compiled: CompiledProject, setup: PlatformSetup, options: PlatformApplyOptions): Promise<number> {
  const plan = await readPlan(io, compiled, setup);
  if (plan === null) return EXIT.failure;
  io.stdout(formatPlatformPlan(plan));
  if (plan.changes.length === 0 && plan.requests.length === 0) return EXIT.ok;
  if (!(await options.confirm())) return EXIT.failure;
  return send(io, compiled, setup, plan, setup.target.loc);
}

/** `warden apply FILE` where FILE is a saved platform plan: exactly that plan, refused if the platform moved since. */
export async function applyPlatformSaved(io: CliIO, file: string, text: string, targetName: string | undefined, options: PlatformApplyOptions): Promise<number> {
  const shown = path.relative(io.cwd, file) || file;
  const { plan, endpoint, diagnostics } = parsePlatformPlanFile(text, shown);
  printDiagnostics(io, diagnostics, new Map());
  if (plan === null) return EXIT.failure;
  if (targetName !== undefined && targetName !== plan.target) throw new UsageError(`the plan is for target "${plan.target}", not "${targetName}"`);
  // The adapter (to re-read the live state and look ids up) is built from the project's policies.
  const compiled = compileForCommand(io, undefined);
  if (compiled.model === null) return EXIT.failure;
  const target = compiled.config.targets.get(plan.target);
  if (!target || target.type !== plan.type || !isApiPlatform(target.type)) {
    io.stderr(`warden apply: warden.yaml in ${compiled.config.root} has no ${plan.type} target "${plan.target}" that this plan was made for\n`);
    return EXIT.failure;
  }
  const setup = platformSetup(io, compiled, target);
  if (setup === null) return EXIT.failure;
  const planLoc: Loc = { file: shown, line: 1, column: 1 };
  if (withoutCredentials(setup.endpoint) !== endpoint) {
    printDiagnostics(io, [error('E-PLAN-STALE', `the plan was made against ${endpoint}, but target "${plan.target}" now points at ${withoutCredentials(setup.endpoint)}`, planLoc, { hint: 'run `warden plan --out FILE` again' })], new Map());
    return EXIT.failure;
  }
  io.stdout(formatPlatformPlan(plan));
  if (plan.requests.length === 0) return EXIT.ok;
  if (!(await options.confirm())) return EXIT.failure;
  return send(io, compiled, setup, plan, planLoc);
}

async function send(io: CliIO, compiled: CompiledProject, setup: PlatformSetup, plan: PlatformPlan, staleLoc: Loc): Promise<number> {
  const journal = journalPath(compiled.config.root, setup.target.name);
  // Ctrl-C stops after the request in flight, so the journal says exactly what was done.
  const controller = new AbortController();
  const interrupt = (): void => {
    io.stderr('\nwarden apply: interrupted; stopping after the request in flight (run the same apply again to resume)\n');
    controller.abort();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  let outcome;
  try {
    outcome = await applyPlatform({ plan, adapter: setup.adapter, client: setup.client, journalPath: journal, signal: controller.signal, onResult: (r) => io.stdout(resultLine(r)) });
  } catch (caught) {
    printDiagnostics(io, [platformFailure(setup.target, caught, 'applying')], compiled.sources);
    return EXIT.failure;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  if (outcome.status === 'refused') {
    printDiagnostics(io, [error('E-PLAN-STALE', outcome.reason, staleLoc, { hint: 'run `warden plan` again; apply a saved plan soon after making it' })], compiled.sources);
    return EXIT.failure;
  }
  const shownJournal = path.relative(io.cwd, journal) || journal;
  if (outcome.status === 'incomplete') {
    const failed = outcome.results.find((r) => r.outcome === 'failed');
    const diagnostics = failed
      ? [error('E-APPLY-INCOMPLETE', `target "${setup.target.name}": request ${failed.index + 1} of ${failed.total} (${failed.request.method} ${readablePath(failed.request.path)}) failed: ${failed.error ?? `HTTP ${failed.status}`}`, setup.target.loc, {
          hint: `${outcome.done} request(s) applied, recorded in ${shownJournal}; fix the cause and run the same apply again to resume`,
        })]
      : [error('E-APPLY-INCOMPLETE', `target "${setup.target.name}": apply interrupted after ${outcome.done + outcome.skipped} of ${plan.requests.length} requests`, setup.target.loc, {
          hint: `what was done is recorded in ${shownJournal}; run the same apply again to resume`,
        })];
    printDiagnostics(io, diagnostics, compiled.sources);
    return hasErrors(diagnostics) ? EXIT.failure : EXIT.ok;
  }
  io.stdout(`\nApply complete: ${outcome.done} request${outcome.done === 1 ? '' : 's'} sent${outcome.skipped > 0 ? `, ${outcome.skipped} already done by an earlier run` : ''}.\n`);
  return EXIT.ok;
}

/** One line per request: its number, outcome, method and path (as planned: ids as placeholders), status and attempts. */
function resultLine(r: RequestResult): string {
  const where = `[${r.index + 1}/${r.total}]`;
  const what = `${r.request.method} ${readablePath(r.request.path)}`;
  if (r.outcome === 'skipped') return `${where} skipped ${what} (done by an earlier run)\n`;
  const status = r.status === null ? '' : ` HTTP ${r.status}`;
  const retries = r.attempts > 1 ? `, ${r.attempts} attempts` : '';
  if (r.outcome === 'done') return `${where} done    ${what} (${status.trim() || 'confirmed on the platform'}${retries})\n`;
  return `${where} FAILED  ${what}${status}${retries}: ${r.error ?? ''}\n`;
}

/** Placeholders as the reader knows the object: `{{user:vn.manager@shop.example}}`, not URI-encoded. */
function readablePath(planned: string): string {
  return planned.replace(/\{\{([a-z-]+):([^{}]*)\}\}/g, (whole, kind: string, name: string) => {
    try {
      return `{{${kind}:${decodeURIComponent(name)}}}`;
    } catch {
      return whole;
    }
  });
}
