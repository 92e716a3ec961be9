import type { Condition, PolicySet, RuleDef } from '../model/policy.js';
import { formatValues } from '../plan/access-diff-format.js';
import type { ResolvedModel } from '../resolve/model.js';
import { countAccess } from './access-counts.js';
import { buildAccessProfile } from './access-profile.js';
import { collectFindings } from './findings.js';
import { computeAccessMatrix, type AccessMatrix } from './matrix.js';
import type { AuditApiKey, AuditReport, AuditSubject } from './types.js';

export interface AuditOptions {
  /** The day the audit is for; defaults to today. Passed in so reports are reproducible. */
  now?: Date;
}

/**
 * Builds the audit of a resolved policy set (SPEC 10): counts, the access matrix of every user
 * on every subject, per-subject summaries, API keys, administrators, bypassing users and the
 * findings. Pure: the same model and date give the same report.
 */
export function buildAudit(model: ResolvedModel, policy: PolicySet = model.policy, options: AuditOptions = {}): AuditReport {
  const date = (options.now ?? new Date()).toISOString().slice(0, 10);
  const profile = buildAccessProfile(model);
  const access = countAccess(profile);

  const subjects: AuditSubject[] = profile.subjects.map(({ name, def }, j) => {
    const subject: AuditSubject = {
      name,
      loc: def.loc,
      restricted: def.restricted,
      openToEveryone: !def.restricted && !policy.settings.enforceSubjectAccess,
      grantedTo: [],
      rules: [],
      counts: access.subjects[j],
    };
    if (def.description !== undefined) subject.description = def.description;
    if (def.table) subject.table = def.table.value;
    return subject;
  });
  const bySubject = new Map(subjects.map((s) => [s.name, s]));
  for (const [group, def] of policy.groups) {
    for (const ref of def.subjects) bySubject.get(ref.value)?.grantedTo.push({ group, loc: ref.loc });
  }
  for (const [name, rule] of policy.rules) bySubject.get(rule.subject.value)?.rules.push({ name, loc: rule.loc, text: describeRule(rule) });
  for (const subject of subjects) {
    subject.grantedTo.sort((a, b) => cmp(a.group, b.group));
    subject.rules.sort((a, b) => cmp(a.name, b.name));
  }

  const apiKeys: AuditApiKey[] = [...model.apiKeys.values()]
    .map((key) => {
      const def = policy.apiKeys.get(key.name);
      const out: AuditApiKey = { name: key.name, user: key.user, loc: key.loc, valid: key.valid, problems: [...key.problems] };
      if (def?.description !== undefined) out.description = def.description;
      if (key.expires !== undefined) out.expires = key.expires;
      return out;
    })
    .sort((a, b) => cmp(a.name, b.name));

  const users = [...model.users.values()];
  const admins = users.filter((u) => u.enabled && u.admin).map((u) => u.login);
  const bypass = users.filter((u) => u.enabled && u.bypassRowRules.value).map((u) => u.login);
  const findings = collectFindings(profile, access.ruleUse, subjects, apiKeys);
  const enabled = users.filter((u) => u.enabled).length;
  const roles = [...policy.roles.values()];

  // Every cell's filter set, only for the renderers that print every cell (markdown, csv, json).
  let matrix: AccessMatrix | undefined;
  const materialised = () => (matrix ??= computeAccessMatrix(profile));
  return {
    date,
    model,
    policy,
    counts: {
      users: users.length,
      enabledUsers: enabled,
      disabledUsers: users.length - enabled,
      admins: admins.length,
      bypassUsers: bypass.length,
      groups: policy.groups.size,
      roles: roles.length,
      customRoles: roles.filter((r) => !r.builtin).length,
      subjects: subjects.length,
      rules: policy.rules.size,
      attributes: policy.attributes.size,
      apiKeys: apiKeys.length,
      findings: findings.length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
    },
    logins: profile.logins,
    subjects,
    profile,
    userCounts: access.users,
    get filterSets() {
      return materialised().filterSets;
    },
    get matrix() {
      return materialised().cells;
    },
    findings,
    apiKeys,
    admins,
    bypass,
  };
}

/** A rule as written, in one line: `country in attribute country`, `any(a | b)`, with its `applies_to`. */
export function describeRule(rule: RuleDef): string {
  const text = rule.isAny ? `any(${rule.conditions.map(describeCondition).join(' | ')})` : rule.conditions.map(describeCondition).join('');
  if (!rule.appliesTo) return text;
  const who = [...rule.appliesTo.groups.map((g) => `group ${g.value}`), ...rule.appliesTo.users.map((u) => u.value)];
  return `${text}, applies to ${who.join(', ')}`;
}

function describeCondition(c: Condition): string {
  const target = c.modifier
    ? `${c.modifier.value.amount} ${c.modifier.value.unit}`
    : c.attribute
      ? `attribute ${c.attribute.value}`
      : formatValues((c.values ?? []).map((v) => (typeof v.value === 'string' || typeof v.value === 'number' || typeof v.value === 'boolean' ? v.value : String(v.value))));
  return `${c.field.value} ${c.operator.value} ${target}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
