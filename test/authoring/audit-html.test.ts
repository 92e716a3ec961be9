import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL_ORG, generateOrg } from '../../bench/generate-org.js';
import { filterSetKind } from '../../src/audit/filter-kind.js';
import { buildAudit, renderAudit, type AuditReport } from '../../src/audit/index.js';
import { describeFilters } from '../../src/plan/access-diff-format.js';
import { snapshotFilters } from '../../src/plan/access-diff-snapshot.js';
import { compileProjectSync } from '../../src/pipeline.js';
import { subjectAccess } from '../../src/resolve/access.js';
import type { ResolvedModel } from '../../src/resolve/model.js';

/**
 * Opens the HTML audit of the demo project in headless Chromium: no console errors, the tabs,
 * sorting and filtering work, details show provenance; a screenshot is kept as a test artifact
 * (test-artifacts/audit.png, copied to docs/audit-report.png for the README).
 */
const CHROMIUM = '/usr/bin/chromium';
const ROOT = new URL('../..', import.meta.url).pathname;
const ARTIFACTS = path.join(ROOT, 'test-artifacts');

const HAVE_CHROMIUM = existsSync(CHROMIUM);
const TITLE = HAVE_CHROMIUM ? 'the HTML audit in a browser' : 'the HTML audit in a browser — SKIPPED: /usr/bin/chromium is not installed (apt-get install chromium)';

describe.skipIf(!HAVE_CHROMIUM)(TITLE, () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    const compiled = compileProjectSync(ROOT, { now: new Date('2026-11-23T00:00:00Z') });
    const report = buildAudit(compiled.model!, compiled.policy!, { now: new Date('2026-11-23T00:00:00Z') });
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, 'audit.html');
    writeFileSync(file, [...renderAudit(report, 'html')].join(''));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') errors.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    // Any request leaving the file is a failure: the report must be self-contained.
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) errors.push(`network: ${request.url()}`);
    });
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready="true"]');
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** Waits until `selector` matches `count` elements (the page's CSP forbids string evaluation). */
  type Doc = { querySelectorAll(selector: string): { length: number } };
  const waitForCount = (selector: string, count: number) =>
    page.waitForFunction(([sel, n]) => (globalThis as unknown as { document: Doc }).document.querySelectorAll(sel as string).length === n, [selector, count] as const);

  const column = (table: string, index: number) =>
    page.$$eval(`[data-table="${table}"] tbody tr`, (rows, i) => rows.map((row) => (row.children[i] as unknown as { innerText: string }).innerText), index);

  it('opens on the overview with counts and findings, and no console errors', async () => {
    expect(await page.isVisible('#overview')).toBe(true);
    expect(await page.innerText('#overview .cards')).toContain('Users');
    expect(await column('findings', 1)).toEqual(['admin', 'all-values', 'bypass', 'subject-open-to-everyone']);
    await page.screenshot({ path: path.join(ARTIFACTS, 'audit-overview.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('sorts and filters the users table', async () => {
    await page.click('nav button[data-tab="users"]');
    const logins = await column('users', 0);
    expect(logins).toEqual([...logins].sort());
    expect(logins).toHaveLength(8);
    await page.click('[data-table="users"] th:nth-child(1)');
    await page.click('[data-table="users"] th:nth-child(1)');
    expect(await page.getAttribute('[data-table="users"] th:nth-child(1)', 'aria-sort')).toBe('descending');
    expect(await column('users', 0)).toEqual([...logins].sort().reverse());
    // Sort by the number of subjects without access: the leaver (2) comes last ascending.
    await page.click('[data-table="users"] th:nth-child(8)');
    expect((await column('users', 0)).at(-1)).toBe('leaver@acme.com');
    await page.fill('[data-table="users"] input', 'manager@');
    await waitForCount('[data-table="users"] tbody tr', 2);
    expect((await column('users', 0)).sort()).toEqual(['sg.manager@acme.com', 'vn.manager@acme.com']);
    expect(await page.innerText('[data-table="users"] .count')).toBe('2 of 8 users');
    expect(errors).toEqual([]);
  });

  it('shows a user with provenance and their filtered subjects', async () => {
    await page.fill('[data-table="users"] input', 'apac.lead');
    await waitForCount('[data-table="users"] tbody tr', 1);
    await page.click('[data-table="users"] tbody tr');
    const detail = await page.innerText('#user-detail');
    expect(detail).toContain('apac.lead@acme.com — APAC Lead');
    expect(detail).toContain('country {Malaysia, Singapore, Vietnam}');
    const title = await page.getAttribute('#user-detail summary[title*="via"]', 'title');
    expect(title).toMatch(/via (malaysia|singapore|vietnam) → apac \(policies\/people\/groups\.yaml:\d+\)/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'audit.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('shows who sees a subject and colours the access matrix', async () => {
    await page.click('nav button[data-tab="subjects"]');
    await page.click('[data-table="subjects"] th:nth-child(5)'); // Full
    await page.click('[data-table="subjects"] tbody tr:first-child');
    expect(await page.innerText('#subject-detail h3')).toMatch(/^Subject (sales|stores)$/);
    await page.click('nav button[data-tab="matrix"]');
    const kinds = await page.$$eval('#matrix tbody tr', (rows) =>
      Object.fromEntries(rows.map((r) => [(r.children[0] as unknown as { innerText: string }).innerText, [...r.querySelectorAll('td.c')].map((c) => c.getAttribute('data-kind'))])),
    );
    expect(kinds['new.hire@acme.com']).toEqual(['denied', 'filtered']);
    expect(kinds['leaver@acme.com']).toEqual(['none', 'none']);
    expect(kinds['admin@acme.com']).toEqual(['full', 'full']);
    await page.fill('#matrix input[aria-label="Filter matrix subjects"]', 'stores');
    await waitForCount('#matrix thead th.subj', 1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'audit-matrix.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('keeps a copy of the screenshot for the README', () => {
    mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
    copyFileSync(path.join(ARTIFACTS, 'audit.png'), path.join(ROOT, 'docs', 'audit-report.png'));
    expect(existsSync(path.join(ROOT, 'docs', 'audit-report.png'))).toBe(true);
  });
});

/**
 * A larger report in the browser: the cells the page draws (computed by its script from the
 * embedded factors) are the resolver's, and the per-subject view counts the same users as the
 * server's counts.
 */
describe.skipIf(!HAVE_CHROMIUM)(`${TITLE} — a 300-user synthetic organisation`, () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const root = mkdtempSync(path.join(tmpdir(), 'warden-audit-html-org-'));
  let report: AuditReport;
  let model: ResolvedModel;

  beforeAll(async () => {
    generateOrg(root, { ...FULL_ORG, users: 300 });
    const compiled = compileProjectSync(root, { now: new Date('2026-06-01T00:00:00Z') });
    model = compiled.model!;
    report = buildAudit(model, compiled.policy!, { now: new Date('2026-06-01T00:00:00Z') });
    const file = path.join(root, 'audit.html');
    writeFileSync(file, [...renderAudit(report, 'html')].join(''));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') errors.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready="true"]');
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('draws the matrix cells the resolver gives, on two pages', async () => {
    await page.click('nav button[data-tab="matrix"]');
    for (const pageIndex of [0, 3]) {
      if (pageIndex > 0) for (let k = 0; k < pageIndex; k++) await page.click('#matrix .pager button:last-child');
      const drawn = await page.$$eval('#matrix tbody tr', (rows) =>
        rows.map((r) => [(r.children[0] as unknown as { innerText: string }).innerText, [...r.querySelectorAll('td.c')].map((c) => `${c.getAttribute('data-kind')} ${c.getAttribute('title')}`)] as const),
      );
      expect(drawn).toHaveLength(40);
      for (const [login, cells] of drawn) {
        const expected = report.subjects.map((s) => {
          const access = subjectAccess(model, login, s.name);
          const filters = snapshotFilters(access.filters);
          const kind = access.access ? filterSetKind(filters) : 'none';
          const label = { full: 'full', filtered: 'filtered', denied: 'no rows', none: 'no access' }[kind];
          return `${kind} ${login} × ${s.name}: ${label}${filters.length > 0 && access.access ? ` — ${describeFilters(filters)}` : ''}`;
        });
        expect(cells).toEqual(expected);
      }
    }
    expect(errors).toEqual([]);
  });

  it('lists who sees a subject as the server counted them', async () => {
    await page.click('nav button[data-tab="subjects"]');
    await page.fill('[data-table="subjects"] input', 'subject_003');
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('[data-table="subjects"] tbody tr').length === 1);
    await page.click('[data-table="subjects"] tbody tr');
    const subject = report.subjects.find((s) => s.name === 'subject_003')!;
    const seeing = subject.counts.full + subject.counts.filtered + subject.counts.denied;
    expect(await page.innerText('#subject-detail h3:nth-of-type(2)')).toBe(`Who can see it (${seeing} users)`);
    expect(errors).toEqual([]);
  });
});
