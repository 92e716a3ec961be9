import type { AttributeType } from '../../model/policy.js';
import { ATTRIBUTE_TYPES, type DesiredState } from './desired-state.js';
import { comparisonFunctions } from './comparisons.js';
import { quoteIdent, quoteLiteral, sqlType } from './quote.js';
import { CONDITIONS, PRINCIPALS, SUBJECT_ACCESS, valuesTable } from './tables.js';
import { enterBody, sessionLookupBody } from './session-functions.js';
import { accessFunction, valuesFunction } from './function-names.js';
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
 * `enter` reads one row of one table (two indexes): a backend keeps at most 16 relation locks
 * on its fast path, and the application's query needs its own (a table and each of its
 * indexes) after what `enter` took.
 */

export interface FunctionPlan {
  statements: Statement[];
  /** Functions callers (policies, the application) must be able to execute, with argument types. */
  publicApi: { name: string; argTypes: string[] }[];
  /**
   * The functions policies fold into plans, with argument types: apply touches them after
   * changing entitlements, which makes PostgreSQL drop every cached plan that folded them.
   */
  folded: { name: string; argTypes: string[] }[];
}

type Volatility = 'IMMUTABLE' | 'STABLE' | 'VOLATILE';

export function functionStatements(state: DesiredState): FunctionPlan {
  const { schema, principal } = state.options;
  const S = quoteIdent(schema);
  const g = state.settingPrefix;
  const plan: FunctionPlan = { statements: [], publicApi: [], folded: [] };
  const add = (
    name: string,
    args: { name: string; type: string }[],
    returns: string,
    body: string,
    extra: { volatility: Volatility; definer: boolean; folded?: boolean },
  ): void => {
    plan.statements.push({
      kind: 'create_function',
      schema,
      name,
      args,
      returns,
      body,
      language: 'plpgsql',
      volatility: extra.volatility,
      securityDefiner: extra.definer,
      // Definers get a fixed search_path. The role-mode wrappers name everything
      // schema-qualified, so a SET clause of their own would only add a per-call GUC save and restore.
      fixedSearchPath: extra.definer,
    });
    const entry = { name, argTypes: args.map((a) => a.type) };
    plan.publicApi.push(entry);
    if (extra.folded) plan.folded.push(entry);
  };
  const lookupArgs = [{ name: 'p_rule', type: 'text' }, { name: 'p_cond', type: 'integer' }];
  const subjectArg = [{ name: 'p_subject', type: 'text' }];
  const roleArg = [{ name: 'p_role', type: 'name' }];

  if (principal === 'session') {
    add('enter', [{ name: 'p_login', type: 'text' }], 'void', enterBody(state), { volatility: 'VOLATILE', definer: true });
    add(accessFunction('session'), subjectArg, 'text', sessionLookupBody(state, 'access'), { volatility: 'IMMUTABLE', definer: true, folded: true });
    for (const type of ATTRIBUTE_TYPES) {
      add(valuesFunction(type), lookupArgs, `${sqlType(type)}[]`, sessionLookupBody(state, type), { volatility: 'IMMUTABLE', definer: true, folded: true });
    }
  } else {
    const who = rolePrincipalSteps(S);
    // The definers take the role; the folded wrappers pass `current_user` from the caller's context.
    add('role_access', [...subjectArg, ...roleArg], 'name', accessBody(S, 'p_role', who), { volatility: 'IMMUTABLE', definer: true });
    add(accessFunction('role'), subjectArg, 'name', callBody(`${S}.role_access(p_subject, current_user)`), { volatility: 'IMMUTABLE', definer: false, folded: true });
    for (const type of ATTRIBUTE_TYPES) {
      const inner = `role_${valuesFunction(type)}`;
      add(inner, [...lookupArgs, ...roleArg], `${sqlType(type)}[]`, valuesBody(S, type, who), { volatility: 'IMMUTABLE', definer: true });
      add(valuesFunction(type), lookupArgs, `${sqlType(type)}[]`, callBody(`${S}.${quoteIdent(inner)}(p_rule, p_cond, current_user)`), {
        volatility: 'IMMUTABLE',
        definer: false,
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
