import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../src/pipeline.js';
import { targetDefinition } from '../../src/targets/registry.js';

/**
 * Every target configured in an example's warden.yaml compiles the example: a complete project
 * must work with every platform it names, not only validate. Secrets are placeholders (compile
 * never calls a platform); the warnings each example is known to produce are listed here with
 * the reason, so a new warning shows up as a failure to look at.
 */

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const now = new Date('2026-11-23T00:00:00Z');
const env = {
  HOLISTICS_API_KEY: 'placeholder',
  GOODDATA_ENDPOINT: 'https://example.cloud.gooddata.com',
  GOODDATA_TOKEN: 'placeholder',
  GOODDATA_LEGACY_ENDPOINT: 'https://secure.gooddata.com',
  GOODDATA_LEGACY_TOKEN: 'placeholder',
};

const expectedWarnings: Record<string, string[]> = {
  // inmydata has home pages per group only; north.manager's own one goes to the checklist.
  'inmydata-store-managers/inmydata': ['W-INMYDATA-USER-HOME'],
};

const projects: { name: string; root: string; targets: string[] }[] = [
  { name: 'demo', root: repo, targets: ['warehouse'] },
  { name: 'gooddata-regions', root: path.join(repo, 'examples/gooddata-regions'), targets: ['app', 'gooddata', 'gooddata-legacy', 'warehouse'] },
  { name: 'holistics-ecommerce', root: path.join(repo, 'examples/holistics-ecommerce'), targets: ['app', 'holistics', 'warehouse'] },
  { name: 'incorta-roles', root: path.join(repo, 'examples/incorta-roles'), targets: ['app', 'incorta', 'warehouse'] },
  { name: 'inmydata-store-managers', root: path.join(repo, 'examples/inmydata-store-managers'), targets: ['app', 'inmydata', 'warehouse'] },
];

describe.each(projects)('$name', ({ name, root, targets }) => {
  it('configures a postgres target and its platform targets', async () => {
    const project = await compileProject(root, { now });
    expect([...project.config.targets.keys()].sort()).toEqual(targets);
    expect(project.config.targets.get('warehouse')?.type).toBe('postgres');
    // Embedded: a fresh machine needs no database server.
    expect(project.config.targets.get('warehouse')?.options.url).toBeUndefined();
  });

  it.each(targets)('compiles for target %s', async (targetName) => {
    const project = await compileProject(root, { now });
    expect(project.model).not.toBeNull();
    const target = project.config.targets.get(targetName)!;
    const definition = targetDefinition(target.type);
    expect(definition, `no target module for type ${target.type}`).toBeDefined();
    const result = definition!.compile(project.model!, { target, env, projectRoot: root, now });
    const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.loc.file}:${d.loc.line} ${d.message}`);
    expect(errors).toEqual([]);
    expect(result.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.code).sort()).toEqual(expectedWarnings[`${name}/${targetName}`] ?? []);
    expect(result.artifacts.length).toBeGreaterThan(0);
    for (const artifact of result.artifacts) expect(artifact.content.length, artifact.path).toBeGreaterThan(0);
  });
});
