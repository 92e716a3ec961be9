import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { FIXTURE } from './helpers.js';

/** `warden diff --base REF`: the access diff between a git revision and the working tree. */

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
}

/** A repository whose project lives in a subfolder, with one commit. */
function repo(): { repo: string; project: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'warden-diff-'));
  dirs.push(root);
  const project = path.join(root, 'access');
  cpSync(path.join(FIXTURE, 'policies'), path.join(project, 'policies'), { recursive: true });
  writeFileSync(path.join(project, 'warden.yaml'), 'version: 1\npolicies: [policies]\n');
  git(root, 'init', '-q');
  git(root, 'add', '.');
  git(root, 'commit', '-q', '-m', 'base');
  return { repo: root, project };
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.replace(from, to));
}

describe('warden diff', () => {
  it('shows the users whose access changed since the base revision, without touching the working tree', async () => {
    const { repo: root, project } = repo();
    const users = path.join(project, 'policies/people/users.yaml');
    edit(users, 'groups: [singapore]', 'groups: [singapore, malaysia]');
    const status = git(root, 'status', '--porcelain');
    const text = await runCli(['diff', '--base', 'HEAD'], project);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('sg.manager@acme.com');
    expect(text.stdout).toContain('Malaysia');
    expect(text.stdout).not.toContain('vn.manager@acme.com');
    const json = await runCli(['diff', '--base', 'HEAD', '--format', 'json'], project);
    const doc = JSON.parse(json.stdout) as { users: { login: string; groups: { gained: string[] } }[] };
    expect(doc.users.map((u) => u.login)).toEqual(['sg.manager@acme.com']);
    expect(doc.users[0].groups.gained).toEqual(['malaysia']);
    const md = await runCli(['diff', '--base', 'HEAD', '--format', 'markdown'], project);
    expect(md.stdout).toMatch(/^### warden access diff against HEAD/);
    expect(md.stdout).toContain('<details>');
    expect(git(root, 'status', '--porcelain')).toBe(status);
    expect(readFileSync(users, 'utf8')).toContain('groups: [singapore, malaysia]');
  });

  it('says there are no changes when the working tree equals the base', async () => {
    const { project } = repo();
    const r = await runCli(['diff', '--base', 'HEAD'], project);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No access changes');
  });

  it('fails clearly on an unknown revision or policies that did not compile there', async () => {
    const { repo: root, project } = repo();
    const unknown = await runCli(['diff', '--base', 'no-such-branch'], project);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('cannot read no-such-branch');
    const users = path.join(project, 'policies/people/users.yaml');
    edit(users, 'groups: [singapore]', 'groups: [no-such-group]');
    git(root, 'commit', '-q', '-am', 'broken');
    edit(users, 'groups: [no-such-group]', 'groups: [singapore]');
    const broken = await runCli(['diff', '--base', 'HEAD'], project);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('do not compile');
    const usage = await runCli(['diff'], project);
    expect(usage.code).toBe(64);
  });
});
