import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAudit, renderAudit } from '../../src/audit/index.js';
import { compileProjectSync } from '../../src/pipeline.js';

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
