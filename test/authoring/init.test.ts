import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/** `warden init`: the scaffolded project works at once, and nothing is ever overwritten. */
describe('warden init', () => {
  const base = mkdtempSync(path.join(tmpdir(), 'warden-init-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('scaffolds a project that validates and whose access tests pass', async () => {
    const init = await runCli(['init', 'acme'], base);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const dir = path.join(base, 'acme');
    for (const file of ['warden.yaml', 'policies/data.yaml', 'policies/people.yaml', 'tests/access.yaml', 'fixtures/orders.sql', '.github/workflows/warden.yml', '.gitignore']) {
      expect(existsSync(path.join(dir, file)), file).toBe(true);
      expect(init.stdout).toContain(`+ ${file}`);
    }
    expect(readFileSync(path.join(dir, '.github/workflows/warden.yml'), 'utf8')).toMatch(/warden@\d+\.\d+\.\d+ validate --format github/);

    const validate = await runCli(['validate'], dir);
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('valid: 5 users');

    const test = await runCli(['test'], dir);
    expect(test.stdout).not.toContain('FAIL');
    expect(test.stdout).toContain('8 passed, 0 failed');
    expect(test.code).toBe(0);
  }, 120_000);

  it('refuses to overwrite existing files, names them, and writes nothing', async () => {
    const dir = path.join(base, 'existing');
    mkdirSync(path.join(dir, 'policies'), { recursive: true });
    writeFileSync(path.join(dir, 'warden.yaml'), 'version: 1\n# mine\n');
    writeFileSync(path.join(dir, 'policies', 'people.yaml'), 'users: {}\n');
    const result = await runCli(['init', dir], base);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('refusing to overwrite');
    expect(result.stderr).toContain('  warden.yaml\n');
    expect(result.stderr).toContain('  policies/people.yaml\n');
    expect(readFileSync(path.join(dir, 'warden.yaml'), 'utf8')).toBe('version: 1\n# mine\n');
    expect(existsSync(path.join(dir, 'policies', 'data.yaml'))).toBe(false);
    expect(existsSync(path.join(dir, 'tests'))).toBe(false);
  });

  it('prints help, and usage errors exit 64', async () => {
    expect((await runCli(['init', '--help'], base)).stdout).toContain('Usage: warden init [DIR]');
    const bad = await runCli(['init', '--force'], base);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('Usage: warden init');
  });
});
