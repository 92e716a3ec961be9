import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/**
 * The hostile and broken input corpus of issue 2: every case must end in a diagnostic with a
 * code, file, line and column, exit 1, no stack trace and no hang. Inputs are written at test
 * time (a 50 MB file has no place in git).
 */

interface Case {
  name: string;
  files: Record<string, string | Buffer>;
  /** Expected first error: code, file, line, column. */
  expect: [string, string, number, number];
}

const aliasBomb = () => {
  const lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
};

const cases: Case[] = [
  { name: 'invalid YAML', files: { 'policies/a.yaml': 'groups:\n  apac: [a, b\n  emea: {}\n' }, expect: ['E-YAML-SYNTAX', 'policies/a.yaml', 3, 3] },
  { name: 'alias bomb', files: { 'policies/a.yaml': aliasBomb() }, expect: ['E-YAML-ALIAS-BOMB', 'policies/a.yaml', 6, 8] },
  { name: 'a 50 MB file', files: { 'policies/big.yaml': Buffer.alloc(50 * 1024 * 1024, 'a: b\n') }, expect: ['E-FILE-TOO-LARGE', 'policies/big.yaml', 1, 1] },
  { name: '10,000-deep flow nesting', files: { 'policies/a.yaml': `groups: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n` }, expect: ['E-YAML-TOO-DEEP', 'policies/a.yaml', 1, 72] },
  {
    name: '1,000-deep block nesting',
    files: { 'policies/a.yaml': Array.from({ length: 1_000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') },
    expect: ['E-YAML-TOO-DEEP', 'policies/a.yaml', 64, 64],
  },
  { name: 'duplicate keys', files: { 'policies/a.yaml': 'groups:\n  apac: {}\n  apac: {}\n' }, expect: ['E-YAML-DUPLICATE-KEY', 'policies/a.yaml', 3, 3] },
  { name: '__proto__ key', files: { 'policies/a.yaml': 'groups:\n  __proto__: { roles: [super_role] }\n' }, expect: ['E-YAML-FORBIDDEN-KEY', 'policies/a.yaml', 2, 3] },
  { name: 'constructor key', files: { 'policies/a.yaml': 'users:\n  constructor: { admin: true }\n' }, expect: ['E-YAML-FORBIDDEN-KEY', 'policies/a.yaml', 2, 3] },
  { name: 'unknown tag', files: { 'policies/a.yaml': 'groups:\n  apac: !!js/function "return 1"\n' }, expect: ['E-YAML-UNKNOWN-TAG', 'policies/a.yaml', 2, 9] },
  { name: 'empty file', files: { 'policies/a.yaml': '' }, expect: ['E-EMPTY-FILE', 'policies/a.yaml', 1, 1] },
  { name: 'only comments', files: { 'policies/a.yaml': '# nothing here\n' }, expect: ['E-EMPTY-FILE', 'policies/a.yaml', 1, 1] },
  { name: 'binary junk', files: { 'policies/a.yaml': Buffer.from([0x67, 0x3a, 0x20, 0x00, 0x01, 0x02, 0xff, 0xfe]) }, expect: ['E-FILE-ENCODING', 'policies/a.yaml', 1, 7] },
  { name: 'NUL in UTF-8 text', files: { 'policies/a.yaml': 'groups:\n  a\u0000: {}\n' }, expect: ['E-YAML-BINARY', 'policies/a.yaml', 2, 4] },
  { name: 'BOM and CRLF keep positions', files: { 'policies/a.yaml': '\ufeffgroups:\r\n  apac: {}\r\n  apac: {}\r\n' }, expect: ['E-YAML-DUPLICATE-KEY', 'policies/a.yaml', 3, 3] },
  { name: 'a top-level list', files: { 'policies/a.yaml': '- groups\n- users\n' }, expect: ['E-SCHEMA-TYPE', 'policies/a.yaml', 1, 1] },
  { name: 'wrong type: groups is a string', files: { 'policies/a.yaml': 'groups: apac\n' }, expect: ['E-SCHEMA-TYPE', 'policies/a.yaml', 1, 9] },
  { name: 'wrong type: admin is a string', files: { 'policies/a.yaml': 'users:\n  a@b.co:\n    admin: "yes"\n' }, expect: ['E-SCHEMA-TYPE', 'policies/a.yaml', 3, 12] },
  { name: 'unknown key', files: { 'policies/a.yaml': 'groups:\n  apac:\n    inherit: [x]\n' }, expect: ['E-UNKNOWN-KEY', 'policies/a.yaml', 3, 5] },
  { name: 'dangling reference', files: { 'policies/a.yaml': 'groups:\n  apac: {}\nusers:\n  a@b.co:\n    groups: [apak]\n' }, expect: ['E-UNKNOWN-REF', 'policies/a.yaml', 5, 14] },
  {
    name: 'inheritance cycle',
    files: { 'policies/a.yaml': 'groups:\n  a: { inherits: [b] }\n  b: { inherits: [a] }\nusers:\n  u@b.co: { groups: [a] }\n' },
    expect: ['E-CYCLE', 'policies/a.yaml', 2, 19],
  },
  {
    name: 'defined twice across files',
    files: { 'policies/a.yaml': 'groups:\n  apac: {}\n', 'policies/b.yaml': 'groups:\n  apac: {}\n' },
    expect: ['E-DUPLICATE-DEFINITION', 'policies/b.yaml', 2, 3],
  },
];

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function project(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'warden-bad-'));
  roots.push(root);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

describe('hostile and broken policy files', () => {
  for (const c of cases) {
    it(`${c.name}: diagnostic with position, exit 1`, async () => {
      const root = project(c.files);
      const run = await runCli(['validate', root, '--format', 'json'], root);
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as { valid: boolean; diagnostics: Array<{ code: string; severity: string; loc: { file: string; line: number; column: number } }> };
      expect(report.valid).toBe(false);
      const first = report.diagnostics.find((d) => d.severity === 'error')!;
      expect([first.code, first.loc.file, first.loc.line, first.loc.column]).toEqual(c.expect);
      expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    });
  }

  it('prints text diagnostics with a code frame and no stack trace', async () => {
    const root = project({ 'policies/a.yaml': 'groups:\n  apac: {}\n  apac: {}\n' });
    const run = await runCli(['validate', root], root);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('policies/a.yaml:3:3 error E-YAML-DUPLICATE-KEY duplicate key "apac"');
    expect(run.stderr).toContain('3 |   apac: {}');
    expect(run.stderr).toContain('first defined here at policies/a.yaml:2:3');
    expect(run.stdout).toBe('');
  });
});
