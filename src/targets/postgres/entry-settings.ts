import type { AttributeType } from '../../model/policy.js';
import type { ConditionState, Entitlements } from './desired-state.js';
import { ATTRIBUTE_TYPES } from './desired-state.js';
import { scalarText } from './quote.js';

/**
 * What `enter` writes into the transaction's settings, per principal, as one row of
 * `entry_settings` (login -> `{setting name: payload}`): the principal's subject grants and the
 * states and values of its conditions, denormalised from the other entitlement tables so that
 * `enter` reads one row of one table (functions.ts says why that matters).
 *
 * Setting names are built from names SPEC 3 restricts to `[a-z][a-z0-9_-]*`; `-` is not allowed
 * in a setting name, so it becomes `$` (which no name contains, so no two names meet):
 * - `a_<subject>`: the principal may see the subject (payload empty);
 * - `c_<rule>_<cond>`: the principal's payload for one condition of a rule: `open`, `deny`, or
 *   the values as a PostgreSQL array literal (`{"c1","c2"}`, `{}` for none).
 * Conditions without a row (the rule does not apply: applies_to, bypass) have no entry; `enter`
 * writes `open` for them from the policy's own list of rules, so that a rule added later needs
 * no new rows for the principals it does not apply to.
 */

export function subjectSettingName(subject: string): string {
  return `a_${subject.replaceAll('-', '$')}`;
}

export function conditionSettingName(rule: string, cond: number): string {
  return `c_${rule.replaceAll('-', '$')}_${cond}`;
}

export interface EntryCondition {
  rule: string;
  cond: number;
  state: ConditionState | string;
}

export interface EntryValue {
  type: AttributeType;
  rule: string;
  cond: number;
  /** The value as PostgreSQL's input function reads it (scalarText). */
  text: string;
}

/** The settings of one principal, keys sorted (the same text however the rows were ordered). */
export function entrySettings(subjects: readonly string[], conditions: readonly EntryCondition[], values: readonly EntryValue[]): Record<string, string> {
  const valuesOf = new Map<string, EntryValue[]>();
  for (const v of values) {
    const name = conditionSettingName(v.rule, v.cond);
    let list = valuesOf.get(name);
    if (!list) valuesOf.set(name, (list = []));
    list.push(v);
  }
  const entries: [string, string][] = subjects.map((s) => [subjectSettingName(s), '']);
  for (const c of conditions) {
    const name = conditionSettingName(c.rule, c.cond);
    entries.push([name, c.state === 'values' ? valuesPayload(valuesOf.get(name) ?? []) : c.state]);
  }
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Object.fromEntries(entries);
}

/**
 * The values as an array literal, ascending in the type's own order (between reads the low and
 * high ends as elements 1 and 2). An element is double-quoted (with `"` and `\` escaped)
 * whenever array_in would read it otherwise: empty, the word NULL, or holding a brace, comma,
 * quote, backslash or white space; others go bare, which keeps the rows short.
 */
function valuesPayload(values: EntryValue[]): string {
  const sorted = [...values].sort((a, b) => compareValues(a.type, a.text, b.text));
  return `{${sorted.map((v) => arrayElement(v.text)).join(',')}}`;
}

function arrayElement(text: string): string {
  if (text !== '' && !/[{}",\\\s]/.test(text) && !/^null$/i.test(text)) return text;
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function compareValues(type: AttributeType, a: string, b: string): number {
  if (type === 'integer') {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (type === 'number') {
    const d = Number(a) - Number(b);
    if (d !== 0) return d;
  }
  // Dates are ISO (YYYY-MM-DD), so text order is date order; booleans: false < true.
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface EntryRow {
  login: string;
  principalId: number;
  settings: Record<string, string>;
}

/** One row per enabled principal (a disabled one has none: `enter` finds nothing, so no rows). */
export function entryRows(e: Entitlements): EntryRow[] {
  const subjects = new Map<number, string[]>();
  const conditions = new Map<number, EntryCondition[]>();
  const values = new Map<number, EntryValue[]>();
  const push = <T>(map: Map<number, T[]>, id: number, item: T) => {
    let list = map.get(id);
    if (!list) map.set(id, (list = []));
    list.push(item);
  };
  for (const a of e.subjectAccess) push(subjects, a.principalId, a.subject);
  for (const c of e.conditions) push(conditions, c.principalId, { rule: c.rule, cond: c.cond, state: c.state });
  for (const type of ATTRIBUTE_TYPES) {
    for (const v of e.values[type]) push(values, v.principalId, { type, rule: v.rule, cond: v.cond, text: scalarText(v.value, type) });
  }
  return e.principals
    .filter((p) => p.enabled)
    .map((p) => ({ login: p.login, principalId: p.id, settings: entrySettings(subjects.get(p.id) ?? [], conditions.get(p.id) ?? [], values.get(p.id) ?? []) }));
}
