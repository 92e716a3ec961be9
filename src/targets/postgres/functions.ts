import type { AttributeType } from '../../model/policy.js';
import { ATTRIBUTE_TYPES, type DesiredState } from './desired-state.js';
import { comparisonFunctions } from './comparisons.js';
import { quoteIdent, quoteLiteral, sqlType } from './quote.js';
import { CONDITIONS, PRINCIPALS, SECRET, SUBJECT_ACCESS, valuesTable } from './tables.js';
import type { Statement } from './statements.js';

/**
 * warden's functions: the look-ups that policies fold into their plans (policies.ts says why
 * they are IMMUTABLE and why that is safe), `enter`, and the comparison wrappers (comparisons.ts).
 *
 * The look-ups are SECURITY DEFINER (owner rights, fixed search_path) and answer only for the
 * principal of the current transaction:
 * - `principal: session`: the principal `enter` recorded in transaction-local settings, accepted
 *   only with a token that is a keyed hash of (backend pid, transaction start, principal) under
 *   a secret only the owner can read. Setting the values by hand, or copying them into another
 *   transaction, yields no principal, so no rows.
 * - `principal: role`: the role a non-definer wrapper passes (`current_user`, read in the caller's
 *   context, never inside the definer where it would be the owner), accepted only when the
 *   session's login role is, or may become, that role: so no caller learns another role's entitlements.
 *
 * Each look-up is ONE statement in PL/pgSQL: it runs while the planner folds a policy (once per
 * planned query and look-up), and a PL/pgSQL statement keeps its plan for the session, where a
 * nested SQL-language function would be planned again on every call.
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
    const who = sessionPrincipalSteps(S, g);
    // The token of an enabled principal (NULL otherwise). One shared statement: `enter` plans it
    // (after its DISCARD PLANS), and every look-up of the transaction then finds it planned.
    add(
      '_token',
      [{ name: 'p_id', type: 'integer' }],
      'text',
      `\n  SELECT ${tokenSql('s.key', 'p.id')}\n  FROM ${S}.${quoteIdent(SECRET)} s\n  JOIN ${S}.${quoteIdent(PRINCIPALS)} p ON p.id = p_id AND p.enabled\n  LIMIT 1\n`,
      { volatility: 'STABLE', definer: false, api: false },
    );
    add('enter', [{ name: 'p_login', type: 'text' }], 'void', enterBody(state), { procedural: true, volatility: 'VOLATILE', definer: true, api: true });
    add(accessFunction('session'), subjectArg, 'text', accessBody(S, transactionKeySql(g), who), { procedural: true, volatility: 'IMMUTABLE', definer: true, api: true, folded: true });
    for (const type of ATTRIBUTE_TYPES) {
      add(valuesFunction(type), lookupArgs, `${sqlType(type)}[]`, valuesBody(S, type, who), { procedural: true, volatility: 'IMMUTABLE', definer: true, api: true, folded: true });
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

/**
 * `<transaction start as epoch>:<token setting>`: the same builtin-only text in the access look-up
 * (folded at plan time) and in the policy's tie (evaluated once per execution), so a plan only
 * passes in the transaction, and for the entered principal, it was planned for.
 */
export function transactionKeySql(g: string): string {
  return `(EXTRACT(epoch FROM pg_catalog.transaction_timestamp()))::pg_catalog.text OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) COALESCE(pg_catalog.current_setting(${quoteLiteral(`${g}_t`)}, true), '')`;
}

/** HMAC-style keyed hash of (backend, transaction start, principal): sha256(key || sha256(key || message)). */
function tokenSql(key: string, id: string): string {
  return `pg_catalog.encode(pg_catalog.sha256(${key} || pg_catalog.sha256(${key} || pg_catalog.convert_to(
           pg_catalog.pg_backend_pid()::text || ':' || EXTRACT(epoch FROM pg_catalog.transaction_timestamp())::text || ':' || ${id}::text,
           'UTF8'))), 'hex')`;
}

/**
 * PL/pgSQL steps that set `v_id` to the entered principal of this transaction, or NULL: the id
 * `enter` wrote is taken only when the token beside it checks out for this backend and transaction.
 */
function sessionPrincipalSteps(S: string, g: string): string[] {
  const setting = (name: string) => `pg_catalog.current_setting(${quoteLiteral(`${g}_${name}`)}, true)`;
  return [
    `v_id := CASE WHEN ${setting('p')} ~ '^[0-9]{1,9}$' THEN ${setting('p')}::integer END;`,
    `IF ${setting('t')} IS DISTINCT FROM ${S}._token(v_id) THEN`,
    '  v_id := NULL;',
    'END IF;',
  ];
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
 * `enter(login)`: records the principal for this transaction only (set_config(..., true)), which
 * works in a READ ONLY transaction too. Unknown or disabled logins record no principal: the
 * transaction then sees no rows. First DISCARD PLANS: the session's cached plans (prepared
 * statements, PL/pgSQL) folded another transaction's or principal's entitlements and would
 * return no rows (their tie fails); this makes them plan again, for this principal. (First, so
 * that `_token`, which every look-up of the transaction calls, is planned here once.)
 */
function enterBody(state: DesiredState): string {
  const S = quoteIdent(state.options.schema);
  const g = state.settingPrefix;
  return [
    '',
    'DECLARE',
    '  v_id integer;',
    'BEGIN',
    '  DISCARD PLANS;',
    `  SELECT p.id INTO v_id FROM ${S}.${quoteIdent(PRINCIPALS)} p WHERE p.login = p_login AND p.enabled;`,
    `  PERFORM pg_catalog.set_config(${quoteLiteral(`${g}_p`)}, COALESCE(v_id::text, ''), true);`,
    `  PERFORM pg_catalog.set_config(${quoteLiteral(`${g}_t`)}, COALESCE(${S}._token(v_id), ''), true);`,
    ...warmUpLookups(state),
    'END',
    '',
  ].join('\n');
}

/**
 * DISCARD PLANS also threw away the look-ups' own statement plans; without this, the first query
 * of every transaction would plan them again while it plans itself. Calling each look-up once
 * (an empty subject and rule name match no row, so nothing is revealed or kept) plans their
 * statements here, in `enter`, which runs once per transaction anyway: the same work, moved out
 * of the application's first query. Only the value types the rules compare are warmed.
 */
function warmUpLookups(state: DesiredState): string[] {
  const S = quoteIdent(state.options.schema);
  const used = new Set(state.subjects.flatMap((s) => s.rules.flatMap((r) => r.conditions.map((c) => c.type))));
  const types = ATTRIBUTE_TYPES.filter((type) => used.has(type));
  if (state.subjects.length === 0) return [];
  return [
    '  IF v_id IS NOT NULL THEN',
    `    PERFORM ${S}.${accessFunction('session')}('');`,
    ...types.map((type) => `    PERFORM ${S}.${valuesFunction(type)}('', 0);`),
    '  END IF;',
  ];
}
