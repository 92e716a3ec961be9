import type { Scalar } from '../model/policy.js';
import type { ConditionChange, FilterCondition, FilterSnapshot, SubjectChange, UserAccessChange } from './access-diff-types.js';

/**
 * Wording shared by the text and markdown renderers of the access diff, so a terminal and a
 * pull-request comment describe a change with the same words:
 *   `sales country {Vietnam} -> {Singapore, Vietnam}` (full sets, as the target receives them)
 *   `sales country +Singapore` (the compact form watch prints)
 */

export function formatScalar(value: Scalar): string {
  return typeof value === 'string' ? value : String(value);
}

/** `{a, b}`, `{}` for none (denies), `all` for unrestricted. */
export function formatValues(values: 'all' | Scalar[] | undefined): string {
  if (values === undefined) return '';
  if (values === 'all') return 'all';
  return `{${values.map(formatScalar).join(', ')}}`;
}

/** `country {Vietnam}` for `in`/`eq`, else `store_id not_in {0, 999}`, `sold_at last 2 years`. */
export function describeCondition(condition: FilterCondition): string {
  if (condition.modifier) return `${condition.field} ${condition.operator} ${condition.modifier.amount} ${condition.modifier.unit}`;
  const op = condition.operator === 'in' || condition.operator === 'eq' ? '' : `${condition.operator} `;
  return `${condition.field} ${op}${formatValues(condition.values)}`;
}

export function describeFilter(filter: FilterSnapshot): string {
  if ('any' in filter) return `${filter.rule}: any(${filter.any.map(describeCondition).join(' | ')})`;
  return describeCondition(filter);
}

/** A whole filter set: `country {Vietnam}; store_id not_in {0, 999}`, `unfiltered`, or `no access`. */
export function describeFilters(filters: FilterSnapshot[] | null): string {
  if (filters === null) return 'no access';
  if (filters.length === 0) return 'unfiltered';
  return filters.map(describeFilter).join('; ');
}

/** `country {Vietnam} -> {Singapore, Vietnam}`, or with the rule name when a rule appears or disappears. */
export function describeConditionChange(change: ConditionChange): string {
  const label = change.index !== undefined ? `${change.rule}[${change.index}] ${change.field}` : change.field;
  if (change.before === null && change.after) return `${label}: new rule ${change.rule} (${describeCondition(change.after)})`;
  if (change.after === null && change.before) return `${label}: rule ${change.rule} no longer applies (was ${describeCondition(change.before)})`;
  const before = change.before as FilterCondition;
  const after = change.after as FilterCondition;
  const op = after.operator === 'in' || after.operator === 'eq' ? '' : `${after.operator} `;
  if (before.operator !== after.operator || before.modifier || after.modifier) return `${label} ${describeCondition(before)} -> ${describeCondition(after)}`;
  return `${label} ${op}${formatValues(before.values)} -> ${formatValues(after.values)}`;
}

/** `country +Singapore -Vietnam`, falling back to the full sets when `all` is involved. */
export function describeConditionDelta(change: ConditionChange): string {
  if (change.added.length + change.removed.length === 0 || change.before === null || change.after === null) return describeConditionChange(change);
  const label = change.index !== undefined ? `${change.rule}[${change.index}] ${change.field}` : change.field;
  const op = change.operator === 'in' || change.operator === 'eq' ? '' : `${change.operator} `;
  const parts = [...change.added.map((v) => `+${formatScalar(v)}`), ...change.removed.map((v) => `-${formatScalar(v)}`)];
  return `${label} ${op}${parts.join(' ')}`;
}

/** The sign of a subject change: + gained / widened only, - lost / narrowed only, ~ otherwise. */
export function subjectSign(change: SubjectChange): '+' | '-' | '~' {
  if (change.change === 'gained') return '+';
  if (change.change === 'lost') return '-';
  const onlyAdded = change.conditions.every((c) => c.before !== null && c.after !== null && c.removed.length === 0 && c.added.length > 0);
  const onlyRemoved = change.conditions.every((c) => c.before !== null && c.after !== null && c.added.length === 0 && c.removed.length > 0);
  return onlyAdded ? '+' : onlyRemoved ? '-' : '~';
}

export function userSign(user: UserAccessChange): '+' | '-' | '~' {
  return user.change === 'added' ? '+' : user.change === 'removed' ? '-' : '~';
}

/**
 * One line per change, the form `watch` prints after each save:
 *   `+ alice@acme.com: sales country +Singapore`
 *   `- bob@acme.com: sales`, `+ carol@acme.com: group apac`, `~ dan@acme.com: disabled`
 */
export function compactLines(user: UserAccessChange): { sign: '+' | '-' | '~'; text: string }[] {
  const who = user.login;
  const lines: { sign: '+' | '-' | '~'; text: string }[] = [];
  if (user.change === 'added') lines.push({ sign: '+', text: `${who}: new user` });
  if (user.change === 'removed') lines.push({ sign: '-', text: `${who}: removed` });
  if (user.enabled) lines.push({ sign: user.enabled.after ? '+' : '-', text: `${who}: ${user.enabled.after ? 'enabled' : 'disabled'}` });
  if (user.admin) lines.push({ sign: user.admin.after ? '+' : '-', text: `${who}: ${user.admin.after ? 'now admin' : 'no longer admin'}` });
  if (user.bypassRowRules) lines.push({ sign: user.bypassRowRules.after ? '+' : '-', text: `${who}: ${user.bypassRowRules.after ? 'bypasses row rules' : 'row rules apply again'}` });
  if (user.change !== 'removed') {
    for (const g of user.groups.gained) lines.push({ sign: '+', text: `${who}: group ${g}` });
    for (const r of user.roles.gained) lines.push({ sign: '+', text: `${who}: role ${r}` });
  }
  if (user.change !== 'added') {
    for (const g of user.groups.lost) lines.push({ sign: '-', text: `${who}: group ${g}` });
    for (const r of user.roles.lost) lines.push({ sign: '-', text: `${who}: role ${r}` });
  }
  for (const s of user.subjects) {
    if (s.change === 'gained') lines.push({ sign: '+', text: `${who}: ${s.subject} (${describeFilters(s.after)})` });
    else if (s.change === 'lost') lines.push({ sign: '-', text: `${who}: ${s.subject}` });
    else for (const c of s.conditions) lines.push({ sign: conditionSign(c), text: `${who}: ${s.subject} ${describeConditionDelta(c)}` });
  }
  return lines;
}

function conditionSign(c: ConditionChange): '+' | '-' | '~' {
  if (c.before === null || c.after === null) return '~';
  if (c.added.length > 0 && c.removed.length === 0) return '+';
  if (c.removed.length > 0 && c.added.length === 0) return '-';
  return '~';
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
