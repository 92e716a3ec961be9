import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { Output } from './output.js';

/** `warden watch --test` on a scaffolded project: all tests first, then only the affected ones. */
const REPO = new URL('../..', import.meta.url).pathname;

describe('warden watch --test', () => {
  let dir: string;
  let child: ChildProcess;
  const out = new Output();
  let exit: Promise<number | null>;

  beforeAll(async () => {
    dir = path.join(mkdtempSync(path.join(tmpdir(), 'warden-watch-test-')), 'project');
    expect((await runCli(['init', dir], REPO)).code).toBe(0);
    child = spawn(process.execPath, ['--import', 'tsx', 'test/authoring/cli-entry.ts', 'watch', dir, '--test', '--debounce', '100'], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => out.push(chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => out.push(chunk));
    exit = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  });

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('runs every access test at start', async () => {
    const seen = await out.next('✓ 8 passed, 0 failed', 60_000);
    expect(seen.match(/PASS /g)).toHaveLength(8);
    await out.next('press Ctrl-C to stop');
  });

  it('re-runs only the tests of the user whose access changed', async () => {
    const file = path.join(dir, 'policies/people.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('groups: [north]\n  south', 'groups: [north, south]\n  south'));
    const seen = await out.next(/✗ 0 passed, 2 failed/, 60_000);
    expect(seen).toContain('+ north.manager@example.com: orders region +South');
    expect(seen).toContain('FAIL tests/access.yaml:5 the North manager');
    expect(seen).toContain('FAIL tests/access.yaml:22 the database agrees for the North manager');
    expect(seen).not.toContain('sales lead');
  });

  it('stops on Ctrl-C with exit code 0', async () => {
    child.kill('SIGINT');
    expect(await exit).toBe(0);
  });
});
