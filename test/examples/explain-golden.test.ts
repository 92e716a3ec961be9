import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../src/pipeline.js';
import { explainJson } from '../../src/resolve/explain-json.js';

/**
 * Golden `explain --format json` output for every user of every example project and of the demo.
 * The goldens were reviewed against the seeds' words (see each example's README), so a change
 * here is a change in what someone can see: review it, then `UPDATE_GOLDEN=1 npx vitest run
 * test/examples/explain-golden.test.ts` to accept it.
 */

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const update = process.env.UPDATE_GOLDEN === '1';
// Fixed, so that API-key expiry warnings do not depend on the day the tests run.
const now = new Date('2026-11-23T00:00:00Z');

const projects: { name: string; root: string; golden: string }[] = [
  { name: 'demo (acme)', root: repo, golden: path.join(repo, 'test/examples/golden/acme/explain') },
  ...['gooddata-regions', 'holistics-ecommerce', 'incorta-roles', 'inmydata-store-managers'].map((example) => ({
    name: example,
    root: path.join(repo, 'examples', example),
    golden: path.join(repo, 'examples', example, 'golden/explain'),
  })),
];

describe.each(projects)('$name', ({ root, golden }) => {
  it('compiles without errors or warnings, and every user matches their golden explain output', async () => {
    const project = await compileProject(root, { now });
    expect(project.diagnostics.map((d) => `${d.code} ${d.loc.file}:${d.loc.line}:${d.loc.column} ${d.message}`)).toEqual([]);
    const model = project.model!;
    const logins = [...model.users.keys()].sort();
    expect(logins.length).toBeGreaterThan(0);

    if (update) {
      rmSync(golden, { recursive: true, force: true });
      mkdirSync(golden, { recursive: true });
    }
    for (const login of logins) {
      const result = explainJson(model, login);
      if (!result.ok) throw new Error(`explain failed for ${login}: ${result.diagnostics.map((d) => d.message).join('; ')}`);
      const actual = `${JSON.stringify(result.value, null, 2)}\n`;
      const file = path.join(golden, `${login}.json`);
      if (update) writeFileSync(file, actual);
      else {
        expect(existsSync(file), `missing golden ${path.relative(repo, file)}`).toBe(true);
        expect(actual, `explain output of ${login}`).toBe(readFileSync(file, 'utf8'));
      }
    }
    // A golden for a user who no longer exists is stale: it would hide a removed user.
    expect(readdirSync(golden).sort()).toEqual(logins.map((login) => `${login}.json`).sort());
  });
});
