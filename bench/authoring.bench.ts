import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildAudit, renderAudit } from '../src/audit/index.js';
import { writeChunksAtomically } from '../src/audit/write-chunks.js';
import { accessDiff } from '../src/plan/access-diff.js';
import { compileProjectSync } from '../src/pipeline.js';
import { IncrementalProject } from '../src/watch/incremental.js';
import { FULL_ORG, generateOrg, type OrgSize } from './generate-org.js';

/**
 * Issue 6's benchmark, on the synthetic organisation (100,000 users by default):
 *  1. watch: after the initial load, a one-file edit that changes one user, re-validated and
 *     re-resolved by the incremental project, against the full load (goal <= 5%);
 *  2. audit: building the report and writing the HTML, against the full compile (goal <= 2x).
 * Ratios within one run, so the machine's speed cancels out.
 * Run: `npx tsx bench/authoring.bench.ts [--users N] [--rounds R]`.
 */
const flag = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : undefined;
};
const size: OrgSize = { ...FULL_ORG, users: flag('--users') ?? FULL_ORG.users };
const rounds = flag('--rounds') ?? 3;
const NOW = new Date('2026-06-01T00:00:00Z');

const root = mkdtempSync(path.join(tmpdir(), 'warden-bench-authoring-'));
const ms = (t: number) => `${t.toFixed(0)} ms`;
const best = (xs: number[]) => Math.min(...xs);
try {
  const { files } = generateOrg(root, size);
  const userFile = files.find((f) => f.includes('users-'))!;

  // Full compile: warden.yaml, load, validate, resolve (what every command pays).
  const full: number[] = [];
  let model = null;
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    const compiled = compileProjectSync(root, { now: NOW });
    full.push(performance.now() - start);
    if (!compiled.model) throw new Error(`the synthetic org does not compile: ${compiled.diagnostics.slice(0, 3).map((d) => d.message).join('; ')}`);
    model = compiled.model;
  }
  console.log(`org: ${model!.users.size} users, ${model!.policy.groups.size} groups, ${model!.policy.subjects.size} subjects, ${model!.policy.rules.size} rules`);
  console.log(`full compile (load + validate + resolve): best ${ms(best(full))} of ${rounds}`);

  // Watch: initial load, then one-user edits of one file.
  const project = new IncrementalProject(root, ['policies'], { now: () => NOW });
  let start = performance.now();
  let state = project.update();
  const initial = performance.now() - start;
  console.log(`watch initial load: ${ms(initial)}`);
  const original = readFileSync(path.join(root, userFile), 'utf8');
  const edits: { total: number; load: number; validate: number; resolve: number; diff: number; changed: number }[] = [];
  for (let r = 0; r < rounds; r++) {
    const before = state.model!;
    // Move the file's second user (the first is disabled) to another group: one user's access changes.
    const edited = original.replace(/(\n  user\d+@example\.com:\n    groups: \[[^\]]*\][\s\S]*?\n  user\d+@example\.com:\n    groups: )\[[^\]]*\]/, `$1[group_${String(1000 + r).padStart(4, '0')}]`);
    if (edited === original) throw new Error('the edit did not apply');
    writeFileSync(path.join(root, userFile), edited);
    start = performance.now();
    state = project.update([userFile]);
    const total = performance.now() - start;
    if (!state.model) throw new Error('the edit broke the org');
    start = performance.now();
    const diff = accessDiff(before, state.model);
    const diffMs = performance.now() - start;
    edits.push({ total, load: state.timings.loadMs, validate: state.timings.validateMs, resolve: state.timings.resolveMs, diff: diffMs, changed: diff.users.length });
    if (state.reparsed.length !== 1) throw new Error(`expected one file re-read, got ${state.reparsed.length}`);
  }
  const edit = edits.reduce((a, b) => (a.total <= b.total ? a : b));
  console.log(
    `watch one-user edit: best ${ms(edit.total)} of ${rounds} (re-read 1 of ${files.length} files ${ms(edit.load)}, validate ${ms(edit.validate)}, resolve ${ms(edit.resolve)}); access diff ${ms(edit.diff)} (${edit.changed} user changed)`,
  );
  console.log(`ratio edit / full compile: ${((edit.total / best(full)) * 100).toFixed(1)}% (goal <= 5%)`);

  // Audit: build + HTML written to disk.
  const out = path.join(root, 'audit.html');
  const audits: number[] = [];
  const builds: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const compiled = compileProjectSync(root, { now: NOW });
    start = performance.now();
    const report = buildAudit(compiled.model!, compiled.policy!, { now: NOW });
    builds.push(performance.now() - start);
    writeChunksAtomically(out, renderAudit(report, 'html'));
    audits.push(performance.now() - start);
  }
  const bytes = statSync(out).size;
  console.log(`audit (build ${ms(best(builds))} + html): best ${ms(best(audits))} of ${rounds}, ${(bytes / 1e6).toFixed(1)} MB`);
  console.log(`ratio audit / full compile: ${(best(audits) / best(full)).toFixed(2)} (goal <= 2.00)`);
  console.log(`peak memory (process max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
