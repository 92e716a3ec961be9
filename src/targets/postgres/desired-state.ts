import { createHash } from 'node:crypto';
import { warning, type Diagnostic, type Loc } from '../../diagnostics/diagnostic.js';
import type { AttributeType, DurationUnit, Operator, Scalar } from '../../model/policy.js';
import type { ResolvedCondition, ResolvedModel, SubjectAccess } from '../../resolve/model.js';
import type { PostgresOptions } from './options.js';
import { scalarText } from './quote.js';
import { EntrySettingsBuilder, type EntryRow } from './entry-settings.js';

/**
 * What a database should hold after warden's SQL runs, as plain data: the static objects
 * (subject tables with their rules) and the entitlement rows. The SQL writers turn it into a
 * script; plan/apply diffs a live database against it. Policies depend only on the rules, never
 * on users: adding a user adds rows here and nothing else.
 */

export interface TableName {
  /** Absent when the subject's `table` has no schema part (resolved by search_path). */
  schema?: string;
  name: string;
}

/** One comparison of a rule, as static policy text sees it (the values are per-principal data). */
export interface ConditionSpec {
  column: string;
  type: AttributeType;
  operator: Operator;
  modifier?: { unit: DurationUnit; amount: number };
}

export interface RuleSpec {
  name: string;
  /** Stable small number used in setting names (rules sorted by name). */
  id: number;
  subject: string;
  isAny: boolean;
  conditions: ConditionSpec[];
  loc: Loc;
}

export interface SubjectTableSpec {
  subject: string;
  table: TableName;
  /** Sorted by rule name. */
  rules: RuleSpec[];
}

export interface PrincipalRow {
  id: number;
  login: string;
  dbRole: string;
  enabled: boolean;
  bypass: boolean;
  admin: boolean;
}

/**
 * How one condition of one rule stands for one principal:
 * `open` passes every row (NULLs included), `deny` passes none, `values` compares with the values.
 * A rule that does not apply to a principal (applies_to, bypass) has no row: it does not restrict.
 */
export type ConditionState = 'open' | 'deny' | 'values';

export interface ConditionRow {
  principalId: number;
  rule: string;
  cond: number;
  state: ConditionState;
}

export interface ValueRow {
  principalId: number;
  rule: string;
  cond: number;
  value: Scalar;
}

export interface Entitlements {
  principals: PrincipalRow[];
  /** principal -> subjects it may see. */
  subjectAccess: { principalId: number; subject: string }[];
  conditions: ConditionRow[];
  /** Typed value rows, one table per attribute type. */
  values: Record<AttributeType, ValueRow[]>;
  /** entry_settings: the same grants, states and values per enabled principal, as `enter` reads them. */
  entries: EntryRow[];
}

export interface DesiredState {
  options: PostgresOptions;
  /** Prefix of warden's transaction settings, unique per schema (a custom-setting name). */
  settingPrefix: string;
  subjects: SubjectTableSpec[];
  entitlements: Entitlements;
}

export const ATTRIBUTE_TYPES: readonly AttributeType[] = ['boolean', 'date', 'integer', 'number', 'string'];

export type AccessFn = (model: ResolvedModel, login: string, subject: string) => SubjectAccess;

export function buildDesiredState(
  model: ResolvedModel,
  options: PostgresOptions,
  access: AccessFn,
): { state: DesiredState; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const subjects: SubjectTableSpec[] = [];
  const ruleNames = [...model.policy.rules.keys()].sort();
  const ruleIds = new Map(ruleNames.map((name, i) => [name, i + 1]));
  const subjectNames = [...model.policy.subjects.keys()].sort();
  const tabled = new Set<string>();
  for (const name of subjectNames) {
    const def = model.policy.subjects.get(name)!;
    if (!def.table) {
      diagnostics.push(warning('W-PG-NO-TABLE', `subject "${name}" has no \`table\`, so the postgres target does not protect it`, def.loc, { hint: 'add `table: schema.table` to the subject' }));
      continue;
    }
    tabled.add(name);
    const rules: RuleSpec[] = [];
    for (const ruleName of ruleNames) {
      const rule = model.policy.rules.get(ruleName)!;
      if (rule.subject.value !== name) continue;
      rules.push({
        name: ruleName,
        id: ruleIds.get(ruleName)!,
        subject: name,
        isAny: rule.isAny,
        loc: rule.loc,
        conditions: rule.conditions.map((c) => {
          const field = def.fields.get(c.field.value);
          const spec: ConditionSpec = { column: field?.column ?? c.field.value, type: field?.type ?? 'string', operator: c.operator.value };
          if (c.modifier) spec.modifier = { unit: c.modifier.value.unit, amount: c.modifier.value.amount };
          return spec;
        }),
      });
    }
    subjects.push({ subject: name, table: parseTableName(def.table.value), rules });
  }
  const entitlements = buildEntitlements(model, subjects, access);
  return { state: { options, settingPrefix: settingPrefix(options.schema), subjects, entitlements }, diagnostics };
}

/** `schema.table` splits at the first dot; a name without a dot is left to the search_path. */
export function parseTableName(text: string): TableName {
  const dot = text.indexOf('.');
  return dot <= 0 ? { name: text } : { schema: text.slice(0, dot), name: text.slice(dot + 1) };
}

/** Custom settings need a `prefix.name` made of identifier characters; the schema may be any text, so it is hashed. */
export function settingPrefix(schema: string): string {
  return `warden.s${createHash('sha256').update(schema).digest('hex').slice(0, 12)}`;
}

function buildEntitlements(model: ResolvedModel, subjects: SubjectTableSpec[], access: AccessFn): Entitlements {
  const ent: Entitlements = { principals: [], subjectAccess: [], conditions: [], values: { boolean: [], date: [], integer: [], number: [], string: [] }, entries: [] };
  const logins = [...model.users.keys()].sort(compareText);
  logins.forEach((login, i) => {
    const user = model.users.get(login)!;
    const principalId = i + 1;
    ent.principals.push({ id: principalId, login, dbRole: user.dbRole, enabled: user.enabled, bypass: user.bypassRowRules.value, admin: user.admin });
    if (!user.enabled) return;
    // The principal's entry_settings, built from the same rows while they are at hand.
    const settings = new EntrySettingsBuilder();
    for (const subject of subjects) {
      const result = access(model, login, subject.subject);
      if (!result.access) continue;
      ent.subjectAccess.push({ principalId, subject: subject.subject });
      settings.subject(subject.subject);
      for (const filter of result.filters) {
        const conditions: ResolvedCondition[] = 'any' in filter ? filter.any : [filter];
        conditions.forEach((condition, cond) => {
          const state = conditionState(condition);
          ent.conditions.push({ principalId, rule: filter.rule, cond, state });
          const values = state === 'values' && Array.isArray(condition.values) ? condition.values : [];
          for (const value of values) ent.values[condition.type].push({ principalId, rule: filter.rule, cond, value });
          settings.condition(filter.rule, cond, state, condition.type, values.map((value) => scalarText(value, condition.type)));
        });
      }
    }
    ent.entries.push({ login, principalId, text: settings.text() });
  });
  return ent;
}

/** SPEC 4: `all` passes everything for in/eq/lt…/between and nothing for not_in/ne. */
export function conditionState(condition: ResolvedCondition): ConditionState {
  if (condition.values !== 'all') return 'values';
  return condition.operator === 'not_in' || condition.operator === 'ne' ? 'deny' : 'open';
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
