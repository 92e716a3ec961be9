import type { AttributeType } from '../../model/policy.js';
import { ATTRIBUTE_TYPES, type DesiredState } from './desired-state.js';
import { comparisonFunctions } from './comparisons.js';
import { quoteIdent, quoteLiteral, sqlType } from './quote.js';
import { CONDITIONS, ENTRY_SETTINGS, KEY_SEQUENCES, PRINCIPALS, SUBJECT_ACCESS, valuesTable } from './tables.js';
import { conditionSettingName, subjectSettingName } from './entry-settings.js';
import type { Statement } from './statements.js';

/**
 * warden's functions: the look-ups that policies fold into their plans (policies.ts says why
 * they are IMMUTABLE and why that is safe), `enter`, and the comparison wrappers (comparisons.ts).
 *
 * The look-ups are SECURITY DEFINER (owner rights, fixed search_path) and answer only for the
 * principal of the current transaction:
 * - `principal: session`: `enter` reads the principal's one `entry_settings` row and writes each
 *   grant and condition into a transaction-local setting, signed: a keyed hash of (backend pid,
 *   transaction start, principal, setting name, payload) under a key only the owner can read.
 *   A look-up reads its setting and checks the signature, and nothing else: no table, no query,
 *   only builtin functions (the key comes from two sequences through pg_sequence_last_value).
 *   Setting values by hand, copying them from another transaction or backend, or mixing those of
 *   two principals yields deny; a missing setting is deny too (never "no restriction").
 * - `principal: role`: the role a non-definer wrapper passes (`current_user`, read in the caller's
 *   context, never inside the definer where it would be the owner), accepted only when the
 *   session's login role is, or may become, that role: so no caller learns another role's entitlements.
 *
 * Why session look-ups read no table: they run while the planner plans each query (once per
 * look-up and query), and every query inside a look-up costs about as much as planning a small
 * query. On PostgreSQL 15, planning bench/rls's selective query (three look-ups) took 116 µs
 * with look-ups that read tables, 75 µs with these, 19 µs written by hand (BENCHMARKS.md). And
 * `enter` reads one row of one table with one index: a backend keeps at most 16 relation locks
 * on its fast path, and the application's query needs its own (a table and each of its
 * indexes) after what `enter` took.
 */

export interface FunctionPlan {
  statements: Statement[];
  /** Functions callers (policies, the application) must be able to execute, with argument types. */
  publicApi: { name: string; argTypes: string[] }[];
  /** Internal helpers; EXECUTE stays with the owner. */
  internal: { name: string; argTypes: string[] }[];
  /**
   * The functions policies fold into plans, with argument types: apply touches them after
   * changing entitlements, which makes PostgreSQL drop every cached plan that folded them.
   */
  folded: { name: string; argTypes: string[] }[];
}

type Volatility = 'IMMUTABLE' | 'STABLE' | 'VOLATILE';

/** The look-up of a condition's values for one attribute type. */
export function valuesFunction(type: AttributeType): string {
  return `values_${type}`;
}

/** The subject look-up the permissive policy compares with (access key or role name). */
export function accessFunction(principal: 'session' | 'role'): string {
  return principal === 'session' ? 'access_key' : 'access_role';
}

export function functionStatements(state: DesiredState): FunctionPlan {
  const { schema, principal } = state.options;
  const S = quoteIdent(schema);
  const g = state.settingPrefix;
  const plan: FunctionPlan = { statements: [], publicApi: [], internal: [], folded: [] };
  const add = (
    name: string,
    args: { name: string; type: string }[],
    returns: string,
    body: string,
    extra: { procedural?: boolean; volatility: Volatility; definer: boolean; api: boolean; folded?: boolean },
  ): void => {
    plan.statements.push({
      kind: 'create_function',
      schema,
      name,
      args,
      returns,
      body: extra.procedural ? body : `\nBEGIN\n  RETURN (${body.trim()}\n  );\nEND\n`,
      language: 'plpgsql',
      volatility: extra.volatility,
      securityDefiner: extra.definer,
      // Definers get a fixed search_path. Internal helpers run only inside them (EXECUTE stays
      // with the owner) and the role-mode wrappers name everything schema-qualified, so a SET
      // clause of their own would only add a per-call GUC save and restore.
      fixedSearchPath: extra.definer,
    });
    const entry = { name, argTypes: args.map((a) => a.type) };
    (extra.api ? plan.publicApi : plan.internal).push(entry);
    if (extra.folded) plan.folded.push(entry);
  };
  const lookupArgs = [{ name: 'p_rule', type: 'text' }, { name: 'p_cond', type: 'integer' }];
  const subjectArg = [{ name: 'p_subject', type: 'text' }];
  const roleArg = [{ name: 'p_role', type: 'name' }];

  if (principal === 'session') {
    add('enter', [{ name: 'p_login', type: 'text' }], 'void', enterBody(state), { procedural: true, volatility: 'VOLATILE', definer: true, api: true });
    add(accessFunction('session'), subjectArg, 'text', sessionLookupBody(state, 'access'), { procedural: true, volatility: 'IMMUTABLE', definer: true, api: true, folded: true });
    for (const type of ATTRIBUTE_TYPES) {
      add(valuesFunction(type), lookupArgs, `${sqlType(type)}[]`, sessionLookupBody(state, type), { procedural: true, volatility: 'IMMUTABLE', definer: true, api: true, folded: true });
    }
  } else {
    const who = rolePrincipalSteps(S);
    // The definers take the role; the folded wrappers pass `current_user` from the caller's context.
    add('role_access', [...subjectArg, ...roleArg], 'name', accessBody(S, 'p_role', who), { procedural: true, volatility: 'IMMUTABLE', definer: true, api: true });
    add(accessFunction('role'), subjectArg, 'name', callBody(`${S}.role_access(p_subject, current_user)`), { procedural: true, volatility: 'IMMUTABLE', definer: false, api: true, folded: true });
    for (const type of ATTRIBUTE_TYPES) {
      const inner = `role_${valuesFunction(type)}`;
      add(inner, [...lookupArgs, ...roleArg], `${sqlType(type)}[]`, valuesBody(S, type, who), { procedural: true, volatility: 'IMMUTABLE', definer: true, api: true });
      add(valuesFunction(type), lookupArgs, `${sqlType(type)}[]`, callBody(`${S}.${quoteIdent(inner)}(p_rule, p_cond, current_user)`), {
        procedural: true,
        volatility: 'IMMUTABLE',
        definer: false,
        api: true,
        folded: true,
      });
    }
  }
  for (const fn of comparisonFunctions(state)) {
    plan.statements.push(fn);
    plan.publicApi.push({ name: fn.name, argTypes: fn.args.map((a) => a.type) });
  }
  return plan;
}

/** A PL/pgSQL body returning one call: a simple expression, evaluated without the executor. */
function callBody(call: string): string {
  return `\nBEGIN\n  RETURN ${call};\nEND\n`;
}

/**
 * The values of one condition for the principal, as the comparison wrappers read them:
 * NULL = open (`all`, or the rule does not apply: applies_to, bypass);
 * `{NULL}` = deny (no verified principal, or `all` under not_in/ne): every comparison is unknown;
 * otherwise the sorted values (`{}` = none).
 *
 * Plain single-table statements: `enter` discards the session's plans (DISCARD PLANS), so these
 * are planned again in every transaction (in `enter` itself, which warms the look-ups up), and a
 * join costs several times a single-table look-up to plan. The principal steps (shared `_token`, planned by `enter`) check that it is enabled.
 */
function valuesBody(S: string, type: AttributeType, who: string[]): string {
  const T = sqlType(type);
  return `
DECLARE
  v_id integer;
  v_state text;
  r ${T}[];
BEGIN
${who.map((line) => `  ${line}`).join('\n')}
  IF v_id IS NULL THEN
    RETURN '{NULL}';
  END IF;
  SELECT c.state, CASE WHEN c.state = 'values' THEN
           COALESCE((SELECT pg_catalog.array_agg(v.value ORDER BY v.value) FROM ${S}.${quoteIdent(valuesTable(type))} v
                     WHERE v.principal_id = v_id AND v.rule = p_rule AND v.cond = p_cond), '{}'::${T}[]) END
  INTO v_state, r
  FROM ${S}.${quoteIdent(CONDITIONS)} c WHERE c.principal_id = v_id AND c.rule = p_rule AND c.cond = p_cond;
  IF v_state IS NULL OR v_state = 'open' THEN
    RETURN NULL;
  END IF;
  IF v_state = 'deny' THEN
    RETURN '{NULL}';
  END IF;
  RETURN r;
END
`;
}

/** `key` when the verified principal (enabled: the steps check it) may see the subject; NULL otherwise. */
function accessBody(S: string, key: string, who: string[]): string {
  return `
DECLARE
  v_id integer;
BEGIN
${who.map((line) => `  ${line}`).join('\n')}
  RETURN (SELECT ${key} FROM ${S}.${quoteIdent(SUBJECT_ACCESS)} a WHERE a.principal_id = v_id AND a.subject = p_subject);
END
`;
}

/** PL/pgSQL steps that set `v_id` to the one enabled principal of role `p_role`, only if the session could act as that role anyway. */
function rolePrincipalSteps(S: string): string[] {
  return [
    `v_id := (SELECT pg_catalog.min(q.id) FROM ${S}.${quoteIdent(PRINCIPALS)} q`,
    '         WHERE q.enabled AND q.db_role = p_role::text',
    '           AND CASE WHEN p_role = session_user THEN true',
    '                    WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = p_role) THEN false',
    "                    ELSE pg_catalog.pg_has_role(session_user, p_role, 'MEMBER') END",
    '         HAVING pg_catalog.count(*) = 1);',
  ];
}

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
export function entrySettingSql(prefix: string, nameSql: string): string {
  return `pg_catalog.current_setting(${quoteLiteral(`${prefix}_`)} || ${nameSql}, true)`;
}

/** The signing key, `<part a>:<part b>:`: two sequences only the owner can read (tables.ts, KEY_SEQUENCES). */
function keySql(S: string): string {
  return `${KEY_SEQUENCES.map((name) => `pg_catalog.pg_sequence_last_value(${quoteLiteral(`${S}.${quoteIdent(name)}`)}::pg_catalog.regclass)::pg_catalog.text`).join(` || ':' || `)} || ':'`;
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
function sessionLookupBody(state: DesiredState, kind: AttributeType | 'access'): string {
  const S = quoteIdent(state.options.schema);
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
  v_key text := ${keySql(S)};
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
function enterBody(state: DesiredState): string {
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
    `  v_key := ${keySql(S)};`,
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
