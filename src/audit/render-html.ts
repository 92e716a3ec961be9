import { htmlDataChunks } from './html-data.js';
import { AUDIT_MODEL_SCRIPT } from './html-model-script.js';
import { AUDIT_SCRIPT } from './html-script.js';
import { AUDIT_CSS } from './html-style.js';
import type { AuditReport } from './types.js';

/**
 * The audit as ONE self-contained HTML file: inline CSS and script, no network. The page opens
 * on the overview (counts and findings), with tabs for users, subjects, the access matrix and
 * API keys; printing shows every section. The facts are embedded as JSON and rendered by the
 * script a page at a time, and the file is produced in chunks in one pass. The data holds the
 * factors of access (html-data.ts), not the users x subjects cells: the browser computes the
 * cells it shows, so a 100,000-user report costs about what encoding its users costs.
 */
export function* renderAuditHtml(report: AuditReport, options: { title?: string } = {}): Generator<string> {
  const title = options.title ?? 'warden access audit';
  const c = report.counts;
  yield `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)} — ${escapeHtml(report.date)}</title>
<style>${AUDIT_CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p>Policies as of ${escapeHtml(report.date)}: ${c.users} users, ${c.groups} groups, ${c.subjects} subjects, ${c.rules} rules, ${c.findings} findings (${c.warnings} warnings).</p>
<nav aria-label="Sections">
<button type="button" data-tab="overview">Overview</button>
<button type="button" data-tab="users">Users</button>
<button type="button" data-tab="subjects">Subjects</button>
<button type="button" data-tab="matrix">Access matrix</button>
<button type="button" data-tab="keys">API keys</button>
</nav>
</header>
<main>
<noscript><p>This report renders its tables with JavaScript; the same facts are in <code>warden audit --format markdown</code>.</p></noscript>
<section id="overview"><h2>Overview</h2></section>
<section id="users"><h2>Users</h2><p class="muted">Click a user for their groups, roles, attributes and subjects; hover or open a group for why the user has it.</p></section>
<section id="subjects"><h2>Subjects</h2><p class="muted">Click a subject for who can see it and how it is filtered.</p></section>
<section id="matrix"><h2>Access matrix</h2><p class="muted">Users × subjects: full access, filtered rows, access whose filters admit no row, or no access. Hover a cell for its filters.</p></section>
<section id="keys"><h2>API keys</h2></section>
</main>
<script type="application/json" id="audit-data">`;
  yield* htmlDataChunks(report);
  yield `</script>
<script>${AUDIT_MODEL_SCRIPT}
${AUDIT_SCRIPT}</script>
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
