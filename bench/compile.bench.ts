import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadAll, parseEvents } from 'js-yaml';
import { loadPolicyFiles } from '../src/load/load-files.js';
import type { LoadResult } from '../src/load/types.js';
import type { PolicySet } from '../src/model/policy.js';
import { compileProjectSync } from '../src/pipeline.js';
import { loadProjectConfig } from '../src/project/config.js';
import { resolve } from '../src/resolve/resolve.js';
import { mergeDocuments } from '../src/validate/merge.js';
import { allRules } from '../src/validate/rules/index.js';
import { checkDocumentsSchema } from '../src/validate/schema-check.js';
import { numberFlag } from './flags.js';
import { FULL_ORG, generateOrg, type OrgSize } from './generate-org.js';

/**
 * Issue 2's benchmark: full validate + resolve of a synthetic organisation against a bare
 * js-yaml load of the same files, measured in the same run (a ratio, so the machine's speed
 * cancels out). Run: `npx tsx bench/compile.bench.ts [--users N] [--rounds N]`.
 *
 * After the headline figures it prints a per-stage breakdown, timed by calling each stage's
 * function directly (the library itself carries no timers). The stages are run one after the
 * other on their own outputs, so their sum is close to, but not exactly, the full compile.
 */
const size: OrgSize = { ...FULL_ORG, users: numberFlag('--users') ?? FULL_ORG.users };
const rounds = numberFlag('--rounds') ?? 3;

const root = mkdtempSync(path.join(tmpdir(), 'warden-bench-'));
try {
  const { files, bytes } = generateOrg(root, size);
  const texts = files.map((file) => readFileSync(path.join(root, file), 'utf8'));
  const jsYaml: number[] = [];
  const warden: number[] = [];
  const stages = new Map<string, number[]>();
  const time = <T>(stage: string, run: () => T): T => {
    const start = performance.now();
    const result = run();
    const took = performance.now() - start;
    stages.set(stage, [...(stages.get(stage) ?? []), took]);
    return result;
  };
  let summary = '';
  for (let round = 0; round < rounds; round++) {
    let start = performance.now();
    for (const text of texts) loadAll(text);
    jsYaml.push(performance.now() - start);

    start = performance.now();
    const compiled = compileProjectSync(root);
    warden.push(performance.now() - start);
    if (compiled.model === null) {
      const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
      throw new Error(`the synthetic org does not compile: ${errors.slice(0, 5).map((d) => `${d.code} ${d.message} ${d.loc.file}:${d.loc.line}`).join('; ')}`);
    }
    summary = `${compiled.model.users.size} users, ${compiled.model.policy.groups.size} groups, ${compiled.model.policy.subjects.size} subjects, ${compiled.model.policy.rules.size} rules`;
  }
  // Read before the stage rounds, which hold several stages' outputs at once.
  const peakMiB = process.resourceUsage().maxRSS / 1024;

  // The same work stage by stage.
  for (let round = 0; round < rounds; round++) {
    time('  (reference: js-yaml parseEvents only)', () => {
      for (const text of texts) parseEvents(text, {});
    });
    const load: LoadResult = time('load (read + parse with positions)', () => loadPolicyFiles(root, loadProjectConfig(root).config.policies));
    time('schema check (ajv)', () => checkDocumentsSchema(load.documents));
    const policy: PolicySet = time('merge into a PolicySet', () => mergeDocuments(load.documents).policy);
    time('semantic rules', () => {
      for (const rule of allRules) time(`  rule ${rule.name}`, () => rule.check({ policy, documents: load.documents, report: () => {} }));
    });
    time('resolve', () => resolve(policy));
  }
  const best = (xs: number[]) => Math.min(...xs);
  console.log(`input: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB; ${summary}`);
  console.log(`js-yaml loadAll (bare):      best ${best(jsYaml).toFixed(0)} ms of ${rounds}`);
  console.log(`warden validate + resolve:   best ${best(warden).toFixed(0)} ms of ${rounds}`);
  console.log(`ratio warden / js-yaml:      ${(best(warden) / best(jsYaml)).toFixed(2)} (goal <= 2.00)`);
  console.log(`peak memory (process max RSS): ${peakMiB.toFixed(0)} MiB (goal < 1536)`);
  console.log(`\nper stage (best of ${rounds}, ms; x = multiple of the bare js-yaml load):`);
  for (const [stage, xs] of stages) {
    const ms = best(xs);
    console.log(`  ${stage.padEnd(44)} ${ms.toFixed(0).padStart(6)}  ${(ms / best(jsYaml)).toFixed(2)}x`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
