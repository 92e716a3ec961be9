import { code } from '../plan/render-access-diff-markdown.js';
import { formatLoc } from './provenance-text.js';
import { cellKind, userFacts } from './facts.js';
import type { AuditReport } from './types.js';

/**
 * The audit as markdown, for a repository wiki or a review: overview and findings first, then
 * subjects, API keys, and one section per user. Chunks per user, like every audit renderer.
 * Every policy string is in a code span (escaped), so it cannot inject markup.
 */
export function* renderAuditMarkdown(report: AuditReport): Generator<string> {
  const c = report.counts;
  yield `# Access audit — ${report.date}\n\n`;
  yield '## Overview\n\n| | |\n|---|---:|\n';
  const rows: [string, number][] = [
    ['Users', c.users],
    ['Enabled users', c.enabledUsers],
    ['Disabled users', c.disabledUsers],
    ['Administrators', c.admins],
    ['Users bypassing row rules', c.bypassUsers],
    ['Groups', c.groups],
    ['Roles (custom)', c.customRoles],
    ['Subjects', c.subjects],
    ['Rules', c.rules],
    ['Attributes', c.attributes],
    ['API keys', c.apiKeys],
    ['Findings (warnings)', c.findings],
  ];
  yield rows.map(([label, n]) => `| ${label} | ${label.startsWith('Findings') ? `${n} (${c.warnings})` : n} |\n`).join('');
  yield `\n## Findings\n\n`;
  if (report.findings.length === 0) yield 'No findings.\n';
  else {
    yield '| Severity | Kind | About | Finding | Where |\n|---|---|---|---|---|\n';
    for (const f of report.findings) yield `| ${f.severity} | ${f.kind} | ${cell(f.target)} | ${cell(f.message)} | ${cell(formatLoc(f.loc))} |\n`;
  }
  yield `\n## Administrators and bypass\n\n- Administrators: ${list(report.admins)}\n- Bypass row rules: ${list(report.bypass)}\n`;

  yield '\n## Subjects\n\n| Subject | Restricted | Granted to | Rules | Full | Filtered | Denied by filter | No access |\n|---|---|---|---|---:|---:|---:|---:|\n';
  for (const s of report.subjects) {
    const granted = s.openToEveryone ? '(open to every user)' : s.grantedTo.map((g) => g.group).join(', ') || '(nobody)';
    yield `| ${cell(s.name)} | ${s.restricted ? 'yes' : 'no'} | ${cell(granted)} | ${cell(s.rules.map((r) => `${r.name}: ${r.text}`).join('; ') || '—')} | ${s.counts.full} | ${s.counts.filtered} | ${s.counts.denied} | ${s.counts.none} |\n`;
  }

  yield '\n## API keys\n\n';
  if (report.apiKeys.length === 0) yield 'No API keys.\n';
  else {
    yield '| Key | User | Expires | Valid | Problems |\n|---|---|---|---|---|\n';
    for (const k of report.apiKeys) yield `| ${cell(k.name)} | ${cell(k.user)} | ${k.expires ?? '—'} | ${k.valid ? 'yes' : 'no'} | ${cell(k.problems.join('; ') || '—')} |\n`;
  }

  yield '\n## Users\n';
  for (let row = 0; row < report.logins.length; row++) {
    const f = userFacts(report, row);
    const flags = [f.enabled ? 'enabled' : 'disabled', f.admin ? 'admin' : '', f.bypassRowRules ? `bypasses row rules (${f.bypassBecause})` : ''].filter(Boolean).join(', ');
    let out = `\n### ${code(f.login)}${f.name ? ` — ${code(f.name)}` : ''}\n\n${flags}\n\n`;
    if (f.groups.length > 0) out += `- Groups: ${f.groups.map((g) => `${code(g.name)} (${g.because.join('; ')})`).join(', ')}\n`;
    if (f.roles.length > 0) out += `- Roles: ${f.roles.map((r) => `${code(r.name)} (${r.because.join('; ')})`).join(', ')}\n`;
    if (f.permissions.length > 0) out += `- Permissions: ${f.permissions.join(', ')}\n`;
    const attrs = f.attributes.filter((a) => a.values === 'all' || a.values.length > 0);
    if (attrs.length > 0) out += `- Attributes: ${attrs.map((a) => `${code(a.name)} = ${code(a.values === 'all' ? 'all' : a.values.join(', '))}`).join(', ')}\n`;
    const subjects = f.access.map((id, j) => ({ subject: report.subjects[j].name, id })).filter((x) => x.id !== null);
    if (subjects.length > 0) {
      out += '- Subjects:\n';
      for (const { subject, id } of subjects) out += `  - ${code(subject)}: ${cellKind(report, id)} — ${code(report.filterSets[id!].text)}\n`;
    } else out += '- Subjects: none\n';
    yield out;
  }
}

function cell(text: string): string {
  return code(text).replace(/\|/g, '\\|');
}

function list(items: string[]): string {
  return items.length === 0 ? 'none' : items.map(code).join(', ');
}
