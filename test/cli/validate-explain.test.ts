import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const repo = path.resolve(import.meta.dirname, '../..');

describe('warden validate', () => {
  it('accepts the demo project, from the repo root or given the policy folder', async () => {
    const fromRoot = await runCli(['validate'], repo);
    expect(fromRoot.code).toBe(0);
    expect(fromRoot.stdout).toMatch(/^✓ valid: 8 users/);
    const folder = await runCli(['validate', 'policies'], repo);
    expect(folder.code).toBe(0);
  });

  it('prints json, sarif and github formats on stdout', async () => {
    const json = JSON.parse((await runCli(['validate', '--format', 'json'], repo)).stdout);
    expect(json).toMatchObject({ valid: true, errors: 0 });
    const sarif = JSON.parse((await runCli(['validate', '--format', 'sarif'], repo)).stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.name).toBe('warden');
    const github = await runCli(['validate', '--format', 'github'], repo);
    expect(github.code).toBe(0);
    for (const line of github.stdout.split('\n').filter(Boolean)) expect(line).toMatch(/^::(warning|error) file=/);
  });

  it('exits 64 with help on usage errors', async () => {
    const unknownFlag = await runCli(['validate', '--frmat', 'json'], repo);
    expect(unknownFlag.code).toBe(64);
    expect(unknownFlag.stderr).toContain('Usage: warden validate');
    const badFormat = await runCli(['validate', '--format', 'xml'], repo);
    expect(badFormat.code).toBe(64);
    expect((await runCli(['frobnicate'], repo)).code).toBe(64);
    expect((await runCli([], repo)).code).toBe(64);
  });

  it('has --help on every command', async () => {
    for (const command of ['validate', 'compile', 'explain', 'test', 'audit', 'watch', 'init', 'plan', 'apply', 'diff']) {
      const run = await runCli([command, '--help'], repo);
      expect(run.code, command).toBe(0);
      expect(run.stdout, command).toContain(`Usage: warden ${command}`);
    }
  });
});

describe('warden explain', () => {
  it('prints the JSON shape of the spec for the APAC lead', async () => {
    const run = await runCli(['explain', '--user', 'apac.lead@acme.com', '--subject', 'sales', '--format', 'json'], repo);
    expect(run.code).toBe(0);
    const value = JSON.parse(run.stdout);
    expect(Object.keys(value)).toEqual(['user', 'enabled', 'groups', 'roles', 'permissions', 'bypass_row_rules', 'home', 'attributes', 'subjects']);
    expect(value.groups).toEqual(['apac', 'everyone', 'malaysia', 'singapore', 'staff', 'vietnam']);
    expect(value.attributes.country).toEqual(['Malaysia', 'Singapore', 'Vietnam']);
    expect(value.subjects.sales.access).toBe(true);
    expect(value.subjects.sales.filters).toContainEqual({ rule: 'sales-by-country', field: 'country', operator: 'in', values: ['Malaysia', 'Singapore', 'Vietnam'] });
  });

  it('explains with provenance in text', async () => {
    const run = await runCli(['explain', '--user', 'apac.lead@acme.com'], repo);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/country = \{Malaysia, Singapore, Vietnam\} from groups vietnam \(policies\/people\/groups\.yaml:\d+\)/);
  });

  it('refuses an unknown user with a suggestion, exit 1', async () => {
    const run = await runCli(['explain', '--user', 'apac.led@acme.com', '--format', 'json'], repo);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('E-UNKNOWN-USER');
    expect(run.stderr).toContain('apac.lead@acme.com');
    expect(run.stdout).toBe('');
  });

  it('needs --user', async () => {
    expect((await runCli(['explain'], repo)).code).toBe(64);
  });
});
