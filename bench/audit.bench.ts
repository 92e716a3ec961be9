import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildAudit, renderAudit, type AuditFormat } from '../src/audit/index.js';
import { writeChunksAtomically } from '../src/audit/write-chunks.js';
import { compileProjectSync } from '../src/pipeline.js';
import { numberFlag } from './flags.js';
import { FULL_ORG, generateOrg, type OrgSize } from './generate-org.js';

/**
 * Issue 6's audit goal on the synthetic organisation (100,000 users by default): the audit
 * report (buildAudit + the default HTML report written to disk) in at most 2x the full compile
 * (warden.yaml, load, validate, resolve). Ratios within one run, best of R rounds each, so the
 * machine's speed cancels out. With --browser, the report is also opened in headless Chromium
 * (/usr/bin/chromium): time to ready, to sort the users table, to open a subject (its cells for
 * every user are computed in the page) and to show a matrix page. With --formats, markdown,
 * CSV and JSON are timed once each (they print every cell; not the goal's report).
 *
 * Run: `npx tsx bench/audit.bench.ts [--users N] [--rounds R] [--browser] [--formats]`.
 */
const size: OrgSize = { ...FULL_ORG, users: numberFlag('--users') ?? FULL_ORG.users };
const rounds = numberFlag('--rounds') ?? 3;
const NOW = new Date('2026-06-01T00:00:00Z');
const ms = (t: number) => `${t.toFixed(0)} ms`;
const best = (xs: number[]) => Math.min(...xs);

const root = mkdtempSync(path.join(tmpdir(), 'warden-bench-audit-'));
try {
  generateOrg(root, size);
  const full: number[] = [];
  const builds: number[] = [];
  const audits: number[] = [];
  // CPU time (user + system) as well: on a shared machine it moves less than wall time.
  const fullCpu: number[] = [];
  const auditCpu: number[] = [];
  const cpu = (since: NodeJS.CpuUsage) => {
    const d = process.cpuUsage(since);
    return (d.user + d.system) / 1000;
  };
  const out = path.join(root, 'audit.html');
  for (let r = 0; r < rounds; r++) {
    let start = performance.now();
    let cpuStart = process.cpuUsage();
    const compiled = compileProjectSync(root, { now: NOW });
    full.push(performance.now() - start);
    fullCpu.push(cpu(cpuStart));
    if (!compiled.model) throw new Error(`the synthetic org does not compile: ${compiled.diagnostics.slice(0, 3).map((d) => d.message).join('; ')}`);
    start = performance.now();
    cpuStart = process.cpuUsage();
    const report = buildAudit(compiled.model, compiled.policy!, { now: NOW });
    builds.push(performance.now() - start);
    writeChunksAtomically(out, renderAudit(report, 'html'));
    audits.push(performance.now() - start);
    auditCpu.push(cpu(cpuStart));
    if (r === 0) console.log(`org: ${report.counts.users} users, ${report.counts.groups} groups, ${report.counts.subjects} subjects, ${report.counts.rules} rules, ${report.counts.attributes} attributes`);
  }
  const bytes = statSync(out).size;
  console.log(`full compile (load + validate + resolve): best ${ms(best(full))} of ${rounds}`);
  console.log(`audit, html (build ${ms(best(builds))} + html): best ${ms(best(audits))} of ${rounds}, ${(bytes / 1e6).toFixed(1)} MB`);
  console.log(`ratio audit / full compile: ${(best(audits) / best(full)).toFixed(2)} (goal <= 2.00); rounds: ${full.map((f, r) => `${ms(f)} / ${ms(audits[r])}`).join(', ')}`);
  console.log(`CPU time: compile best ${ms(best(fullCpu))}, audit best ${ms(best(auditCpu))}, ratio ${(best(auditCpu) / best(fullCpu)).toFixed(2)}`);
  console.log(`peak memory (process max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);

  if (process.argv.includes('--formats')) {
    const compiled = compileProjectSync(root, { now: NOW });
    for (const format of ['markdown', 'csv', 'json'] as AuditFormat[]) {
      const start = performance.now();
      const report = buildAudit(compiled.model!, compiled.policy!, { now: NOW });
      const written = writeChunksAtomically(path.join(root, `audit.${format}`), renderAudit(report, format));
      console.log(`audit, ${format} (every cell): ${ms(performance.now() - start)}, ${(written / 1e6).toFixed(1)} MB`);
    }
  }

  if (process.argv.includes('--browser')) {
    if (!existsSync('/usr/bin/chromium')) console.log('browser: /usr/bin/chromium is not installed, skipped');
    else await openInBrowser(out);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

async function openInBrowser(file: string): Promise<void> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    let start = performance.now();
    await page.goto(`file://${file}`, { timeout: 300_000 });
    await page.waitForSelector('body[data-ready="true"]', { timeout: 300_000 });
    console.log(`browser: open until ready ${ms(performance.now() - start)}`);
    await page.click('nav button[data-tab="users"]');
    start = performance.now();
    await page.click('[data-table="users"] th:nth-child(6)');
    console.log(`browser: sort users by "Filtered" ${ms(performance.now() - start)} (${await page.innerText('[data-table="users"] .count')})`);
    const unfiltered = await page.innerText('[data-table="users"] .count');
    start = performance.now();
    await page.fill('[data-table="users"] input', 'group_0042');
    await page.waitForFunction(
      (before) => (globalThis as unknown as { document: { querySelector(s: string): { innerText: string } } }).document.querySelector('[data-table="users"] .count').innerText !== before,
      unfiltered,
      { timeout: 300_000 },
    );
    console.log(`browser: filter users by a group name (every user's groups computed) ${ms(performance.now() - start)} (${await page.innerText('[data-table="users"] .count')})`);
    await page.click('nav button[data-tab="subjects"]');
    start = performance.now();
    await page.click('[data-table="subjects"] tbody tr:first-child');
    await page.waitForSelector('#subject-detail [data-table="subject-users"]');
    console.log(`browser: open a subject (its cell for every user) ${ms(performance.now() - start)} (${await page.innerText('#subject-detail h3:nth-of-type(2)')})`);
    await page.click('nav button[data-tab="matrix"]');
    start = performance.now();
    await page.click('#matrix .pager button:last-child');
    console.log(`browser: next matrix page (40 users x ${size.subjects} subjects) ${ms(performance.now() - start)}`);
    console.log(`browser: page errors: ${errors.length === 0 ? 'none' : errors.join('; ')}`);
  } finally {
    await browser.close();
  }
}
