import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadAll } from 'js-yaml';
import { compileProjectSync } from '../src/pipeline.js';
import { FULL_ORG, generateOrg, type OrgSize } from './generate-org.js';

/**
 * Issue 2's benchmark: full validate + resolve of a synthetic organisation against a bare
 * js-yaml load of the same files, measured in the same run (a ratio, so the machine's speed
 * cancels out). Run: `npx tsx bench/compile.bench.ts [--users N]`.
 */
const usersFlag = process.argv.indexOf('--users');
const size: OrgSize = usersFlag > 0 ? { ...FULL_ORG, users: Number(process.argv[usersFlag + 1]) } : FULL_ORG;
const rounds = 3;

const root = mkdtempSync(path.join(tmpdir(), 'warden-bench-'));
try {
  const { files, bytes } = generateOrg(root, size);
  const texts = files.map((file) => readFileSync(path.join(root, file), 'utf8'));
  const jsYaml: number[] = [];
  const warden: number[] = [];
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
  const best = (xs: number[]) => Math.min(...xs);
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  console.log(`input: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB; ${summary}`);
  console.log(`js-yaml loadAll (bare):      best ${best(jsYaml).toFixed(0)} ms of ${rounds}`);
  console.log(`warden validate + resolve:   best ${best(warden).toFixed(0)} ms of ${rounds}`);
  console.log(`ratio warden / js-yaml:      ${(best(warden) / best(jsYaml)).toFixed(2)} (goal <= 2.00)`);
  console.log(`peak memory (process max RSS): ${peakMiB.toFixed(0)} MiB (goal < 1536)`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
