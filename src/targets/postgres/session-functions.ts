import type { AttributeType } from '../../model/policy.js';
import { ATTRIBUTE_TYPES, type DesiredState } from './desired-state.js';
import { conditionSettingName, subjectSettingName } from './entry-settings.js';
import { accessFunction, valuesFunction } from './function-names.js';
import { quoteIdent, quoteLiteral, sqlType } from './quote.js';
import { ENTRY_SETTINGS, KEY_SEQUENCES } from './tables.js';
import { keySequenceValueSql } from './writers.js';

/**
 * The bodies of `principal: session`'s functions: `enter`, which signs the principal's settings
 * once per transaction, and the look-ups, which check a signature and read nothing else (why:
 * functions.ts). A signature is sha256(key || sha256(key || message)), hex, over
 * `<backend pid>:<transaction start>:<principal id>:<setting name>:<payload>`; setting names hold
 * no `:` (SPEC 3 names, checked), so no two messages meet.
 */

/**
 * `<transaction start as epoch>:<setting>`, builtin functions only: the access look-up returns it
 * (folded at plan time) for the subject's grant setting, and the policy's tie computes it once
 * per execution, so a plan only passes in the transaction, and for the entered principal, it was
 * planned for.
 */
export function transactionKeySql(setting: string): string {
  return `(EXTRACT(epoch FROM pg_catalog.transaction_timestamp()))::pg_catalog.text OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) COALESCE(${setting}, '')`;
}

/** The setting that holds one of `entry_settings`' names in this schema's namespace of settings. */
function entrySettingSql(prefix: string, nameSql: string): string {
  return `pg_catalog.current_setting(${quoteLiteral(`${prefix}_`)} || ${nameSql}, true)`;
}

/** The subject's signed grant setting, which the policy's tie reads (policies.ts). */
export function grantSettingSql(state: DesiredState, subject: string): string {
  return `pg_catalog.current_setting(${quoteLiteral(`${state.settingPrefix}_${subjectSettingName(subject)}`)}, true)`;
}

/** The signing key, `<part a>:<part b>:`: two sequences only the owner can read (tables.ts, KEY_SEQUENCES). */
function keySql(schema: string): string {
  return `${KEY_SEQUENCES.map((name) => `${keySequenceValueSql(schema, name)}::pg_catalog.text`).join(` || ':' || `)} || ':'`;
}

/** `<backend pid>:<transaction start>:<principal id>:`, what every signature of this transaction starts with. */
function contextSql(principal: string): string {
  return `pg_catalog.pg_backend_pid()::pg_catalog.text || ':' || (EXTRACT(epoch FROM pg_catalog.transaction_timestamp()))::pg_catalog.text || ':' || ${principal} || ':'`;
}

/** HMAC-style keyed hash, hex: sha256(key || sha256(key || message)). */
function signatureSql(key: string, message: string): string {
  return `pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(${key} || pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(${key} || ${message}, 'UTF8')), 'hex'), 'UTF8')), 'hex')`;
}

/** Names a look-up may be asked for: SPEC 3's names, so a setting name never holds a `:` of the signed text. */
const NAME_PATTERN = "'^[a-z][a-z0-9_-]*$'";

/**
 * A session look-up: `access` (the subject's grant: the transaction key, or NULL) or the values
 * of one condition of the given type (NULL = open, `{NULL}` = deny, else the values). Straight
 * declarations and one RETURN, so that one call plans every expression of it (see `enter`'s
 * warm-up). The setting holds a 64-character signature followed by the payload.
 */
export function sessionLookupBody(state: DesiredState, kind: AttributeType | 'access'): string {
  const g = state.settingPrefix;
  const name =
    kind === 'access'
      ? `'a_' || pg_catalog.translate(p_subject, '-', '$')`
      : `'c_' || pg_catalog.translate(p_rule, '-', '$') || '_' || p_cond::pg_catalog.text`;
  const nameOk = kind === 'access' ? `p_subject ~ ${NAME_PATTERN}` : `p_rule ~ ${NAME_PATTERN} AND p_cond >= 0`;
  const T = kind === 'access' ? '' : sqlType(kind);
  const result =
    kind === 'access'
      ? `CASE WHEN v_ok THEN ${transactionKeySql('v_value')} END`
      : `CASE WHEN v_ok THEN CASE pg_catalog.substr(v_value, 65) WHEN 'open' THEN NULL WHEN 'deny' THEN '{NULL}' ELSE pg_catalog.substr(v_value, 65)::${T}[] END ELSE '{NULL}' END`;
  return `
DECLARE
  v_name text := ${name};
  v_value text := ${entrySettingSql(g, 'v_name')};
  v_p text := pg_catalog.current_setting(${quoteLiteral(`${g}_p`)}, true);
  v_key text := ${keySql(state.options.schema)};
  v_ok boolean := ${nameOk} AND v_p ~ '^[0-9]{1,9}$'
    AND pg_catalog.substr(v_value, 1, 64) = ${signatureSql('v_key', `${contextSql('v_p')} || v_name || ':' || pg_catalog.substr(v_value, 65)`)};
BEGIN
  RETURN ${result};
END
`;
}

/**
 * `enter(login)`: for this transaction only (set_config(..., true), which works in a READ ONLY
 * transaction too), writes the principal's id and one signed setting per subject it may see and
 * per condition of those subjects' rules: the payload of its `entry_settings` row, or `open` for
 * a rule that does not apply to it (the rules come from the policies, compiled into this body).
 * Unknown or disabled logins have no row: no principal, so no rows.
 *
 * First DISCARD PLANS: the session's cached plans (prepared statements) folded another
 * transaction's or principal's entitlements and would return no rows (their tie fails); this
 * makes them plan again, for this principal. It also discards the look-ups' own expression
 * plans, so `enter` calls each once at the end (an empty name, which matches nothing): the
 * application's first query then finds them planned.
 */
export function enterBody(state: DesiredState): string {
  const S = quoteIdent(state.options.schema);
  const g = state.settingPrefix;
  const subjects = state.subjects.map((s) => subjectSettingName(s.subject));
  const conditions: { name: string; owner: number }[] = [];
  state.subjects.forEach((subject, i) => {
    for (const rule of subject.rules) rule.conditions.forEach((_, cond) => conditions.push({ name: conditionSettingName(rule.name, cond), owner: i + 1 }));
  });
  const textArray = (items: string[]) => `ARRAY[${items.map(quoteLiteral).join(', ')}]::text[]`;
  const sign = (nameSql: string, payloadSql: string) =>
    `PERFORM pg_catalog.set_config(${quoteLiteral(`${g}_`)} || ${nameSql}, ${signatureSql('v_key', `v_context || ${nameSql} || ':' || ${payloadSql}`)} || ${payloadSql}, true);`;
  return [
    '',
    'DECLARE',
    '  v_id integer;',
    '  v_settings jsonb;',
    '  v_key text;',
    '  v_context text;',
    '  v_payload text;',
    `  v_subjects text[] := ${textArray(subjects)};`,
    `  v_conditions text[] := ${textArray(conditions.map((c) => c.name))};`,
    `  v_owner integer[] := ARRAY[${conditions.map((c) => String(c.owner)).join(', ')}]::integer[];`,
    "  v_granted boolean[] := '{}';",
    '  i integer;',
    'BEGIN',
    '  DISCARD PLANS;',
    `  SELECT e.principal_id, e.settings INTO v_id, v_settings FROM ${S}.${quoteIdent(ENTRY_SETTINGS)} e WHERE e.login = p_login;`,
    `  PERFORM pg_catalog.set_config(${quoteLiteral(`${g}_p`)}, COALESCE(v_id::text, ''), true);`,
    '  IF v_id IS NULL THEN',
    '    RETURN;',
    '  END IF;',
    `  v_key := ${keySql(state.options.schema)};`,
    `  v_context := ${contextSql('v_id::pg_catalog.text')};`,
    `  FOR i IN 1 .. ${subjects.length} LOOP`,
    '    v_granted[i] := v_settings ? v_subjects[i];',
    '    IF v_granted[i] THEN',
    `      ${sign('v_subjects[i]', "''")}`,
    '    END IF;',
    '  END LOOP;',
    `  FOR i IN 1 .. ${conditions.length} LOOP`,
    '    IF v_granted[v_owner[i]] THEN',
    "      v_payload := COALESCE(v_settings ->> v_conditions[i], 'open');",
    `      ${sign('v_conditions[i]', 'v_payload')}`,
    '    END IF;',
    '  END LOOP;',
    ...warmUpLookups(state),
    'END',
    '',
  ].join('\n');
}

/** One call of each look-up the policies use (see enterBody): the access look-up and the value types the rules compare. */
function warmUpLookups(state: DesiredState): string[] {
  if (state.subjects.length === 0) return [];
  const S = quoteIdent(state.options.schema);
  const used = new Set(state.subjects.flatMap((s) => s.rules.flatMap((r) => r.conditions.map((c) => c.type))));
  return [`  PERFORM ${S}.${accessFunction('session')}('');`, ...ATTRIBUTE_TYPES.filter((type) => used.has(type)).map((type) => `  PERFORM ${S}.${valuesFunction(type)}('', 0);`)];
}
