import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../src/pipeline.js';
import { postgresTarget } from '../../src/targets/postgres/index.js';

/**
 * Golden SQL for every project with a postgres target (the examples and this suite's own
 * fixtures). `UPDATE_GOLDEN=1` rewrites the files; otherwise the output must match byte for byte.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const GOLDEN = path.join(import.meta.dirname, 'golden');
const NOW = new Date('2026-01-15T00:00:00Z');

const projects = [
  ...readdirSync(path.join(ROOT, 'examples')).map((name) => `examples/${name}`),
  'test/testing/fixtures/shop',
]
  .filter((dir) => existsSync(path.join(ROOT, dir, 'warden.yaml')))
  .sort();

describe('golden SQL of the postgres target', () => {
  for (const project of projects) {
    it(project, async () => {
      const compiled = await compileProject(path.join(ROOT, project), { now: NOW });
      expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const targets = [...compiled.config.targets.values()].filter((t) => t.type === 'postgres');
      for (const target of targets) {
        const result = postgresTarget.compile(compiled.model!, { target, env: {}, projectRoot: compiled.config.root, now: NOW });
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(result.artifacts).toHaveLength(1);
        const file = path.join(GOLDEN, `${project.replaceAll('/', '__')}__${target.name}.sql`);
        if (process.env.UPDATE_GOLDEN === '1') {
          mkdirSync(GOLDEN, { recursive: true });
          writeFileSync(file, result.artifacts[0].content);
        }
        expect(result.artifacts[0].content).toBe(readFileSync(file, 'utf8'));
      }
    });
  }
});
