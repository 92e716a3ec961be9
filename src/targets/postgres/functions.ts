import type { AttributeType } from '../../model/policy.js';
import { ATTRIBUTE_TYPES, type DesiredState, type RuleSpec } from './desired-state.js';
import { fastRules, fastSettingNames, MIN_VALUE } from './fast-filter.js';
import { quoteIdent, quoteLiteral, sqlType } from './quote.js';
import { CONDITIONS, PRINCIPALS, SECRET, SUBJECT_ACCESS, valuesTable } from './tables.js';
import type { Statement } from './statements.js';

/**
 * warden's functions. The ones that read entitlements are SECURITY DEFINER (owner rights, fixed
 * search_path) and answer only for the principal of the current transaction:
 * - `principal: session`: the principal `enter` recorded in transaction-local settings, accepted
 *   only with a token that is a keyed hash of (backend pid, transaction start, principal) under
 *   a secret only the owner can read. Setting the values by hand, or copying them into another
 *   transaction, yields no principal, so no rows.
 * - `principal: role`: the role the policy passes (`current_user`, read in the caller's context,
 *   never inside the definer where it would be the owner), accepted only when the session's
 *   login role is, or may become, that role: so no caller learns another role's entitlements.
 */

export interface FunctionPlan {
  statements: Statement[];
  /** Functions callers (policies, the application) must be able to execute, with argument types. */
  publicApi: { name: string; argTypes: string[] }[];
  /** Internal helpers; EXECUTE stays with the owner. */
  internal: { name: string; argTypes: string[] }[];
}

export function functionStatements(state: DesiredState): FunctionPlan {
  const { schema, principal } = state.options;
  const S = quoteIdent(schema);
  const g = state.settingPrefix;
  const plan: FunctionPlan = { statements: [], publicApi: [], internal: [] };
  const add = (
    name: string,
    args: { name: string; type: string }[],
    returns: string,
    body: string,
    extra: { procedural?: boolean; volatility?: 'STABLE' | 'VOLATILE'; api: boolean },
  ): void => {
    plan.statements.push({
      kind: 'create_function',
      schema,
      name,
      args,
      returns,
      // A definer SQL function is never inlined and is planned again on every call (three nested
      // calls per look-up); PL/pgSQL keeps its plans for the session, which makes each look-up cheap.
      body: extra.procedural ? body : `\nBEGIN\n  RETURN (${body.trim()}\n  );\nEND\n`,
      language: 'plpgsql',
      volatility: extra.volatility ?? 'STABLE',
      // Internal helpers run only inside the API functions (EXECUTE stays with the owner), so they
      // already have the owner's rights and fixed search_path; a SECURITY DEFINER / SET clause of
      // their own would only repeat the per-call GUC save and restore.
      securityDefiner: extra.api,
      fixedSearchPath: extra.api,
    });
    (extra.api ? plan.publicApi : plan.internal).push({ name, argTypes: args.map((a) => a.type) });
  };
  const roleArg = principal === 'role' ? [{ name: 'p_role', type: 'name' }] : [];
  // The principal is computed inside each look-up's own query (one statement per call, no
  // nested function calls: this runs once per policy condition per query).
  const who = principal === 'role' ? rolePrincipalSql(S) : sessionPrincipalSql(S, g);

  if (principal === 'session') {
    add(
      '_token',
      [{ name: 'p_id', type: 'integer' }],
      'text',
      `
  SELECT ${tokenSql('s.key', 'p_id')}
  FROM ${S}.${quoteIdent(SECRET)} s
  LIMIT 1
`,
      { api: false },
    );
    add('enter', [{ name: 'p_login', type: 'text' }], 'void', enterBody(state), { procedural: true, volatility: 'VOLATILE', api: true });
  }

  add(
    'can_access',
    [{ name: 'p_subject', type: 'text' }, ...roleArg],
    'boolean',
    `
  SELECT EXISTS (SELECT 1 FROM ${S}.${quoteIdent(SUBJECT_ACCESS)} a WHERE a.principal_id = ${who} AND a.subject = p_subject)
`,
    { api: true },
  );
  add(
    'cond_open',
    [{ name: 'p_rule', type: 'text' }, { name: 'p_cond', type: 'integer' }, ...roleArg],
    'boolean',
    `
  -- No principal: closed. A rule with no row for the principal does not apply to it: open.
  SELECT CASE WHEN w.id IS NULL THEN false
              ELSE COALESCE((SELECT c.state = 'open' FROM ${S}.${quoteIdent(CONDITIONS)} c
                             WHERE c.principal_id = w.id AND c.rule = p_rule AND c.cond = p_cond), true) END
  FROM (SELECT ${who} AS id) w
`,
    { api: true },
  );
  for (const type of ATTRIBUTE_TYPES) {
    const T = sqlType(type);
    add(
      `cond_values_${type}`,
      [{ name: 'p_rule', type: 'text' }, { name: 'p_cond', type: 'integer' }, ...roleArg],
      `${T}[]`,
      `
  -- NULL (compares as unknown: no row passes) unless the condition compares with values.
  SELECT CASE WHEN c.state = 'values' THEN
           COALESCE((SELECT pg_catalog.array_agg(v.value ORDER BY v.value) FROM ${S}.${quoteIdent(valuesTable(type))} v
                     WHERE v.principal_id = c.principal_id AND v.rule = c.rule AND v.cond = c.cond), '{}'::${T}[]) END
  FROM ${S}.${quoteIdent(CONDITIONS)} c
  WHERE c.principal_id = ${who} AND c.rule = p_rule AND c.cond = p_cond
`,
      { api: true },
    );
  }
  return plan;
}

/** HMAC-style keyed hash of (backend, transaction start, principal): sha256(key || sha256(key || message)). */
function tokenSql(key: string, id: string): string {
  return `pg_catalog.encode(pg_catalog.sha256(${key} || pg_catalog.sha256(${key} || pg_catalog.convert_to(
           pg_catalog.pg_backend_pid()::text || ':' || EXTRACT(epoch FROM pg_catalog.transaction_timestamp())::text || ':' || ${id}::text,
           'UTF8'))), 'hex')`;
}

/** The entered principal of this transaction: its id only when the token `enter` wrote checks out. */
function sessionPrincipalSql(S: string, g: string): string {
  const setting = (name: string) => `pg_catalog.current_setting(${quoteLiteral(`${g}_${name}`)}, true)`;
  return `(SELECT p.id FROM ${S}.${quoteIdent(PRINCIPALS)} p CROSS JOIN ${S}.${quoteIdent(SECRET)} s
      WHERE p.enabled
        AND p.id = CASE WHEN ${setting('p')} ~ '^[0-9]{1,9}$' THEN ${setting('p')}::integer END
        AND ${setting('t')} = ${tokenSql('s.key', 'p.id')}
      LIMIT 1)`;
}

/** Exactly one enabled principal with this role, and only if the session could act as that role anyway. */
function rolePrincipalSql(S: string): string {
  return `(SELECT CASE WHEN pg_catalog.count(*) = 1 THEN pg_catalog.min(p.id) END
      FROM ${S}.${quoteIdent(PRINCIPALS)} p
      WHERE p.enabled AND p.db_role = p_role::text
        AND CASE WHEN p_role = session_user THEN true
                 WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = p_role) THEN false
                 ELSE pg_catalog.pg_has_role(session_user, p_role, 'MEMBER') END)`;
}

/**
 * `enter(login)`: records the principal for this transaction only (set_config(..., true)), which
 * works in a READ ONLY transaction too. Unknown or disabled logins record no principal: the
 * transaction then sees no rows. It also writes, per single-condition `in`/`eq` rule, the
 * principal's values as settings that the policies read as plain STABLE expressions (see
 * fast-filter.ts); those only ever narrow what the verified look-ups allow.
 */
function enterBody(state: DesiredState): string {
  const S = quoteIdent(state.options.schema);
  const g = state.settingPrefix;
  const lines = [
    '',
    'DECLARE',
    '  v_id integer;',
    '  v_state text;',
    'BEGIN',
    `  SELECT p.id INTO v_id FROM ${S}.${quoteIdent(PRINCIPALS)} p WHERE p.login = p_login AND p.enabled;`,
    `  PERFORM pg_catalog.set_config(${quoteLiteral(`${g}_p`)}, COALESCE(v_id::text, ''), true);`,
    `  PERFORM pg_catalog.set_config(${quoteLiteral(`${g}_t`)}, CASE WHEN v_id IS NULL THEN '' ELSE ${S}._token(v_id) END, true);`,
  ];
  for (const rule of fastRules(state)) lines.push(...enterFastRule(S, g, rule));
  lines.push('END', '');
  return lines.join('\n');
}

function enterFastRule(S: string, g: string, rule: RuleSpec): string[] {
  const type: AttributeType = rule.conditions[0].type;
  const names = fastSettingNames(g, rule);
  const set = (name: string, value: string) => `    PERFORM pg_catalog.set_config(${quoteLiteral(name)}, ${value}, true);`;
  return [
    `  -- rule ${quoteLiteral(rule.name)}`,
    `  v_state := (SELECT c.state FROM ${S}.${quoteIdent(CONDITIONS)} c WHERE c.principal_id = v_id AND c.rule = ${quoteLiteral(rule.name)} AND c.cond = 0);`,
    '  IF v_id IS NULL OR v_state = \'deny\' THEN',
    set(names.values, "''"),
    set(names.open, "''"),
    '  ELSIF v_state IS NULL OR v_state = \'open\' THEN',
    set(names.values, "''"),
    set(names.open, "'on'"),
    '  ELSE',
    set(
      names.values,
      `COALESCE((SELECT pg_catalog.array_agg(v.value ORDER BY v.value)::text FROM ${S}.${quoteIdent(valuesTable(type))} v WHERE v.principal_id = v_id AND v.rule = ${quoteLiteral(rule.name)} AND v.cond = 0), '{}')`,
    ),
    set(names.open, "''"),
    '  END IF;',
  ];
}

export { MIN_VALUE };
