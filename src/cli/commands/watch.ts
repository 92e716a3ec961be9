import path from 'node:path';
import { watch } from 'chokidar';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { formatDiagnosticsText } from '../../diagnostics/format-text.js';
import { loadProjectConfig, CONFIG_FILE } from '../../project/config.js';
import type { ResolvedModel } from '../../resolve/model.js';
import { IncrementalProject } from '../../watch/incremental.js';
import { reportUpdate } from '../../watch/report.js';
import { affectedTests, runWatchTests } from '../../watch/tests.js';
import { parseCommandArgs, UsageError } from '../args.js';
import { EXIT, type CliIO } from '../io.js';
import { projectLocation } from '../project.js';
import { styleFor } from '../style.js';

export const HELP = `Usage: warden watch [DIR] [--test] [--debounce MS]

Watches the policy and test folders (and warden.yaml). On every save, after a short
debounce, re-reads only the changed files, re-validates and re-resolves, and prints the
diagnostics with code frames and the access diff against the last valid state:
  + alice@acme.com: sales country +Singapore
Invalid input never stops watching: the last valid state is kept until the errors are
fixed. Files created, deleted or renamed while watching are picked up. Ctrl-C stops.

Options:
  --test          after each valid change, re-run the access tests of the users whose
                  access changed (and every test in a changed test file)
  --debounce MS   wait this long after the last change before checking (default 150)
  -h, --help      show this help`;

const SETTLE_MS = 200;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { test: { type: 'boolean' }, debounce: { type: 'string' } });
  if (values.help) {
    io.stdout(`${HELP}\n`);
    return EXIT.ok;
  }
  const debounceMs = values.debounce === undefined ? 150 : Number(values.debounce);
  if (!Number.isInteger(debounceMs) || debounceMs < 0 || debounceMs > 60_000) throw new UsageError('--debounce must be a whole number of milliseconds (0-60000)');
  const location = projectLocation(positionals[0], io.cwd);
  // Ctrl-C ends the watch normally (exit 0): the signal only stops the loop, which then closes
  // the watcher so that nothing keeps the process alive.
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await watchProject({ root: location.root, policyPaths: location.policyPaths, io, signal: controller.signal, debounceMs, runTests: values.test === true });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

export interface WatchOptions {
  root: string;
  policyPaths?: string[];
  io: CliIO;
  signal: AbortSignal;
  debounceMs: number;
  runTests: boolean;
}

/** The watch loop; returns when `signal` aborts. */
export async function watchProject(options: WatchOptions): Promise<number> {
  const { root, io, signal } = options;
  const style = styleFor(io.color);
  const out = (text: string) => io.stdout(text);
  let config = loadProjectConfig(root);
  let folders = options.policyPaths ?? config.config.policies;
  let project = new IncrementalProject(root, folders, { now: () => new Date() });
  let lastValid: ResolvedModel | null = null;

  if (hasErrors(config.diagnostics)) out(formatDiagnosticsText(config.diagnostics, new Map(config.source ? [[CONFIG_FILE, config.source]] : []), style));
  const first = project.update();
  const initial = reportUpdate(first, null, style, []);
  out(initial.text);
  lastValid = initial.lastValid;
  if (options.runTests && first.model) await runWatchTests(config.config, first.model, null, out, style);

  const watched = () => [...new Set([...folders, ...config.config.tests, CONFIG_FILE])];
  const watcher = watch(watched(), {
    cwd: root,
    ignoreInitial: true,
    ignored: (file: string) => /(^|[/\\])(node_modules|\.git|\.warden)([/\\]|$)/.test(file),
  });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  // chokidar reports ready before the operating system's watches are all live: a save in the
  // first moments can go unreported. Settle briefly, then catch up with anything saved since
  // the first check (the per-file stamps tell), before saying that we are watching.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const caughtUp = project.update();
  if (caughtUp.reparsed.length + caughtUp.removed.length > 0) {
    const report = reportUpdate(caughtUp, lastValid, style, [...caughtUp.reparsed.map((f) => `changed ${f}`), ...caughtUp.removed.map((f) => `removed ${f}`)]);
    out(report.text);
    lastValid = report.lastValid;
  }
  watcher.on('error', (caught) => io.stderr(`warden watch: ${caught instanceof Error ? caught.message : String(caught)}\n`));
  out(style.dim(`watching ${watched().join(', ')} — press Ctrl-C to stop\n`));

  const pending = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const check = async () => {
    const events = new Map(pending);
    pending.clear();
    const changed = [...events].sort(([a], [b]) => (a < b ? -1 : 1)).map(([file, event]) => `${event} ${file}`);
    if (events.has(CONFIG_FILE)) {
      config = loadProjectConfig(root);
      if (hasErrors(config.diagnostics)) {
        out(formatDiagnosticsText(config.diagnostics, new Map(config.source ? [[CONFIG_FILE, config.source]] : []), style));
      } else {
        folders = options.policyPaths ?? config.config.policies;
        project = new IncrementalProject(root, folders, { now: () => new Date() });
        watcher.add(watched());
      }
    }
    const state = project.update(events.keys());
    const report = reportUpdate(state, lastValid, style, changed);
    out(report.text);
    lastValid = report.lastValid;
    if (options.runTests && state.model) {
      const testFiles = [...events.keys()].filter((file) => !file.endsWith('.sql') && !state.sources.has(file) && file !== CONFIG_FILE);
      const selection = affectedTests(report.diff, testFiles);
      await runWatchTests(config.config, state.model, selection, out, style);
    }
  };

  watcher.on('all', (event, file) => {
    if (event === 'addDir' || event === 'unlinkDir') return;
    const label = event === 'add' ? 'added' : event === 'unlink' ? 'removed' : 'changed';
    pending.set(file.split(path.sep).join('/'), label);
    clearTimeout(timer);
    timer = setTimeout(() => {
      // One check at a time, in order: a save during a (slow) test run is checked right after it.
      running = running.then(check).catch((caught) => io.stderr(`warden watch: ${caught instanceof Error ? caught.message : String(caught)}\n`));
    }, options.debounceMs);
  });

  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  clearTimeout(timer);
  await watcher.close();
  await running;
  out(style.dim('stopped watching\n'));
  return EXIT.ok;
}
