import type { AttributeType } from '../../model/policy.js';
import type { ConditionState } from './desired-state.js';

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

export interface EntryRow {
  login: string;
  principalId: number;
  /** The settings as jsonb prints them (EntrySettingsBuilder.text). */
  text: string;
}

/** One principal's settings, added as its rows are made (desired-state.ts), then written as the entry_settings text. */
export class EntrySettingsBuilder {
  private readonly entries: [string, string][] = [];

  subject(subject: string): this {
    this.entries.push([subjectSettingName(subject), '']);
    return this;
  }

  /** `texts`: the values as PostgreSQL's input function reads them (scalarText); used for `values` only. */
  condition(rule: string, cond: number, state: ConditionState | string, type: AttributeType, texts: string[]): this {
    this.entries.push([conditionSettingName(rule, cond), state === 'values' ? arrayPayload(type, texts) : state]);
    return this;
  }

  /**
   * [name, payload] pairs in the order jsonb keeps object keys: shortest first, then byte order
   * (the names are ASCII, so string order is byte order).
   */
  pairs(): [string, string][] {
    return this.entries.sort(([a], [b]) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  }

  /** The entry_settings text (entrySettingsText of pairs()). */
  text(): string {
    return entrySettingsText(this.pairs());
  }
}

/**
 * Settings as PostgreSQL prints a jsonb object: the pairs in jsonb's key order (pairs()),
 * `": "` and `", "` between, strings escaped as JSON.stringify escapes them (the same escapes as
 * PostgreSQL's for valid Unicode; names need none). So the text warden writes is the text it
 * reads back, and plan compares rows without parsing them.
 */
export function entrySettingsText(pairs: readonly [string, string][]): string {
  let text = '{';
  for (const [i, [name, payload]] of pairs.entries()) {
    text += `${i === 0 ? '' : ', '}"${name}": ${JSON_PLAIN.test(payload) ? `"${payload}"` : JSON.stringify(payload)}`;
  }
  return `${text}}`;
}

/** Text that JSON writes as it is between quotes. */
const JSON_PLAIN = /^[^"\\\u0000-\u001f]*$/;

/**
 * The values as an array literal, ascending in the type's own order (between reads the low and
 * high ends as elements 1 and 2). An element is double-quoted (with `"` and `\` escaped)
 * whenever array_in would read it otherwise: empty, the word NULL, or holding a brace, comma,
 * quote, backslash or white space; others go bare, which keeps the rows short.
 */
function arrayPayload(type: AttributeType, texts: string[]): string {
  const sorted = texts.length > 1 ? [...texts].sort((a, b) => compareValues(type, a, b)) : texts;
  return `{${sorted.map(arrayElement).join(',')}}`;
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
