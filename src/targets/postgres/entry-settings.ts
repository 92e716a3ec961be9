import type { AttributeType, Scalar } from '../../model/policy.js';
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
  return `a_${subject.split('-').join('$')}`;
}

/** `c_<rule>_`, by rule: plan and compile name every condition of every principal, and rules are few. */
const rulePrefixes = new Map<string, string>();

export function conditionSettingName(rule: string, cond: number): string {
  let prefix = rulePrefixes.get(rule);
  if (prefix === undefined) {
    prefix = `c_${rule.split('-').join('$')}_`;
    if (rulePrefixes.size < 10_000) rulePrefixes.set(rule, prefix);
  }
  return prefix + cond;
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

/**
 * The settings of one principal as [name, payload] pairs in the order jsonb keeps object keys:
 * shortest first, then byte order (the names are ASCII, so string order is byte order).
 */
export function entryPairs(subjects: readonly string[], conditions: readonly EntryCondition[], values: readonly EntryValue[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (const s of subjects) pairs.push([subjectSettingName(s), '']);
  for (const c of conditions) {
    const payload = c.state === 'values' ? valuesPayload(values.filter((v) => v.rule === c.rule && v.cond === c.cond)) : c.state;
    pairs.push([conditionSettingName(c.rule, c.cond), payload]);
  }
  return pairs.sort(byJsonbKey);
}

function byJsonbKey([a]: [string, string], [b]: [string, string]): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** The settings of one principal as an object (entryPairs' order). */
export function entrySettings(subjects: readonly string[], conditions: readonly EntryCondition[], values: readonly EntryValue[]): Record<string, string> {
  return Object.fromEntries(entryPairs(subjects, conditions, values));
}

/**
 * The values as an array literal, ascending in the type's own order (between reads the low and
 * high ends as elements 1 and 2). An element is double-quoted (with `"` and `\` escaped)
 * whenever array_in would read it otherwise: empty, the word NULL, or holding a brace, comma,
 * quote, backslash or white space; others go bare, which keeps the rows short.
 */
function valuesPayload(values: EntryValue[]): string {
  return values.length === 0 ? '{}' : arrayPayload(values[0]!.type, values.map((v) => v.text));
}

function arrayPayload(type: AttributeType, texts: string[]): string {
  if (texts.length > 1) texts.sort((a, b) => compareValues(type, a, b));
  return `{${texts.map(arrayElement).join(',')}}`;
}

/** Empty, the word NULL in any case, or a brace, comma, quote, backslash or white space: quoted. */
const NEEDS_QUOTES = /^$|^null$|[{}",\\\s]/i;

function arrayElement(text: string): string {
  if (!NEEDS_QUOTES.test(text)) return text;
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function compareValues(type: AttributeType, a: string, b: string): number {
  if (type === 'integer' && (a.length > 15 || b.length > 15)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (type === 'number' || type === 'integer') {
    const d = Number(a) - Number(b);
    if (d !== 0) return d;
  }
  // Dates are ISO (YYYY-MM-DD), so text order is date order; booleans: false < true.
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface EntryRow {
  login: string;
  principalId: number;
  /** The settings as jsonb prints them (entrySettingsText). */
  text: string;
}

/**
 * The settings as PostgreSQL prints a jsonb object: keys in entryPairs' order, `": "` and `", "`
 * between, strings escaped as JSON.stringify escapes them (the same escapes as PostgreSQL's for
 * valid Unicode; names need none). So the text warden writes is the text it reads back, and plan
 * compares rows without parsing them.
 */
/** Text JSON writes as it is between quotes. */
const JSON_PLAIN = /^[^"\\\u0000-\u001f]*$/;

export function entrySettingsText(pairs: readonly [string, string][]): string {
  let text = '{';
  for (let i = 0; i < pairs.length; i++) {
    const [name, payload] = pairs[i]!;
    text += `${i === 0 ? '' : ', '}"${name}": ${JSON_PLAIN.test(payload) ? `"${payload}"` : JSON.stringify(payload)}`;
  }
  return `${text}}`;
}

/** One principal's settings, added as its rows are made (desired-state.ts), then as entry_settings text. */
export class EntrySettingsBuilder {
  private readonly pairs: [string, string][] = [];

  subject(subject: string): void {
    this.pairs.push([subjectSettingName(subject), '']);
  }

  condition(rule: string, cond: number, state: ConditionState, type: AttributeType, values: readonly Scalar[]): void {
    const payload = state === 'values' ? arrayPayload(type, values.map((value) => scalarText(value, type))) : state;
    this.pairs.push([conditionSettingName(rule, cond), payload]);
  }

  text(): string {
    return entrySettingsText(this.pairs.sort(byJsonbKey));
  }
}

/**
 * Rows derived from the other entitlement rows, for Entitlements made by hand (benchmarks);
 * buildDesiredState makes them with the rows. One row per enabled principal (a disabled one has none: `enter` finds nothing, so no rows). */
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
    .map((p) => ({ login: p.login, principalId: p.id, text: entrySettingsText(entryPairs(subjects.get(p.id) ?? [], conditions.get(p.id) ?? [], values.get(p.id) ?? [])) }));
}
