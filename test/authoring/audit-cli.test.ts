import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/** `warden audit` end to end on a copy of the demo project. */
describe('warden audit', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-audit-'));
  const root = new URL('../..', import.meta.url).pathname;
  for (const entry of ['warden.yaml', 'policies']) cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the format its --out extension names, and reports what it wrote', async () => {
    const result = await runCli(['audit', '--out', 'report/audit.md'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('wrote the markdown audit to report/audit.md: 8 users, 2 subjects');
    expect(readFileSync(path.join(dir, 'report/audit.md'), 'utf8')).toMatch(/^# Access audit — \d{4}-\d{2}-\d{2}\n/);
  });

  it('prints JSON to stdout with --format json', async () => {
    const result = await runCli(['audit', '--format', 'json'], dir);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.version).toBe(1);
    expect(json.users.map((u: { login: string }) => u.login)).toContain('apac.lead@acme.com');
  });

  it('writes HTML by default', async () => {
    expect((await runCli(['audit', '--out', 'audit.html'], dir)).code).toBe(0);
    expect(readFileSync(path.join(dir, 'audit.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('writes nothing and exits 1 when the policies have errors', async () => {
    const broken = mkdtempSync(path.join(tmpdir(), 'warden-audit-broken-'));
    try {
      writeFileSync(path.join(broken, 'warden.yaml'), 'version: 1\n');
      cpSync(path.join(root, 'policies'), path.join(broken, 'policies'), { recursive: true });
      writeFileSync(path.join(broken, 'policies', 'bad.yaml'), 'users:\n  x@acme.com:\n    groups: [no-such-group]\n');
      const result = await runCli(['audit', '--out', 'audit.html'], broken);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('E-UNKNOWN-REF');
      expect(existsSync(path.join(broken, 'audit.html'))).toBe(false);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it('rejects an unknown format with usage help (exit 64)', async () => {
    const result = await runCli(['audit', '--format', 'pdf'], dir);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('--format must be one of: html, markdown, csv, json');
    expect(result.stderr).toContain('Usage: warden audit');
  });
});
