import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { DurationUnit, Home, Operator, Permission, Scalar } from '../model/policy.js';
import { subjectAccess } from './access.js';
import type { ResolvedCondition, ResolvedFilter, ResolvedModel } from './model.js';
import { compareText } from './scalars.js';
import { unknownSubject, unknownUser } from './unknown-names.js';

/**
 * `explain --format json` (SPEC 7): exactly that shape, keys in the order shown there, every
 * list sorted, so the output is byte-identical across runs. System attributes (`user.*`) are
 * derived from the user's identity and are not listed, as in the spec's example.
 *
 * Filter shapes:
 *   { "rule", "field", "operator", "values" }            values: sorted list, or "all"
 *   { "rule", "field", "operator", "modifier" }          for last/next; modifier as written in
 *                                                         the policy, e.g. { "days": 90 }
 *   { "rule", "any": [ { "field", "operator", "values" | "modifier" } ] }
 */

export interface ExplainConditionJson {
  field: string;
  operator: Operator;
  values?: Scalar[] | 'all';
  modifier?: Partial<Record<DurationUnit, number>>;
}

export type ExplainFilterJson = ({ rule: string } & ExplainConditionJson) | { rule: string; any: ExplainConditionJson[] };

export interface ExplainJson {
  user: string;
  enabled: boolean;
  groups: string[];
  roles: string[];
  permissions: Permission[];
  bypass_row_rules: boolean;
  home: Home | null;
  attributes: Record<string, Scalar[] | 'all'>;
  subjects: Record<string, { access: boolean; filters: ExplainFilterJson[] }>;
}

export type ExplainJsonResult = { ok: true; value: ExplainJson } | { ok: false; diagnostics: Diagnostic[] };

export function explainJson(model: ResolvedModel, login: string, subject?: string): ExplainJsonResult {
  const user = model.users.get(login);
  if (!user) return { ok: false, diagnostics: [unknownUser(model, login)] };
  if (subject !== undefined && !model.policy.subjects.has(subject)) return { ok: false, diagnostics: [unknownSubject(model, subject)] };

  const attributes: Record<string, Scalar[] | 'all'> = {};
  for (const name of [...user.attributes.keys()].sort(compareText)) {
    if (name.startsWith('user.')) continue;
    const value = user.attributes.get(name)!.value;
    attributes[name] = value.kind === 'all' ? 'all' : [...value.values];
  }
  const subjects: ExplainJson['subjects'] = {};
  const names = subject !== undefined ? [subject] : [...model.policy.subjects.keys()].sort(compareText);
  for (const name of names) {
    const access = subjectAccess(model, login, name);
    subjects[name] = { access: access.access, filters: access.filters.map(filterJson) };
  }
  return {
    ok: true,
    value: {
      user: user.login,
      enabled: user.enabled,
      groups: [...user.groups.keys()].sort(compareText),
      roles: [...user.roles.keys()].sort(compareText),
      permissions: [...user.permissions].sort(compareText),
      bypass_row_rules: user.bypassRowRules.value,
      home: user.home ? homeJson(user.home.value) : null,
      attributes,
      subjects,
    },
  };
}

/** Two-space indented JSON with a final newline: the bytes `explain --format json` prints. */
export function formatExplainJson(value: ExplainJson): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function filterJson(filter: ResolvedFilter): ExplainFilterJson {
  if ('any' in filter) return { rule: filter.rule, any: filter.any.map(conditionJson) };
  return { rule: filter.rule, ...conditionJson(filter) };
}

function conditionJson(condition: ResolvedCondition): ExplainConditionJson {
  const out: ExplainConditionJson = { field: condition.field, operator: condition.operator };
  if (condition.modifier) out.modifier = { [condition.modifier.unit]: condition.modifier.amount };
  else out.values = condition.values === 'all' ? 'all' : [...(condition.values ?? [])];
  return out;
}

function homeJson(home: Home): Home {
  return 'dashboard' in home ? { dashboard: home.dashboard } : { category: home.category };
}
