import type { Loc } from '../diagnostics/diagnostic.js';
import { userFacts } from './facts.js';
import type { AuditReport } from './types.js';

/**
 * The audit as JSON (`schemas/audit.schema.json`, version 1), produced as chunks (one per user)
 * so a 100,000-user report is never one giant string. Keys are in a fixed order and lists sorted.
 * `users[].access[j]` is the filter-set id of the user on `subjects[j]` (see `filter_sets`;
 * 0 = access without row filters), or null without access.
 */
export const AUDIT_JSON_VERSION = 1;

export function* renderAuditJson(report: AuditReport): Generator<string> {
  const c = report.counts;
  const head = {
    version: AUDIT_JSON_VERSION,
    date: report.date,
    counts: {
      users: c.users,
      enabled_users: c.enabledUsers,
      disabled_users: c.disabledUsers,
      admins: c.admins,
      bypass_users: c.bypassUsers,
      groups: c.groups,
      roles: c.roles,
      custom_roles: c.customRoles,
      subjects: c.subjects,
      rules: c.rules,
      attributes: c.attributes,
      api_keys: c.apiKeys,
      findings: c.findings,
      warnings: c.warnings,
    },
    findings: report.findings.map((f) => ({ kind: f.kind, severity: f.severity, target: f.target, message: f.message, loc: loc(f.loc) })),
    subjects: report.subjects.map((s) => {
      const out: Record<string, unknown> = { name: s.name };
      if (s.description !== undefined) out.description = s.description;
      out.restricted = s.restricted;
      out.open_to_everyone = s.openToEveryone;
      if (s.table !== undefined) out.table = s.table;
      out.granted_to = s.grantedTo.map((g) => ({ group: g.group, loc: loc(g.loc) }));
      out.rules = s.rules.map((r) => ({ name: r.name, text: r.text, loc: loc(r.loc) }));
      out.users = { full: s.counts.full, filtered: s.counts.filtered, denied: s.counts.denied, none: s.counts.none };
      out.loc = loc(s.loc);
      return out;
    }),
    filter_sets: report.filterSets.map((f) => ({ id: f.id, subject: f.subject, kind: f.kind, text: f.text, filters: f.filters })),
    api_keys: report.apiKeys.map((k) => {
      const out: Record<string, unknown> = { name: k.name, user: k.user };
      if (k.description !== undefined) out.description = k.description;
      if (k.expires !== undefined) out.expires = k.expires;
      out.valid = k.valid;
      out.problems = k.problems;
      out.loc = loc(k.loc);
      return out;
    }),
    admins: report.admins,
    bypass_row_rules: report.bypass,
  };
  const text = JSON.stringify(head, null, 2);
  // Open the object again to append the users one per line.
  yield `${text.slice(0, text.length - 2)},\n  "users": [`;
  for (let row = 0; row < report.logins.length; row++) {
    const f = userFacts(report, row);
    const user: Record<string, unknown> = { login: f.login };
    if (f.name !== undefined) user.name = f.name;
    if (f.email !== undefined) user.email = f.email;
    user.enabled = f.enabled;
    user.admin = f.admin;
    user.bypass_row_rules = f.bypassRowRules;
    user.groups = f.groups;
    user.roles = f.roles;
    user.permissions = f.permissions;
    user.attributes = f.attributes;
    user.api_keys_enabled = f.apiKeysEnabled;
    user.home = f.home;
    user.access = f.access;
    yield `${row === 0 ? '\n' : ',\n'}    ${JSON.stringify(user)}`;
  }
  yield `${report.logins.length > 0 ? '\n  ' : ''}]\n}\n`;
}

function loc(l: Loc | undefined): { file: string; line: number; column: number } | null {
  if (!l || l.file === '<builtin>' || l.line <= 0) return null;
  return { file: l.file, line: l.line, column: l.column };
}
