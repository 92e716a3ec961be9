import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { incortaTarget } from '../../src/targets/incorta/index.js';
import { inmydataTarget } from '../../src/targets/inmydata/index.js';
import type { TargetDefinition } from '../../src/targets/target.js';
import { typescriptTarget } from '../../src/targets/typescript/index.js';
import { checkGolden, compileWith, formatDiagnostics, loadModel, projects, repo, targetConfig } from './compile-target.js';

/**
 * Golden artifacts of the incorta, inmydata and typescript targets for every example and every
 * fixture project, in test/targets/golden/<project>/<target>/. `diagnostics.txt` records what the
 * compile reported (a project a platform cannot express has only that file). A change here is a
 * change in what a platform's admin is told to set up: review it, then
 * `UPDATE_GOLDEN=1 npx vitest run test/targets/golden.test.ts`.
 */
const targets: TargetDefinition[] = [incortaTarget, inmydataTarget, typescriptTarget];

describe.each(projects())('$name', ({ name, root }) => {
  it.each(targets.map((t) => [t.type, t] as const))('%s matches its golden artifacts', (type, definition) => {
    const { model, targets: configured } = loadModel(root);
    const result = compileWith(definition, model, targetConfig(configured, type), root);
    const files = new Map(result.artifacts.map((a) => [a.path, a.content]));
    files.set('diagnostics.txt', `${formatDiagnostics(result.diagnostics)}\n`);
    expect(checkGolden(path.join(repo, 'test/targets/golden', name, type), files)).toEqual([]);
  });

  it.each(targets.map((t) => [t.type, t] as const))('%s is deterministic', (type, definition) => {
    const first = loadModel(root);
    const second = loadModel(root);
    const a = compileWith(definition, first.model, targetConfig(first.targets, type), root);
    const b = compileWith(definition, second.model, targetConfig(second.targets, type), root);
    expect(b).toEqual(a);
  });
});
