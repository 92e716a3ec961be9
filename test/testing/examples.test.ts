import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/test.js';
import type { CliIO } from '../../src/cli/io.js';
import { startPgServer, type PgServer } from '../helpers/pg-server.js';

/** Every example project's access tests pass with `warden test`, on PGlite and on PostgreSQL 15. */

const EXAMPLES = path.resolve(import.meta.dirname, '../../examples');
const projects = existsSync(EXAMPLES)
  ? readdirSync(EXAMPLES).filter((name) => existsSync(path.join(EXAMPLES, name, 'tests'))).sort()
  : [];

let server: PgServer;
beforeAll(() => {
  server = startPgServer();
});
afterAll(() => server?.stop());

describe.each(projects)('examples/%s', (project) => {
  for (const engine of ['PGlite', 'PostgreSQL'] as const) {
    it(`passes warden test on ${engine}`, async () => {
      const out: string[] = [];
      const cli: CliIO = { stdout: (s) => out.push(s), stderr: (s) => out.push(s), env: {}, cwd: EXAMPLES, isTTY: false, color: false };
      const args = engine === 'PGlite' ? [project] : [project, '--database-url', server.url];
      const code = await run(args, cli);
      const text = out.join('');
      expect(text).not.toContain('FAIL');
      expect(text).toMatch(/[1-9]\d* passed, 0 failed/);
      expect(code).toBe(0);
    });
  }
});
