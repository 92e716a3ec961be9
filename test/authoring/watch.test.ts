import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Output } from './output.js';

/**
 * `warden watch` as a user runs it: a child process on a temporary project, files edited on
 * disk (valid, invalid, fixed, deleted, renamed, created), and the printed diagnostics and
 * access diffs checked in order. Ctrl-C (SIGINT) must end it with exit code 0.
 */
const REPO = new URL('../..', import.meta.url).pathname;

const DATA = `attributes:
  country: { type: string }
subjects:
  sales:
    restricted: true
    table: public.sales
    fields:
      country: { column: country, type: string }
rules:
  sales-by-country:
    subject: sales
    field: country
    operator: in
    attribute: country
`;
const GROUPS = `groups:
  staff:
    subjects: [sales]
  vietnam:
    inherits: [staff]
    attributes: { country: [Vietnam] }
  singapore:
    inherits: [staff]
    attributes: { country: [Singapore] }
`;
const users = (aliceGroups: string) => `users:
  alice@acme.com:
    groups: [${aliceGroups}]
`;

describe('warden watch', () => {
  let dir: string;
  let child: ChildProcess;
  const out = new Output();
  let exit: Promise<number | null>;
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'warden-watch-'));
    write('warden.yaml', 'version: 1\npolicies: [policies]\ntests: [tests]\n');
    write('policies/data.yaml', DATA);
    write('policies/groups.yaml', GROUPS);
    write('policies/users.yaml', users('vietnam'));
    write('policies/more-users.yaml', 'users:\n  bob@acme.com:\n    groups: [singapore]\n  vic@acme.com:\n    groups: [vietnam]\n');
    child = spawn(process.execPath, ['--import', 'tsx', 'test/authoring/cli-entry.ts', 'watch', dir, '--debounce', '100'], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => out.push(chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => out.push(chunk));
    exit = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    await out.next('✓ valid: 3 users');
    await out.next('press Ctrl-C to stop');
  });

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the access diff of a valid edit', async () => {
    write('policies/users.yaml', users('vietnam, singapore'));
    const seen = await out.next('+ alice@acme.com: sales country +Singapore');
    expect(seen).toContain('changed policies/users.yaml');
    expect(seen).toContain('+ alice@acme.com: group singapore');
    expect(seen).not.toContain('warning'); // the project is clean: nothing but the diff
  });

  it('prints diagnostics with a code frame for an invalid edit and keeps the last valid state', async () => {
    write('policies/users.yaml', users('vietnam, singapore, narnia'));
    const seen = await out.next('keeping the last valid state');
    expect(seen).toMatch(/policies\/users\.yaml:3:\d+ error E-UNKNOWN-REF .*narnia/);
    expect(seen).toContain('3 |     groups: [vietnam, singapore, narnia]');
    expect(seen).not.toMatch(/^[+~-] alice@acme.com:/m);
  });

  it('diffs the fixed file against the last valid state, not the broken one', async () => {
    write('policies/users.yaml', users('singapore'));
    const seen = await out.next('- alice@acme.com: sales country -Vietnam');
    expect(seen).toContain('✓ valid: 3 users');
    expect(seen).toContain('- alice@acme.com: group vietnam');
  });

  it('survives broken YAML', async () => {
    write('policies/users.yaml', 'users:\n  alice@acme.com: {groups: [singapore\n');
    const seen = await out.next('keeping the last valid state');
    expect(seen).toMatch(/policies\/users\.yaml:\d+:\d+ error E-YAML/);
    write('policies/users.yaml', users('singapore'));
    expect(await out.next('no access changes')).toContain('✓ valid: 3 users');
  });

  it('handles a deleted file, a renamed file and a new file', async () => {
    rmSync(path.join(dir, 'policies/more-users.yaml'));
    let seen = await out.next('- bob@acme.com: sales');
    expect(seen).toContain('removed policies/more-users.yaml');
    expect(seen).toContain('- bob@acme.com: removed');

    write('policies/team/carol.yaml', 'users:\n  carol@acme.com:\n    groups: [vietnam]\n');
    seen = await out.next('+ carol@acme.com: sales (country {Vietnam})');
    expect(seen).toContain('+ carol@acme.com: new user');

    renameSync(path.join(dir, 'policies/team/carol.yaml'), path.join(dir, 'policies/team/renamed.yaml'));
    // A rename is an unlink and an add; usually one batch ("no access changes"), but if the two
    // events straddle the debounce, carol is first removed and then added back.
    seen = await out.next(/added policies\/team\/renamed\.yaml[\s\S]*?(no access changes|\+ carol@acme\.com: sales \(country \{Vietnam\}\))/);
    expect(seen).toContain('removed policies/team/carol.yaml');
    expect(seen).toContain('✓ valid: 2 users');
  });

  it('stops cleanly on Ctrl-C with exit code 0', async () => {
    child.kill('SIGINT');
    expect(await exit).toBe(0);
    expect(out.text).toContain('stopped watching');
    expect(out.text).not.toMatch(/internal error|at .*\.ts:\d+/);
  });
});
