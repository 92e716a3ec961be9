import { formatDiagnosticsText, type TextStyle } from '../diagnostics/format-text.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { AccessDiff } from '../plan/access-diff-types.js';
import type { ProjectConfig } from '../project/config.js';
import type { ResolvedModel } from '../resolve/model.js';
import { DEFAULT_OPTIONS, readPostgresOptions, type PostgresOptions } from '../targets/postgres/options.js';
import { loadAccessTests } from '../testing/load-tests.js';
import { runAccessTests } from '../testing/run-tests.js';
import type { AccessTestFile } from '../testing/types.js';

/**
 * `watch --test`: which access tests an update affects, and running just those. A test is
 * affected when the user it runs as appears in the access diff, or when its test file changed.
 * `null` selects every test (the first run, or after a change that cannot be narrowed).
 */
export interface TestSelection {
  logins: Set<string>;
  files: Set<string>;
}

export function affectedTests(diff: AccessDiff | null, changedTestFiles: readonly string[]): TestSelection | null {
  if (diff === null) return null;
  return { logins: new Set(diff.users.map((u) => u.login)), files: new Set(changedTestFiles) };
}

export function selectTests(files: readonly AccessTestFile[], selection: TestSelection | null): AccessTestFile[] {
  if (selection === null) return [...files];
  return files
    .map((file) => (selection.files.has(file.file) ? file : { ...file, tests: file.tests.filter((t) => selection.logins.has(t.as)) }))
    .filter((file) => file.tests.length > 0);
}

export interface WatchTestStyle extends TextStyle {
  green(s: string): string;
}

/** Loads the test files, runs the selected tests and prints one line per test plus a summary. */
export async function runWatchTests(
  config: ProjectConfig,
  model: ResolvedModel,
  selection: TestSelection | null,
  print: (text: string) => void,
  style: WatchTestStyle,
): Promise<void> {
  const loaded = loadAccessTests(config.root, config.tests);
  if (loaded.diagnostics.length > 0) print(formatDiagnosticsText(loaded.diagnostics, loaded.sources, style));
  if (hasErrors(loaded.diagnostics)) return;
  const files = selectTests(loaded.files, selection);
  const count = files.reduce((n, f) => n + f.tests.length, 0);
  if (count === 0) {
    print(style.dim('  no access tests affected\n'));
    return;
  }
  const postgres = postgresOptions(config);
  if (postgres === null) {
    print(`${style.red('✗')} the postgres target's options are invalid; run \`warden validate\`\n`);
    return;
  }
  const results = await runAccessTests(files, {
    root: config.root,
    model,
    postgres,
    onResult: (r) => {
      print(`  ${r.ok ? style.green('PASS') : style.red('FAIL')} ${r.file}:${r.loc.line} ${r.name}\n`);
      if (!r.ok && r.message) print(`       ${r.message}\n`);
      for (const line of r.ok ? [] : (r.diff ?? [])) print(`       ${line}\n`);
    },
  });
  const failed = results.filter((r) => !r.ok).length;
  print(`  ${failed === 0 ? style.green('✓') : style.red('✗')} ${results.length - failed} passed, ${failed} failed\n`);
}

function postgresOptions(config: ProjectConfig): PostgresOptions | null {
  const targets = [...config.targets.values()].filter((t) => t.type === 'postgres').sort((a, b) => (a.name < b.name ? -1 : 1));
  if (targets.length === 0) return { ...DEFAULT_OPTIONS, grantTo: [] };
  const { options, diagnostics } = readPostgresOptions(targets[0]);
  return hasErrors(diagnostics) ? null : options;
}
