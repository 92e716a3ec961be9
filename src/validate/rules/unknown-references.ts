import { error } from '../../diagnostics/diagnostic.js';
import type { Ref, UserDef } from '../../model/policy.js';
import type { ValidationContext, ValidationRule } from '../rule.js';
import { suggestionHint } from '../../util/did-you-mean.js';
import { closeCandidates } from './close-candidates.js';
import { SYSTEM_ATTRIBUTES } from './system-attributes.js';

/**
 * Every name that points at another definition must name one that exists
 * (E-UNKNOWN-REF, at the reference, with the closest existing name as a hint).
 * A dangling reference is never ignored: ignoring it would silently grant or deny access.
 */
export const unknownReferences: ValidationRule = {
  name: 'unknown-references',
  check(context) {
    // A suggestion compares the name with every candidate, and projects have 100,000 users: a
    // file of thousands of dangling logins must not take minutes, so suggestions share a budget
    // of comparisons and later references get the plain hint.
    const budget: SuggestionBudget = { remaining: SUGGESTION_BUDGET };
    checkDefinitionReferences(context, budget, 'before-users');
    for (const user of context.policy.users.values()) checkUserReferences(context, user, budget);
    checkDefinitionReferences(context, budget, 'after-users');
  },
};

/**
 * Comparisons left for did-you-mean hints. Watch mode checks parts of a project on their own
 * with an unlimited budget and adds up what each part spent: while the total stays within
 * SUGGESTION_BUDGET, every reference gets the hint the whole check would give it.
 */
export interface SuggestionBudget {
  remaining: number;
}

type Expect = (ref: Ref, kind: Kind, known: ReadonlyMap<string, unknown>, where: string) => void;

function expecter(context: ValidationContext, budget: SuggestionBudget): Expect {
  const suggest = (name: string, known: ReadonlyMap<string, unknown>): string | undefined => {
    // A short list is worth printing in full when nothing is close (suggestionHint does that).
    if (known.size <= LIST_UP_TO) return suggestionHint(name, known.keys(), LIST_UP_TO);
    budget.remaining -= known.size;
    return budget.remaining >= 0 ? suggestionHint(name, closeCandidates(name, known.keys()), 0) : undefined;
  };
  return (ref, kind, known, where) => {
    if (known.has(ref.value)) return;
    const suggestion = suggest(ref.value, known);
    context.report(
      error('E-UNKNOWN-REF', `${where} refers to unknown ${kind} "${ref.value}"`, ref.loc, {
        hint: suggestion ?? `define ${kind} "${ref.value}" or remove the reference`,
      }),
    );
  };
}

/**
 * References from everything but users: settings, roles and groups (checked before the users,
 * as far as the shared budget goes), API keys and rules (after them). Of the users, only which
 * logins exist matters here.
 */
export function checkDefinitionReferences(context: ValidationContext, budget: SuggestionBudget, part: 'before-users' | 'after-users' | 'all'): void {
  const { policy } = context;
  const expect = expecter(context, budget);
  if (part !== 'after-users') {
    const { settings } = policy;
    if (settings.locs.baseRole !== undefined) {
      expect({ value: settings.baseRole, loc: settings.locs.baseRole }, 'role', policy.roles, 'setting base_role');
    }
    // default_group needs no check: the merge creates the group when no file defines it.

    const builtins = new Map([...policy.roles].filter(([, def]) => def.builtin));
    for (const role of policy.roles.values()) {
      for (const ref of role.extends) expect(ref, 'role', policy.roles, `role "${role.name}" extends`);
      for (const ref of role.incortaRoles ?? []) {
        expect(ref, 'built-in role', builtins, `role "${role.name}" incorta_roles`);
      }
    }

    for (const group of policy.groups.values()) {
      const where = `group "${group.name}"`;
      for (const ref of group.inherits) expect(ref, 'group', policy.groups, `${where} inherits`);
      for (const ref of group.roles) expect(ref, 'role', policy.roles, `${where} roles`);
      for (const ref of group.subjects) expect(ref, 'subject', policy.subjects, `${where} subjects`);
      for (const ref of group.members) expect(ref, 'user', policy.users, `${where} members`);
      for (const assignment of group.attributes.values()) {
        expect({ value: assignment.attribute, loc: assignment.loc }, 'attribute', policy.attributes, `${where} attributes`);
      }
    }
  }
  if (part === 'before-users') return;

  for (const key of policy.apiKeys.values()) expect(key.user, 'user', policy.users, `api key "${key.name}"`);

  const ruleAttributes = new Map<string, unknown>([...policy.attributes, ...SYSTEM_ATTRIBUTES]);
  for (const rule of policy.rules.values()) {
    const where = `rule "${rule.name}"`;
    expect(rule.subject, 'subject', policy.subjects, where);
    for (const condition of rule.conditions) {
      if (condition.attribute !== undefined) {
        expect(condition.attribute, 'attribute', ruleAttributes, `${where} attribute`);
      }
    }
    for (const ref of rule.appliesTo?.groups ?? []) expect(ref, 'group', policy.groups, `${where} applies_to`);
    for (const ref of rule.appliesTo?.users ?? []) expect(ref, 'user', policy.users, `${where} applies_to`);
  }
}

/** One user's references: groups and attributes. */
export function checkUserReferences(context: ValidationContext, user: UserDef, budget: SuggestionBudget): void {
  const { policy } = context;
  // 100,000 users: test first and build the message's text (and the reporter) only for a reference that fails.
  let expect: Expect | undefined;
  for (const ref of user.groups) if (!policy.groups.has(ref.value)) (expect ??= expecter(context, budget))(ref, 'group', policy.groups, `user "${user.login}" groups`);
  if (user.attributes.size === 0) return;
  for (const assignment of user.attributes.values()) {
    if (policy.attributes.has(assignment.attribute)) continue;
    (expect ??= expecter(context, budget))({ value: assignment.attribute, loc: assignment.loc }, 'attribute', policy.attributes, `user "${user.login}" attributes`);
  }
}

/** Candidate names scanned for did-you-mean hints per validation, at most (about ten hints among 100,000 users). */
export const SUGGESTION_BUDGET = 1_000_000;
/** Up to this many candidates, a hint with no close match lists them all. */
const LIST_UP_TO = 12;

type Kind = 'group' | 'role' | 'built-in role' | 'subject' | 'user' | 'attribute';
