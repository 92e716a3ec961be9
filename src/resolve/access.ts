import type { Provenance, ResolvedFilter, ResolvedModel, ResolvedUser, SubjectAccess } from './model.js';
import type { RuleDef, SubjectDef } from '../model/policy.js';
import { resolveCondition, valuesSource } from './conditions.js';
import { subjectIndex, type IndexedRule, type SubjectIndex } from './subject-index.js';

/**
 * A user's access to one subject (SPEC 4, subjects and row filters), computed on demand: a
 * model holds 100,000 users x 300 subjects, and most consumers need a few of them.
 *
 * Subjects: a restricted subject (or any, under `enforce_subject_access`) is open only to users
 * in a group granted it; since a user's groups already include every inherited group, a grant
 * on an ancestor counts. Administrators see every subject; a disabled user sees none; an
 * unknown user or subject gets no access (never fail open).
 *
 * Filters: each rule on the subject that applies to the user (no `applies_to`, or the user is
 * listed, or is in a listed group, transitively) contributes one filter, ANDed; none when the
 * user bypasses row rules.
 */
export function subjectAccess(model: ResolvedModel, login: string, subject: string): SubjectAccess {
  const user = model.users.get(login);
  const def = model.policy.subjects.get(subject);
  if (!user || !def) return { subject, access: false, because: [], filters: [] };
  if (!user.enabled) return { subject, access: false, because: [{ source: 'disabled', login, loc: user.loc }], filters: [] };
  const index = subjectIndex(model);
  const because = accessReasons(model, user, def, index);
  if (because.length === 0) return { subject, access: false, because, filters: [] };
  if (user.bypassRowRules.value) return { subject, access: true, because, filters: [] };
  const filters: ResolvedFilter[] = [];
  for (const rule of index.rules.get(subject) ?? []) {
    if (!appliesTo(rule, user)) continue;
    const { def: ruleDef } = rule;
    if (ruleDef.isAny) {
      filters.push({ rule: ruleDef.name, loc: ruleDef.loc, any: ruleDef.conditions.map((c) => resolveCondition(c, def, user)) });
    } else if (ruleDef.conditions.length > 0) {
      filters.push(singleFilter(ruleDef, def, user));
    }
  }
  return { subject, access: true, because, filters };
}

/** A one-condition rule's filter, shared by users with the same values source (see conditions.ts). */
const singleFilters = new WeakMap<object, WeakMap<RuleDef, ResolvedFilter>>();

function singleFilter(rule: RuleDef, subject: SubjectDef, user: ResolvedUser): ResolvedFilter {
  const condition = rule.conditions[0];
  const source = valuesSource(condition, user);
  let byRule = singleFilters.get(source);
  if (!byRule) singleFilters.set(source, (byRule = new WeakMap()));
  let filter = byRule.get(rule);
  if (!filter) byRule.set(rule, (filter = { rule: rule.name, loc: rule.loc, ...resolveCondition(condition, subject, user) }));
  return filter;
}

/** Why the user may see the subject; empty when they may not. */
function accessReasons(model: ResolvedModel, user: ResolvedUser, subject: SubjectDef, index: SubjectIndex): Provenance[] {
  if (user.admin) return [{ source: 'admin', login: user.login, loc: user.loc }];
  if (!subject.restricted && !model.policy.settings.enforceSubjectAccess) return index.openReason;
  const reasons: Provenance[] = [];
  for (const [group, loc] of index.grants.get(subject.name) ?? []) {
    const membership = user.groups.get(group);
    if (!membership) continue;
    const inherited = membership.find((p) => p.source === 'group');
    const path = inherited && inherited.source === 'group' ? inherited.path : [group];
    reasons.push({ source: 'group', group, path, loc });
  }
  return reasons;
}

function appliesTo(rule: IndexedRule, user: ResolvedUser): boolean {
  if (!rule.appliesTo) return true;
  if (rule.appliesTo.users.has(user.login)) return true;
  return rule.appliesTo.groups.some((g) => user.groups.has(g));
}
