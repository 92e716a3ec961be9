import type { Provenance } from '../resolve/model.js';
import type { AccessProfile } from './access-profile.js';
import type { AuditApiKey, AuditSubject, Finding } from './types.js';

/**
 * The findings of SPEC 10: what an auditor should look at first. Warnings are likely mistakes
 * (unused definitions, rules that deny everyone, keys about to expire); infos are facts worth a
 * review (unrestricted values, open subjects, administrators, bypass).
 */
export function collectFindings(
  profile: AccessProfile,
  ruleUse: Map<string, { applied: number; denied: number }>,
  subjects: AuditSubject[],
  apiKeys: AuditApiKey[],
): Finding[] {
  const { model, policy } = profile;
  const findings: Finding[] = [];

  for (const [name, attribute] of policy.attributes) {
    if (attribute.default.kind === 'all') {
      findings.push({ kind: 'all-values', severity: 'info', target: `attribute ${name}`, message: `the default of ${name} is all: every user without a value is unrestricted`, loc: attribute.defaultLoc ?? attribute.loc });
    }
  }
  for (const [name, group] of policy.groups) {
    for (const [attribute, assignment] of group.attributes) {
      if (assignment.values.kind === 'all') {
        findings.push({ kind: 'all-values', severity: 'info', target: `group ${name}`, message: `group ${name} gives ${attribute}: all (unrestricted) to its members`, loc: assignment.loc });
      }
    }
  }
  for (const [login, user] of policy.users) {
    for (const [attribute, assignment] of user.attributes) {
      if (assignment.values.kind === 'all') {
        findings.push({ kind: 'all-values', severity: 'info', target: `user ${login}`, message: `${login} has ${attribute}: all (unrestricted)`, loc: assignment.loc });
      }
    }
  }

  for (const [name, group] of policy.groups) {
    if (name === policy.settings.defaultGroup) continue;
    // Members directly or through groups that inherit it (the model's groupMembers, without listing them).
    if (!profile.groupUsed[profile.groupId.get(name)!]) {
      findings.push({ kind: 'unused-group', severity: 'warning', target: `group ${name}`, message: `group ${name} has no members, directly or through groups that inherit it`, loc: group.loc });
    }
  }

  const compared = new Set<string>();
  for (const rule of policy.rules.values()) for (const c of rule.conditions) if (c.attribute) compared.add(c.attribute.value);
  for (const [name, attribute] of policy.attributes) {
    if (!compared.has(name)) {
      findings.push({ kind: 'unused-attribute', severity: 'warning', target: `attribute ${name}`, message: `attribute ${name} is not compared by any rule`, loc: attribute.loc });
    }
  }

  // Users who got their roles the same way share one roles map: look at each map once.
  const held = new Set<string>();
  const seen = new Set<Map<string, Provenance[]>>();
  for (const user of model.users.values()) {
    if (seen.has(user.roles)) continue;
    seen.add(user.roles);
    for (const role of user.roles.keys()) held.add(role);
  }
  for (const [name, role] of policy.roles) {
    if (!role.builtin && !held.has(name)) {
      findings.push({ kind: 'unused-role', severity: 'warning', target: `role ${name}`, message: `role ${name} is held by no user`, loc: role.loc });
    }
  }

  for (const [name, use] of ruleUse) {
    const rule = policy.rules.get(name)!;
    if (use.applied === 0) {
      findings.push({ kind: 'rule-applies-to-nobody', severity: 'warning', target: `rule ${name}`, message: `rule ${name} filters no user (nobody with access to ${rule.subject.value} is subject to it)`, loc: rule.loc });
    } else if (use.denied === use.applied) {
      findings.push({
        kind: 'rule-denies-everyone',
        severity: 'warning',
        target: `rule ${name}`,
        message: `rule ${name} admits no row of ${rule.subject.value} to any of the ${use.applied} user${use.applied === 1 ? '' : 's'} it applies to`,
        loc: rule.loc,
      });
    }
  }

  for (const subject of subjects) {
    if (subject.openToEveryone) {
      findings.push({ kind: 'subject-open-to-everyone', severity: 'info', target: `subject ${subject.name}`, message: `subject ${subject.name} is open to every enabled user (not restricted)`, loc: subject.loc });
    }
  }

  for (const key of apiKeys) {
    const expiring = key.problems.filter((p) => p.startsWith('expires on'));
    const invalid = key.problems.filter((p) => !p.startsWith('expires on'));
    if (invalid.length > 0) findings.push({ kind: 'api-key-invalid', severity: 'warning', target: `API key ${key.name}`, message: `API key ${key.name} of ${key.user}: ${invalid.join('; ')}`, loc: key.loc });
    if (expiring.length > 0) findings.push({ kind: 'api-key-expiring', severity: 'warning', target: `API key ${key.name}`, message: `API key ${key.name} of ${key.user} ${expiring.join('; ')}`, loc: key.loc });
  }

  for (const user of model.users.values()) {
    if (!user.enabled) continue;
    if (user.admin) findings.push({ kind: 'admin', severity: 'info', target: `user ${user.login}`, message: `${user.login} is a tenant administrator: every subject, no row rules`, loc: user.loc });
    else if (user.bypassRowRules.value) {
      const via = user.bypassRowRules.because.find((p) => p.source === 'role');
      const role = via && via.source === 'role' ? ` (role ${via.role})` : '';
      findings.push({ kind: 'bypass', severity: 'info', target: `user ${user.login}`, message: `${user.login} bypasses row rules${role}`, loc: user.loc });
    }
  }

  const rank = { warning: 0, info: 1 } as const;
  return findings.sort((a, b) => rank[a.severity] - rank[b.severity] || cmp(a.kind, b.kind) || cmp(a.target, b.target) || cmp(a.message, b.message));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
