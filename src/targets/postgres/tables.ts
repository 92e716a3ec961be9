import type { AttributeType } from '../../model/policy.js';
import { ATTRIBUTE_TYPES, type TableName } from './desired-state.js';
import { sqlType } from './quote.js';
import type { Column, Statement } from './statements.js';

/**
 * warden's own tables: the entitlements as data. Nothing here is per user; rows are.
 * Only the owner (who runs the script) can read them: policies reach them through
 * SECURITY DEFINER functions that answer for the entered principal only.
 */

export const PRINCIPALS = 'principals';
export const SUBJECT_ACCESS = 'subject_access';
export const CONDITIONS = 'conditions';
export const SECRET = 'secret';
/** The principal's settings as `enter` writes them, one row per enabled login (entry-settings.ts). */
export const ENTRY_SETTINGS = 'entry_settings';
/**
 * The key that signs what `enter` writes, derived from the secret and kept in two sequences
 * (62 bits each) that only the owner can read: the look-ups read them with
 * pg_sequence_last_value, a function call, where reading a table would be a query.
 */
export const KEY_SEQUENCES = ['key_a', 'key_b'] as const;

export function valuesTable(type: AttributeType): string {
  return `values_${type}`;
}

export const PRINCIPAL_COLUMNS: Column[] = [
  { name: 'id', type: 'integer', notNull: true },
  { name: 'login', type: 'text', notNull: true },
  { name: 'db_role', type: 'text', notNull: true },
  { name: 'enabled', type: 'boolean', notNull: true },
  { name: 'bypass', type: 'boolean', notNull: true },
  { name: 'admin', type: 'boolean', notNull: true },
];

export const SUBJECT_ACCESS_COLUMNS: Column[] = [
  { name: 'principal_id', type: 'integer', notNull: true },
  { name: 'subject', type: 'text', notNull: true },
];

export const CONDITION_COLUMNS: Column[] = [
  { name: 'principal_id', type: 'integer', notNull: true },
  { name: 'rule', type: 'text', notNull: true },
  { name: 'cond', type: 'integer', notNull: true },
  { name: 'state', type: 'text', notNull: true, check: "state IN ('open', 'deny', 'values')" },
];

export const ENTRY_SETTINGS_COLUMNS: Column[] = [
  { name: 'login', type: 'text', notNull: true },
  { name: 'principal_id', type: 'integer', notNull: true },
  { name: 'settings', type: 'jsonb', notNull: true },
];

export function valueColumns(type: AttributeType): Column[] {
  return [
    { name: 'principal_id', type: 'integer', notNull: true },
    { name: 'rule', type: 'text', notNull: true },
    { name: 'cond', type: 'integer', notNull: true },
    { name: 'value', type: sqlType(type), notNull: true },
  ];
}

/** The primary key of each entitlement table. */
export function primaryKeyOf(name: string): string[] {
  if (name === PRINCIPALS) return ['id'];
  if (name === SUBJECT_ACCESS) return ['principal_id', 'subject'];
  if (name === CONDITIONS) return ['principal_id', 'rule', 'cond'];
  // Few indexes: `enter` plans its look-up, and the planner opens (and locks) every index.
  if (name === ENTRY_SETTINGS) return ['login'];
  return ['principal_id', 'rule', 'cond', 'value'];
}

export function entitlementTables(schema: string): TableName[] {
  return [PRINCIPALS, SUBJECT_ACCESS, CONDITIONS, ...ATTRIBUTE_TYPES.map(valuesTable), ENTRY_SETTINGS].map((name) => ({ schema, name }));
}

export function tableStatements(schema: string): Statement[] {
  const t = (name: string): TableName => ({ schema, name });
  const out: Statement[] = [
    { kind: 'create_table', table: t(PRINCIPALS), columns: PRINCIPAL_COLUMNS, primaryKey: primaryKeyOf(PRINCIPALS) },
    { kind: 'create_index', name: 'principals_login', table: t(PRINCIPALS), columns: ['login'], unique: true },
    { kind: 'create_index', name: 'principals_db_role', table: t(PRINCIPALS), columns: ['db_role'], unique: false },
    { kind: 'create_table', table: t(SUBJECT_ACCESS), columns: SUBJECT_ACCESS_COLUMNS, primaryKey: primaryKeyOf(SUBJECT_ACCESS) },
    { kind: 'create_table', table: t(CONDITIONS), columns: CONDITION_COLUMNS, primaryKey: primaryKeyOf(CONDITIONS) },
  ];
  for (const type of ATTRIBUTE_TYPES) {
    out.push({ kind: 'create_table', table: t(valuesTable(type)), columns: valueColumns(type), primaryKey: primaryKeyOf(valuesTable(type)) });
  }
  out.push({ kind: 'create_table', table: t(ENTRY_SETTINGS), columns: ENTRY_SETTINGS_COLUMNS, primaryKey: primaryKeyOf(ENTRY_SETTINGS) });
  // For apply's per-principal delete; `enter` plans with it too (three of 16 fast-path locks).
  out.push({ kind: 'create_index', name: 'entry_settings_principal', table: t(ENTRY_SETTINGS), columns: ['principal_id'], unique: false });
  out.push({ kind: 'create_table', table: t(SECRET), columns: [{ name: 'key', type: 'bytea', notNull: true }], primaryKey: [] });
  for (const name of [PRINCIPALS, SUBJECT_ACCESS, CONDITIONS, ...ATTRIBUTE_TYPES.map(valuesTable), ENTRY_SETTINGS, SECRET]) {
    out.push({ kind: 'revoke_all_on_table', table: t(name), from: ['PUBLIC'] });
  }
  out.push({ kind: 'init_secret', table: t(SECRET) });
  out.push({ kind: 'init_key', secret: t(SECRET), sequences: [...KEY_SEQUENCES] });
  return out;
}
