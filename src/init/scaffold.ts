import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES_ORDERS, GITIGNORE, POLICIES_DATA, POLICIES_PEOPLE, TESTS_ACCESS, WARDEN_YAML, githubWorkflow } from './templates/project.js';

export interface ScaffoldFile {
  /** Relative to the project folder, `/`-separated. */
  path: string;
  content: string;
}

/** Every file of a new project, in the order they are written. */
export function scaffoldFiles(version: string): ScaffoldFile[] {
  return [
    { path: 'warden.yaml', content: WARDEN_YAML },
    { path: 'policies/data.yaml', content: POLICIES_DATA },
    { path: 'policies/people.yaml', content: POLICIES_PEOPLE },
    { path: 'tests/access.yaml', content: TESTS_ACCESS },
    { path: 'fixtures/orders.sql', content: FIXTURES_ORDERS },
    { path: '.github/workflows/warden.yml', content: githubWorkflow(version) },
    { path: '.gitignore', content: GITIGNORE },
  ];
}

export type ScaffoldResult = { written: string[]; conflicts: [] } | { written: []; conflicts: string[] };

/**
 * Writes the project into `dir` (created if missing). Refuses, writing nothing at all, when any of
 * the files already exists: init must never overwrite someone's policies or workflow.
 */
export function writeScaffold(dir: string, files: readonly ScaffoldFile[]): ScaffoldResult {
  const conflicts = files.filter((f) => existsSync(path.join(dir, f.path))).map((f) => f.path);
  if (conflicts.length > 0) return { written: [], conflicts };
  for (const file of files) {
    const target = path.join(dir, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    // `wx`: fail rather than overwrite if the file appeared since the check.
    writeFileSync(target, file.content, { flag: 'wx' });
  }
  return { written: files.map((f) => f.path), conflicts: [] };
}
