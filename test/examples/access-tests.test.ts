import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgServer, type PgServer } from '../helpers/pg-server.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * `warden test` passes for the demo and every example, on the embedded PGlite and on a real
 * PostgreSQL server (a throwaway cluster started here). The expectations in each project's
 * tests/*.yaml were written from the seeds' words, not from the compiler's output.
 */

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const projects = [
  { name: 'demo', root: repo },
  ...['gooddata-regions', 'holistics-ecommerce', 'incorta-roles', 'inmydata-store-managers'].map((example) => ({
    name: example,
    root: path.join(repo, 'examples', example),
  })),
];

/** How many tests the project's files declare, counted from the text so that none can be skipped silently. */
function declaredTests(root: string): number {
  const folder = path.join(root, 'tests');
  return readdirSync(folder)
    .filter((file) => /\.ya?ml$/.test(file))
    .reduce((sum, file) => sum + (readFileSync(path.join(folder, file), 'utf8').match(/^ {2}- name: /gm) ?? []).length, 0);
}

function summary(stdout: string): string {
  return stdout.trim().split('\n').at(-1) ?? '';
}

let server: PgServer;
beforeAll(() => {
  server = startPgServer();
});
afterAll(() => {
  server?.stop();
});

describe.each(projects)('$name', ({ root }) => {
  it('passes every access test on the embedded PGlite', async () => {
    const total = declaredTests(root);
    expect(total).toBeGreaterThan(10);
    const run = await runCli(['test', root], repo);
    expect(run.stderr).toBe('');
    expect(summary(run.stdout), run.stdout).toBe(`${total} passed, 0 failed (${total} tests, SQL on embedded PGlite)`);
    expect(run.code).toBe(0);
  });

  it('passes every access test on a PostgreSQL server', async () => {
    const total = declaredTests(root);
    const run = await runCli(['test', root, '--database-url', server.url], repo);
    expect(run.stderr).toBe('');
    expect(summary(run.stdout), run.stdout).toBe(`${total} passed, 0 failed (${total} tests, SQL on PostgreSQL server)`);
    expect(run.code).toBe(0);
  });
});
