import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The example projects are what newcomers copy: each is complete (warden.yaml, policies,
 * fixtures, tests, README), and every policy file's `yaml-language-server` comment points at
 * the real policy schema, so editors check and complete it.
 */

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const examples = ['gooddata-regions', 'holistics-ecommerce', 'incorta-roles', 'inmydata-store-managers'];
const SCHEMA_COMMENT = /^# yaml-language-server: \$schema=(\S+)$/;

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

const projects = [{ name: 'demo', root: repo }, ...examples.map((name) => ({ name, root: path.join(repo, 'examples', name) }))];

describe.each(projects)('$name', ({ name, root }) => {
  it('is a complete project', () => {
    const required = name === 'demo' ? ['warden.yaml', 'policies', 'fixtures', 'tests'] : ['warden.yaml', 'policies', 'fixtures', 'tests', 'README.md'];
    for (const entry of required) expect(existsSync(path.join(root, entry)), entry).toBe(true);
    const policies = filesUnder(path.join(root, 'policies')).filter((f) => /\.ya?ml$/.test(f));
    // Several files, and at least one multi-document file, so merging is exercised.
    expect(policies.length).toBeGreaterThan(1);
    expect(policies.some((f) => /^---$/m.test(readFileSync(f, 'utf8')))).toBe(true);
    expect(filesUnder(path.join(root, 'fixtures')).some((f) => f.endsWith('.sql'))).toBe(true);
  });

  it('points every policy file at the policy schema', () => {
    const schema = path.join(repo, 'schemas/policy.schema.json');
    for (const file of filesUnder(path.join(root, 'policies')).filter((f) => /\.ya?ml$/.test(f))) {
      const first = readFileSync(file, 'utf8').split('\n')[0] ?? '';
      const match = SCHEMA_COMMENT.exec(first);
      expect(match, `${path.relative(repo, file)} starts with a yaml-language-server comment`).not.toBeNull();
      expect(path.resolve(path.dirname(file), match![1]), path.relative(repo, file)).toBe(schema);
    }
  });
});
