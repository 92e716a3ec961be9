import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompileResult, TargetConfig } from '../../src/targets/target.js';
import { compileTarget, fixtures, loadProject, NOW, PLATFORM_TARGETS, repoRoot } from './helpers.js';

/**
 * Golden artifacts of the demo, every example (and this suite's fixture) for every GoodData and Holistics
 * target, reviewed like code. `UPDATE_GOLDEN=1` rewrites them; otherwise they must match exactly.
 */
const update = process.env.UPDATE_GOLDEN === '1';
const goldenRoot = path.join(repoRoot, 'test', 'platforms', 'golden');

const projects = [
  { name: 'demo', root: repoRoot },
  ...readdirSync(path.join(repoRoot, 'examples')).map((d) => ({ name: d, root: path.join(repoRoot, 'examples', d) })),
  { name: 'fixture-shop', root: path.join(fixtures, 'shop') },
].filter((p) => existsSync(path.join(p.root, 'warden.yaml')));

/**
 * Each project's own gooddata/holistics targets; a project without one of the two platforms is
 * compiled for it with a minimal target (`gooddata` with workspace `example`, `holistics`), so
 * every example is seen on every API platform.
 */
const cases = projects.flatMap((p) => {
  const { contexts } = loadProject(p.root);
  const own = [...contexts].filter(([, c]) => c.target.type === 'gooddata' || c.target.type === 'holistics');
  const synthetic = (['gooddata', 'holistics'] as const)
    .filter((type) => !own.some(([, c]) => c.target.type === type))
    .map((type) => ({ ...p, target: `${type}-default`, synthetic: { name: `${type}-default`, type, loc: { file: 'warden.yaml', line: 1, column: 1 }, options: type === 'gooddata' ? { workspace: 'example' } : {}, optionLocs: {} } as TargetConfig }));
  return [...own.map(([target]) => ({ ...p, target, synthetic: undefined as TargetConfig | undefined })), ...synthetic].sort((a, b) => (a.target < b.target ? -1 : 1));
});

function compileCase(c: (typeof cases)[number]): CompileResult {
  if (!c.synthetic) return compileTarget(c.root, c.target);
  const { model, contexts } = loadProject(c.root);
  const base = [...contexts.values()][0] ?? { env: {}, projectRoot: c.root, now: NOW };
  return PLATFORM_TARGETS[c.synthetic.type].compile(model, { ...base, target: c.synthetic, env: {} });
}

describe('golden platform artifacts', () => {
  it.each(cases.map((c) => [`${c.name} ${c.target}`, c] as const))('%s', (_, c) => {
    const result = compileCase(c);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const folder = path.join(goldenRoot, c.name, c.target);
    if (update) {
      rmSync(folder, { recursive: true, force: true });
      mkdirSync(folder, { recursive: true });
      for (const a of result.artifacts) writeFileSync(path.join(folder, a.path), a.content);
    }
    expect(existsSync(folder), `no golden files in ${folder}; run with UPDATE_GOLDEN=1`).toBe(true);
    expect(readdirSync(folder).sort()).toEqual(result.artifacts.map((a) => a.path).sort());
    for (const a of result.artifacts) expect(a.content, `${c.name}/${c.target}/${a.path}`).toBe(readFileSync(path.join(folder, a.path), 'utf8'));
  });
});

describe('the goldens say what the seeds describe', () => {
  const example = path.join(goldenRoot, 'holistics-ecommerce', 'holistics', 'embed-payloads.json');
  it.runIf(existsSync(example))('Holistics (seed 001): the Vietnam manager sees Vietnam; the consultant also only Ha Noi', () => {
    type Row = { path: { model: string; field: string }; operator: string; values: unknown[] };
    const users = (JSON.parse(readFileSync(example, 'utf8')) as { users: Record<string, { ecommerce: { permissions?: { row_based: Row[] } } }> }).users;
    const field = (login: string, name: string) => users[login].ecommerce.permissions!.row_based.filter((r) => r.path.field === name);
    expect(field('vn.manager@ecommerce.example', 'country_name')).toEqual([expect.objectContaining({ operator: 'is', values: ['Vietnam'] })]);
    expect(field('vn.manager@ecommerce.example', 'city_name')).toEqual([]);
    expect(field('consultant@ecommerce.example', 'country_name')).toEqual([expect.objectContaining({ operator: 'is', values: ['Vietnam'] })]);
    expect(field('consultant@ecommerce.example', 'city_name')).toEqual([expect.objectContaining({ operator: 'is', values: ['Ha Noi'] })]);
  });
});
