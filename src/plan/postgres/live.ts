import type { Database } from '../../db/database.js';
import { ATTRIBUTE_TYPES, type TableName } from '../../targets/postgres/desired-state.js';
import { keyPartSql, keySequenceValueSql, tableRef } from '../../targets/postgres/writers.js';
import { CONDITIONS, ENTRY_SETTINGS, KEY_SEQUENCES, PRINCIPALS, SECRET, SUBJECT_ACCESS, valuesTable } from '../../targets/postgres/tables.js';
import type { AttributeType } from '../../model/policy.js';
import { digestCondition, digestEntry, digestSubject, digestValue, principalKey, type PrincipalRecord } from './entitlements.js';
import { RowDigest } from './row-digest.js';

/**
 * The live state of a postgres target, read from the catalogs and warden's tables: everything
 * a plan compares with the desired state, and nothing else. Every query is read-only and runs
 * on the connection given (inside apply's transaction when apply re-checks the fingerprint).
 */

export interface LiveTable {
  /** `name type [not null]` per column, in column order, then `pk(...)`. */
  signature: string;
  /** Roles other than the owner holding any privilege (`PUBLIC` for everyone), sorted. */
  grantees: string[];
}

export interface LiveFunction {
  name: string;
  /** Identity argument types, e.g. `text, integer`. */
  argTypes: string[];
  /** `pg_get_function_identity_arguments`, e.g. `p_rule text, p_cond integer`. */
  identity: string;
  source: string;
  securityDefiner: boolean;
  volatility: string;
  language: string;
  result: string;
  config: string[];
  /** Roles other than the owner that may execute it (`PUBLIC` for everyone), sorted. */
  executors: string[];
  comment: string | null;
}

export interface LivePolicy {
  name: string;
  permissive: boolean;
  command: string;
  /** `PUBLIC` or role names, sorted. */
  roles: string[];
  exprMd5: string;
  hasWithCheck: boolean;
  comment: string | null;
}

export interface LiveSubjectTable {
  /** `schema.name` as PostgreSQL resolves it, quoted. */
  address: string;
  table: TableName;
  rls: boolean;
  force: boolean;
  policies: Map<string, LivePolicy>;
  /** Roles directly granted SELECT, sorted. */
  selectGrantees: string[];
}

/** A live principal and the digest of its rows (the rows themselves are read only for changed principals). */
export interface LivePrincipal {
  id: number;
  login: string;
  dbRole: string;
  enabled: boolean;
  bypass: boolean;
  admin: boolean;
  /** principalKey(): flags and row digest. */
  key: string;
}

export interface LiveEntitlements {
  principals: Map<string, LivePrincipal>;
  /** principal_id values of rows whose principal does not exist (rows inserted by hand). */
  orphanIds: number[];
  maxId: number;
  rowCount: number;
}

export interface LiveState {
  schemaExists: boolean;
  /** `grantee:privilege` on warden's schema, owner excluded, sorted. */
  schemaGrants: string[];
  tables: Map<string, LiveTable>;
  /** Index name -> `table(columns)[ unique]`. */
  indexes: Map<string, string>;
  secretRows: number;
  /** The signing key's sequences: absent, present but not the secret's (or readable by others), or in order. */
  keyState: 'missing' | 'differs' | 'ok';
  /** Keyed by `name(argTypes)`. */
  functions: Map<string, LiveFunction>;
  /** Keyed by the desired table's address text (tableRef); absent when the table does not exist. */
  subjectTables: Map<string, LiveSubjectTable>;
  /** Tables (not among the desired ones) carrying policies that use warden's functions: left over from removed subjects. */
  leftoverTables: LiveSubjectTable[];
  /** `last_value:is_called` of the generation sequence, null without one. */
  generation: string | null;
  /** Entitlement tables whose generation trigger exists and is enabled. */
  generationTriggers: Set<string>;
  /** Whether the generation counter covers every entitlement table (then it stands for their rows). */
  generationReliable: boolean;
  /** Null when warden's entitlement tables are missing or of another shape, or were not read. */
  entitlements: LiveEntitlements | null;
  /** In `principal: role` mode, which of the principals' roles exist. */
  existingRoles: Set<string>;
}

const ENTITLEMENT_TABLES = [PRINCIPALS, SUBJECT_ACCESS, CONDITIONS, ...ATTRIBUTE_TYPES.map(valuesTable), ENTRY_SETTINGS];

export async function readLiveState(
  db: Database,
  schema: string,
  desiredTables: TableName[],
  expectedSignatures: Map<string, string>,
  roles: string[] = [],
  /** False for apply's staleness check: the generation counter stands for the rows when it can. */
  readRows = true,
): Promise<LiveState> {
  const ns = await db.queryText('SELECT oid::text FROM pg_catalog.pg_namespace WHERE nspname = $1', [schema]);
  const nsOid = ns.rows[0]?.[0] ?? null;
  const state: LiveState = {
    schemaExists: nsOid !== null,
    schemaGrants: [],
    tables: new Map(),
    indexes: new Map(),
    secretRows: 0,
    keyState: 'missing',
    functions: new Map(),
    subjectTables: new Map(),
    leftoverTables: [],
    entitlements: null,
    existingRoles: new Set(),
    generation: null,
    generationTriggers: new Set(),
    generationReliable: false,
  };
  if (roles.length > 0) {
    const found = await db.queryText('SELECT rolname::text FROM pg_catalog.pg_roles WHERE rolname = ANY($1::text[])', [roles]);
    for (const [name] of found.rows) state.existingRoles.add(name!);
  }
  const subjectOids = await resolveTables(db, desiredTables);
  if (nsOid !== null) {
    state.schemaGrants = await schemaGrants(db, nsOid);
    state.tables = await readTables(db, nsOid);
    state.indexes = await readIndexes(db, nsOid);
    state.functions = await readFunctions(db, nsOid);
    if (state.tables.has('secret')) {
      const secret = await db.queryText(`SELECT count(*)::text FROM ${tableRef({ schema, name: 'secret' })}`);
      state.secretRows = Number(secret.rows[0][0]);
    }
    state.keyState = await readKeyState(db, schema, nsOid, state.secretRows > 0);
    const shapeOk = (name: string) => state.tables.get(name)?.signature === expectedSignatures.get(name);
    // entry_settings is derived from the other tables: without it (a database from before it
    // existed) the rows are still read, so the access diff compares with what users have.
    const shapesOk = ENTITLEMENT_TABLES.every((name) => name === ENTRY_SETTINGS || shapeOk(name));
    await readGeneration(db, schema, nsOid, state);
    state.generationReliable = shapesOk && shapeOk(ENTRY_SETTINGS) && state.generation !== null && ENTITLEMENT_TABLES.every((t) => state.generationTriggers.has(t));
    if (shapesOk && (readRows || !state.generationReliable)) state.entitlements = await readEntitlements(db, schema, shapeOk(ENTRY_SETTINGS));
  }
  const leftovers = nsOid === null ? [] : await tablesUsingSchema(db, nsOid);
  const wanted = new Set(subjectOids.values());
  const all = [...new Set([...subjectOids.values(), ...leftovers])];
  const read = await readSubjectTables(db, all);
  for (const [address, oid] of subjectOids) {
    const table = read.get(oid);
    if (table) state.subjectTables.set(address, table);
  }
  state.leftoverTables = leftovers
    .filter((oid) => !wanted.has(oid))
    .map((oid) => read.get(oid)!)
    .filter(Boolean)
    .sort((a, b) => compareText(a.address, b.address));
  return state;
}

/** Whether both key sequences exist, only their owner may use them, and they hold the secret's parts (writers.ts keyPartSql). */
async function readKeyState(db: Database, schema: string, nsOid: string, hasSecret: boolean): Promise<LiveState['keyState']> {
  const seqs = await db.queryText(
    `SELECT c.relname::text, EXISTS (SELECT 1 FROM pg_catalog.aclexplode(c.relacl) a WHERE a.grantee <> c.relowner)::text
     FROM pg_catalog.pg_class c WHERE c.relnamespace = $1::oid AND c.relkind = 'S' AND c.relname = ANY($2::text[])`,
    [nsOid, [...KEY_SEQUENCES]],
  );
  if (seqs.rows.length < KEY_SEQUENCES.length) return 'missing';
  if (seqs.rows.some((r) => r[1] === 'true') || !hasSecret) return 'differs';
  const checks = KEY_SEQUENCES.map((name, i) => `${keySequenceValueSql(schema, name)} IS NOT DISTINCT FROM ${keyPartSql('s.key', i)}`);
  const same = await db.queryText(`SELECT (${checks.join(' AND ')})::text FROM ${tableRef({ schema, name: SECRET })} s LIMIT 1`);
  return same.rows[0]?.[0] === 'true' ? 'ok' : 'differs';
}

/** Desired table address -> oid, for the tables that exist. */
async function resolveTables(db: Database, tables: TableName[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const table of tables) {
    const address = tableRef(table);
    const r = await db.queryText('SELECT pg_catalog.to_regclass($1)::oid::text', [address]);
    const oid = r.rows[0]?.[0];
    if (oid) out.set(address, oid);
  }
  return out;
}

const ACL_GRANTEE = `CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END`;

async function schemaGrants(db: Database, nsOid: string): Promise<string[]> {
  const r = await db.queryText(
    `SELECT ${ACL_GRANTEE} || ':' || a.privilege_type
     FROM pg_catalog.pg_namespace n, LATERAL pg_catalog.aclexplode(n.nspacl) a
     WHERE n.oid = $1::oid AND a.grantee <> n.nspowner`,
    [nsOid],
  );
  return r.rows.map((row) => row[0]!).sort(compareText);
}

async function readTables(db: Database, nsOid: string): Promise<Map<string, LiveTable>> {
  const cols = await db.queryText(
    `SELECT c.relname::text, a.attname::text || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
     FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
     WHERE c.relnamespace = $1::oid AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY c.relname, a.attnum`,
    [nsOid],
  );
  const pks = await db.queryText(
    `SELECT c.relname::text, pg_catalog.string_agg(a.attname::text, ',' ORDER BY k.ord)
     FROM pg_catalog.pg_class c
     JOIN pg_catalog.pg_constraint con ON con.conrelid = c.oid AND con.contype = 'p'
     CROSS JOIN LATERAL pg_catalog.unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
     WHERE c.relnamespace = $1::oid
     GROUP BY c.relname`,
    [nsOid],
  );
  const grants = await db.queryText(
    `SELECT c.relname::text, ${ACL_GRANTEE}
     FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) a
     WHERE c.relnamespace = $1::oid AND c.relkind = 'r' AND a.grantee <> c.relowner`,
    [nsOid],
  );
  const columns = new Map<string, string[]>();
  for (const [table, col] of cols.rows) {
    const list = columns.get(table!) ?? [];
    list.push(col!);
    columns.set(table!, list);
  }
  const pk = new Map(pks.rows.map(([t, k]) => [t!, k!]));
  const grantees = new Map<string, Set<string>>();
  for (const [t, g] of grants.rows) {
    const set = grantees.get(t!) ?? new Set<string>();
    set.add(g!);
    grantees.set(t!, set);
  }
  const out = new Map<string, LiveTable>();
  for (const [table, list] of columns) {
    out.set(table, { signature: `${list.join(', ')}; pk(${pk.get(table) ?? ''})`, grantees: [...(grantees.get(table) ?? [])].sort(compareText) });
  }
  return out;
}

async function readIndexes(db: Database, nsOid: string): Promise<Map<string, string>> {
  const r = await db.queryText(
    `SELECT ic.relname::text, tc.relname::text || '(' || pg_catalog.string_agg(a.attname::text, ',' ORDER BY k.ord) || ')' || CASE WHEN i.indisunique THEN ' unique' ELSE '' END
     FROM pg_catalog.pg_index i
     JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
     JOIN pg_catalog.pg_class tc ON tc.oid = i.indrelid
     CROSS JOIN LATERAL pg_catalog.unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_catalog.pg_attribute a ON a.attrelid = tc.oid AND a.attnum = k.attnum
     WHERE ic.relnamespace = $1::oid AND NOT i.indisprimary
     GROUP BY ic.relname, tc.relname, i.indisunique`,
    [nsOid],
  );
  return new Map(r.rows.map(([name, def]) => [name!, def!]));
}

async function readFunctions(db: Database, nsOid: string): Promise<Map<string, LiveFunction>> {
  const r = await db.queryText(
    `SELECT p.oid::text, p.proname::text, pg_catalog.pg_get_function_identity_arguments(p.oid),
            COALESCE((SELECT pg_catalog.string_agg(pg_catalog.format_type(t.typ, NULL), ',' ORDER BY t.ord)
                      FROM pg_catalog.unnest(p.proargtypes::oid[]) WITH ORDINALITY AS t(typ, ord)), ''),
            p.prosrc, p.prosecdef::text, p.provolatile::text, l.lanname::text, pg_catalog.pg_get_function_result(p.oid),
            COALESCE(pg_catalog.array_to_string(p.proconfig, E'\\n'), ''),
            CASE WHEN p.proacl IS NULL THEN 'PUBLIC'
                 ELSE COALESCE((SELECT pg_catalog.string_agg(${ACL_GRANTEE}, E'\\n')
                                FROM pg_catalog.aclexplode(p.proacl) a
                                WHERE a.grantee <> p.proowner AND a.privilege_type = 'EXECUTE'), '') END,
            pg_catalog.obj_description(p.oid, 'pg_proc')
     FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l ON l.oid = p.prolang
     WHERE p.pronamespace = $1::oid`,
    [nsOid],
  );
  const out = new Map<string, LiveFunction>();
  for (const row of r.rows) {
    const [, name, identity, argTypes, source, secdef, volatility, language, result, config, executors, comment] = row as (string | null)[] as string[];
    const types = argTypes === '' ? [] : argTypes.split(',');
    out.set(`${name}(${types.join(', ')})`, {
      name,
      argTypes: types,
      identity,
      source,
      securityDefiner: secdef === 'true' || secdef === 't',
      volatility,
      language,
      result,
      config: config === '' ? [] : config.split('\n'),
      executors: executors === '' ? [] : [...new Set(executors.split('\n'))].sort(compareText),
      comment: comment ?? null,
    });
  }
  return out;
}

/** Tables with a policy whose expression calls one of the schema's functions. */
async function tablesUsingSchema(db: Database, nsOid: string): Promise<string[]> {
  const r = await db.queryText(
    `SELECT DISTINCT p.polrelid::text
     FROM pg_catalog.pg_policy p
     JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_policy'::regclass AND d.objid = p.oid AND d.refclassid = 'pg_catalog.pg_proc'::regclass
     JOIN pg_catalog.pg_proc f ON f.oid = d.refobjid
     WHERE f.pronamespace = $1::oid`,
    [nsOid],
  );
  return r.rows.map((row) => row[0]!).sort(compareText);
}

async function readSubjectTables(db: Database, oids: string[]): Promise<Map<string, LiveSubjectTable>> {
  const out = new Map<string, LiveSubjectTable>();
  if (oids.length === 0) return out;
  const tables = await db.queryText(
    `SELECT c.oid::text, n.nspname::text, c.relname::text, c.relrowsecurity::text, c.relforcerowsecurity::text,
            COALESCE((SELECT pg_catalog.string_agg(${ACL_GRANTEE}, E'\\n')
                      FROM pg_catalog.aclexplode(c.relacl) a WHERE a.privilege_type = 'SELECT' AND a.grantee <> c.relowner), '')
     FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = ANY($1::oid[])`,
    [oids],
  );
  for (const [oid, nsp, rel, rls, force, grantees] of tables.rows as string[][]) {
    const table = { schema: nsp, name: rel };
    out.set(oid, {
      address: tableRef(table),
      table,
      rls: rls === 'true' || rls === 't',
      force: force === 'true' || force === 't',
      policies: new Map(),
      selectGrantees: grantees === '' ? [] : [...new Set(grantees.split('\n'))].sort(compareText),
    });
  }
  const policies = await db.queryText(
    `SELECT p.polrelid::text, p.polname::text, p.polpermissive::text, p.polcmd::text,
            (SELECT pg_catalog.string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(r)::text END, E'\\n')
             FROM pg_catalog.unnest(p.polroles) AS r),
            COALESCE(pg_catalog.md5(pg_catalog.pg_get_expr(p.polqual, p.polrelid)), ''),
            (p.polwithcheck IS NOT NULL)::text,
            pg_catalog.obj_description(p.oid, 'pg_policy')
     FROM pg_catalog.pg_policy p WHERE p.polrelid = ANY($1::oid[])`,
    [oids],
  );
  for (const [oid, name, permissive, command, roles, exprMd5, withCheck, comment] of policies.rows) {
    out.get(oid!)!.policies.set(name!, {
      name: name!,
      permissive: permissive === 'true' || permissive === 't',
      command: command!,
      roles: (roles ?? '').split('\n').filter(Boolean).sort(compareText),
      exprMd5: exprMd5!,
      hasWithCheck: withCheck === 'true' || withCheck === 't',
      comment,
    });
  }
  return out;
}

async function readGeneration(db: Database, schema: string, nsOid: string, state: LiveState): Promise<void> {
  const seq = await db.queryText("SELECT 1 FROM pg_catalog.pg_class WHERE relnamespace = $1::oid AND relname = 'generation' AND relkind = 'S'", [nsOid]);
  if (seq.rows.length > 0) {
    const r = await db.queryText(`SELECT last_value::text || ':' || is_called::text FROM ${tableRef({ schema, name: 'generation' })}`);
    state.generation = r.rows[0][0];
  }
  const triggers = await db.queryText(
    `SELECT c.relname::text FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
     WHERE c.relnamespace = $1::oid AND t.tgname = 'warden_generation' AND t.tgenabled IN ('O', 'A')
       AND t.tgfoid = (SELECT p.oid FROM pg_catalog.pg_proc p WHERE p.pronamespace = $1::oid AND p.proname = '_bump_generation' AND p.pronargs = 0)`,
    [nsOid],
  );
  for (const [name] of triggers.rows) state.generationTriggers.add(name!);
}

async function readEntitlements(db: Database, schema: string, withEntries: boolean): Promise<LiveEntitlements> {
  const t = (name: string) => tableRef({ schema, name });
  const principals = await db.queryText(`SELECT id::text, login, db_role, enabled::text, bypass::text, admin::text FROM ${t(PRINCIPALS)}`);
  const digests = new Map<string, RowDigest>();
  let maxId = 0;
  let rowCount = principals.rows.length;
  for (const [id] of principals.rows) {
    digests.set(id!, new RowDigest());
    maxId = Math.max(maxId, Number(id));
  }
  const orphans = new Set<number>();
  // Ids stay text as PostgreSQL prints them: one Map look-up per row, no number conversions.
  const owner = (id: string): RowDigest | undefined => {
    const d = digests.get(id);
    if (!d) orphans.add(Number(id));
    return d;
  };
  const access = await db.queryText(`SELECT principal_id::text, subject FROM ${t(SUBJECT_ACCESS)}`);
  rowCount += access.rows.length;
  for (const [id, subject] of access.rows as string[][]) {
    const d = owner(id);
    if (d) digestSubject(d, subject);
  }
  const conditions = await db.queryText(`SELECT principal_id::text, rule, cond::text, state FROM ${t(CONDITIONS)}`);
  rowCount += conditions.rows.length;
  for (const [id, rule, cond, state] of conditions.rows as string[][]) {
    const d = owner(id);
    if (d) digestCondition(d, rule, cond, state);
  }
  for (const type of ATTRIBUTE_TYPES) {
    const values = await db.queryText(`SELECT principal_id::text, rule, cond::text, value::text FROM ${t(valuesTable(type))}`);
    rowCount += values.rows.length;
    for (const [id, rule, cond, value] of values.rows as string[][]) {
      const d = owner(id);
      if (d) digestValue(d, type, rule, cond, normaliseValue(type, value));
    }
  }
  // Without the table every principal lacks its row, so every one differs and is written again.
  const entries = withEntries ? await db.queryText(`SELECT principal_id::text, login, settings::text FROM ${t(ENTRY_SETTINGS)}`) : { rows: [] };
  rowCount += entries.rows.length;
  for (const [id, login, settings] of entries.rows as string[][]) {
    const d = owner(id);
    if (d) digestEntry(d, login, settings);
  }
  for (const id of orphans) maxId = Math.max(maxId, id);
  const out = new Map<string, LivePrincipal>();
  for (const [id, login, dbRole, enabled, bypass, admin] of principals.rows as string[][]) {
    const flags = { dbRole, enabled: isTrue(enabled), bypass: isTrue(bypass), admin: isTrue(admin) };
    out.set(login, { id: Number(id), login, ...flags, key: principalKey(flags, digests.get(id)!) });
  }
  return { principals: out, orphanIds: [...orphans].sort((a, b) => a - b), maxId, rowCount };
}

/** The full rows of some live principals (the changed ones, for the access diff), by login. */
export async function readLiveRecords(db: Database, schema: string, principals: LivePrincipal[]): Promise<Map<string, PrincipalRecord>> {
  const out = new Map<string, PrincipalRecord>();
  if (principals.length === 0) return out;
  const t = (name: string) => tableRef({ schema, name });
  const byId = new Map<string, PrincipalRecord>();
  for (const p of principals) {
    const record: PrincipalRecord = { login: p.login, dbRole: p.dbRole, enabled: p.enabled, bypass: p.bypass, admin: p.admin, subjects: [], conditions: [], values: [] };
    byId.set(String(p.id), record);
    out.set(p.login, record);
  }
  const ids = principals.map((p) => p.id);
  const access = await db.queryText(`SELECT principal_id::text, subject FROM ${t(SUBJECT_ACCESS)} WHERE principal_id = ANY($1::integer[])`, [ids]);
  for (const [id, subject] of access.rows as string[][]) byId.get(id)!.subjects.push(subject);
  const conditions = await db.queryText(`SELECT principal_id::text, rule, cond::text, state FROM ${t(CONDITIONS)} WHERE principal_id = ANY($1::integer[])`, [ids]);
  for (const [id, rule, cond, state] of conditions.rows as string[][]) byId.get(id)!.conditions.push(`${rule}\u0000${cond}\u0000${state}`);
  for (const type of ATTRIBUTE_TYPES) {
    const values = await db.queryText(`SELECT principal_id::text, rule, cond::text, value::text FROM ${t(valuesTable(type))} WHERE principal_id = ANY($1::integer[])`, [ids]);
    for (const [id, rule, cond, value] of values.rows as string[][]) byId.get(id)!.values.push(`${type}\u0000${rule}\u0000${cond}\u0000${normaliseValue(type, value)}`);
  }
  return out;
}

function isTrue(text: string | null): boolean {
  return text === 'true' || text === 't';
}

/** PostgreSQL's text output of a boolean is `t`/`f`; warden writes `true`/`false`. */
export function normaliseValue(type: AttributeType, text: string): string {
  if (type === 'boolean') return text === 't' || text === 'true' ? 'true' : 'false';
  return text;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
