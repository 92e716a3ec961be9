import { formatLoc } from './provenance-text.js';
import { cellKind, userFacts } from './facts.js';
import type { AuditReport } from './types.js';

/**
 * The audit as one CSV in "long" form, so a spreadsheet can filter any fact:
 *   record,user,subject,name,value,detail
 * record is one of: finding, subject, api_key, user, group, role, permission, attribute, access.
 * Quoting follows RFC 4180; a cell starting with = + - @ is prefixed with ' so a spreadsheet
 * does not run it as a formula (CSV injection).
 */
export function* renderAuditCsv(report: AuditReport): Generator<string> {
  yield 'record,user,subject,name,value,detail\r\n';
  for (const f of report.findings) yield row('finding', '', '', f.kind, f.severity, `${f.message}${f.loc ? ` (${formatLoc(f.loc)})` : ''}`);
  for (const s of report.subjects) {
    const granted = s.openToEveryone ? '(open to every user)' : s.grantedTo.map((g) => g.group).join(' ');
    yield row('subject', '', s.name, s.restricted ? 'restricted' : 'open', `full=${s.counts.full} filtered=${s.counts.filtered} denied=${s.counts.denied} none=${s.counts.none}`, `granted to: ${granted}; rules: ${s.rules.map((r) => `${r.name}: ${r.text}`).join('; ')}`);
  }
  for (const k of report.apiKeys) yield row('api_key', k.user, '', k.name, k.valid ? 'valid' : 'invalid', [k.expires ? `expires ${k.expires}` : '', ...k.problems].filter(Boolean).join('; '));
  for (let r = 0; r < report.logins.length; r++) {
    const f = userFacts(report, r);
    let out = row('user', f.login, '', f.name ?? '', [f.enabled ? 'enabled' : 'disabled', f.admin ? 'admin' : '', f.bypassRowRules ? 'bypass' : ''].filter(Boolean).join(' '), f.bypassBecause);
    for (const g of f.groups) out += row('group', f.login, '', g.name, '', g.because.join('; '));
    for (const role of f.roles) out += row('role', f.login, '', role.name, '', role.because.join('; '));
    for (const p of f.permissions) out += row('permission', f.login, '', p, '', '');
    for (const a of f.attributes) out += row('attribute', f.login, '', a.name, a.values === 'all' ? 'all' : a.values.join(' '), a.because.join('; '));
    for (let j = 0; j < f.access.length; j++) {
      const id = f.access[j];
      if (id === null) continue;
      out += row('access', f.login, report.subjects[j].name, cellKind(report, id), report.filterSets[id].text, '');
    }
    yield out;
  }
}

function row(...cells: string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
