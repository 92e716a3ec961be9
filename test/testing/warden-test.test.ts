import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/test.js';
import type { CliIO } from '../../src/cli/io.js';
import { startPgServer, type PgServer } from '../helpers/pg-server.js';

/** `warden test` end to end, in-process: on PGlite and on a throwaway PostgreSQL server. */

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env: {}, cwd, isTTY: false, color: false };
  return { cli, out: () => out.join(''), err: () => err.join('') };
}

let server: PgServer;
beforeAll(() => {
  server = startPgServer();
});
afterAll(() => server?.stop());

const engines = [
  { name: 'PGlite', args: () => [] as string[] },
  { name: 'PostgreSQL', args: () => ['--database-url', server.url] },
];

for (const engine of engines) {
  describe(`warden test on ${engine.name}`, () => {
    it('passes a project whose expectations hold (schema name with quotes and spaces)', async () => {
      const t = io(FIXTURES);
      const code = await run(['shop', ...engine.args()], t.cli);
      expect(t.err()).toBe('');
      expect(t.out()).not.toContain('FAIL');
      expect(t.out()).toContain('6 passed, 0 failed');
      expect(code).toBe(0);
    });

    it('fails with a diff per wrong expectation and exits 1', async () => {
      const t = io(FIXTURES);
      const code = await run(['wrong', ...engine.args()], t.cli);
      expect(code).toBe(1);
      const out = t.out();
      expect(out).toContain('FAIL tests/wrong.yaml:3 a wrong row expectation');
      expect(out).toContain('- [1]');
      expect(out).toContain('  [2]');
      expect(out).toContain('FAIL tests/wrong.yaml:7 a wrong filter expectation');
      expect(out).toContain('- store: [1, 2]');
      expect(out).toContain('+ store: [2]');
      expect(out).toMatch(/FAIL tests\/wrong\.yaml:11 a query that fails\n\s+the query failed: .*nope/);
      expect(out).toContain('PASS tests/wrong.yaml:15 this one passes');
      expect(out).toContain('1 passed, 3 failed');
    });
  });
}

describe('warden test input checks', () => {
  it('reports malformed test files at the offending node and runs nothing', async () => {
    const t = io(FIXTURES);
    const code = await run(['bad-shape'], t.cli);
    expect(code).toBe(1);
    expect(t.err()).toMatch(/tests\/bad\.yaml:2:/);
    expect(t.err()).toMatch(/tests\/bad\.yaml:8:\d+/);
    expect(t.err()).toContain('expectt');
    expect(t.out()).not.toContain('PASS');
  });

  it('reports a project without tests and exits 0', async () => {
    const t = io(FIXTURES);
    expect(await run(['no-tests'], t.cli)).toBe(0);
    expect(t.out()).toContain('no access tests found in tests');
  });

  it('prints help', async () => {
    const t = io(FIXTURES);
    expect(await run(['--help'], t.cli)).toBe(0);
    expect(t.out()).toContain('--database-url');
  });
});
