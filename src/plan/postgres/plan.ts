import { createHash } from 'node:crypto';
import type { Database } from '../../db/database.js';
import { error, warning, type Diagnostic, type Loc } from '../../diagnostics/diagnostic.js';
import type { AttributeType, Scalar } from '../../model/policy.js';
import type { ResolvedModel } from '../../resolve/model.js';
import { ATTRIBUTE_TYPES, type DesiredState, type SubjectTableSpec, type TableName } from '../../targets/postgres/desired-state.js';
import { functionStatements } from '../../targets/postgres/functions.js';
import { policyStatements, POLICY_PREFIX } from '../../targets/postgres/policies.js';
import { entryRowCells, INSERT_BATCH, scriptStatements } from '../../targets/postgres/script.js';
import { PUBLIC, type Column, type Statement } from '../../targets/postgres/statements.js';
import {
  CONDITION_COLUMNS,
  CONDITIONS,
  ENTRY_SETTINGS,
  ENTRY_SETTINGS_COLUMNS,
  PRINCIPAL_COLUMNS,
  PRINCIPALS,
  SUBJECT_ACCESS,
  SUBJECT_ACCESS_COLUMNS,
  entitlementTables,
  primaryKeyOf,
  tableStatements,
  valueColumns,
  valuesTable,
} from '../../targets/postgres/tables.js';
import { tableRef } from '../../targets/postgres/writers.js';
import type { Plan, PlanChange, PlanTarget } from '../plan-types.js';
import { accessDiffFromRows } from './access-from-rows.js';
import type { PgOp } from './changes.js';
import { conditionParts, desiredDigests, desiredRecords, diffEntitlements, valueParts, isEmptyEntitlementDiff, type EntitlementDiff, type PrincipalDigest, type PrincipalRecord } from './entitlements.js';
import { compareText, readLiveRecords, readLiveState, type LiveState, type LiveSubjectTable } from './live.js';
import { STAMP_PREFIX } from './op-writers.js';
import { GENERATION_FUNCTION, GENERATION_SEQUENCE, GENERATION_TRIGGER, generationFunction, generationPrivileges } from './generation.js';

/**
 * plan = diff(live state, desired state), as data. Objects are compared one by one (schema,
 * tables, indexes, privileges, functions, row-level security and each policy, grants) and
 * entitlements principal by principal. The result lists the changes in the order apply runs
 * them, with the operations that make them, and the per-user access diff from the rows.
 */

/** What a plan reads of the target besides warden's schema; stored in the plan so apply reads the same. */
export interface PostgresProbe {
  schema: string;
  tables: TableName[];
  roles: string[];
}

/** The fingerprint of the live state as a plan with this probe saw it (apply's staleness check). */
export async function liveFingerprint(db: Database, probe: PostgresProbe): Promise<string> {
  const live = await readLiveState(db, probe.schema, probe.tables, expectedTableSignatures(probe.schema), probe.roles, false);
  return fingerprintLive(live);
}

/** warden's own tables as this version creates them (independent of the policies). */
export function expectedTableSignatures(schema: string): Map<string, string> {
  return tableSignatures(tableStatements(schema));
}

export interface PostgresPlanInput {
  state: DesiredState;
  model: ResolvedModel;
  target: PlanTarget;
  /** Where diagnostics about the target point (its block in warden.yaml). */
  targetLoc: Loc;
}

export interface PostgresPlanResult {
  plan: Plan | null;
  diagnostics: Diagnostic[];
}

/** Logins listed in a change's details before the rest is counted. */
const MAX_DETAIL_LOGINS = 20;

export async function planPostgres(db: Database, input: PostgresPlanInput): Promise<PostgresPlanResult> {
  const { state, model } = input;
  const { schema } = state.options;
  const desiredKeys = desiredDigests(state.entitlements);
  // Only the static objects: the entitlement rows are diffed principal by principal below.
  const script = scriptStatements({ ...state, entitlements: NO_ENTITLEMENTS });
  // The generation counter's trigger function is planned like warden's other functions.
  script.splice(script.findIndex((s) => s.kind === 'commit'), 0, generationFunction(schema), generationPrivileges(schema));
  const signatures = tableSignatures(script);
  const roles = state.options.principal === 'role' ? [...new Set(state.entitlements.principals.filter((p) => p.enabled).map((p) => p.dbRole))] : [];
  const probe: PostgresProbe = { schema, tables: state.subjects.map((s) => s.table), roles: roles.sort(compareText) };
  const live = await readLiveState(db, probe.schema, probe.tables, signatures, probe.roles);
  const diagnostics: Diagnostic[] = [];
  const missing = state.subjects.filter((s) => !live.subjectTables.has(tableRef(s.table)));
  for (const s of missing) {
    const def = model.policy.subjects.get(s.subject);
    const loc = def?.table?.loc ?? def?.loc ?? input.targetLoc;
    diagnostics.push(
      error('E-PG-TABLE-MISSING', `table ${tableRef(s.table)} of subject "${s.subject}" does not exist on target "${input.target.name}"`, loc, {
        hint: 'create the table first (row-level security is set on existing tables), or correct `table:`; an embedded database is created with the CREATE TABLEs of fixtures/*.sql (delete .warden/<target>/ to recreate it)',
      }),
    );
  }
  if (state.options.principal === 'role') diagnostics.push(...missingRoles(state, live, input.targetLoc));
  if (missing.length > 0) return { plan: null, diagnostics };

  const builder = new PlanBuilder();
  const replacedTables = planTables(builder, script, live, signatures);
  const recreated = builder.recreated;
  planFunctions(builder, script, live, state);
  planGeneration(builder, schema, live, recreated);
  for (const subject of state.subjects) planSubject(builder, state, subject, live.subjectTables.get(tableRef(subject.table))!);
  for (const table of live.leftoverTables) planLeftover(builder, table);
  planObsoleteFunctions(builder, script, live, schema);
  const liveEntitlements = replacedTables ? null : live.entitlements;
  const ent = diffEntitlements(desiredKeys, liveEntitlements);
  const liveCount = liveEntitlements?.principals.size ?? 0;
  // Most principals changed (a first sync, a rule change for everyone): clear and bulk-load instead of deleting row sets one by one.
  const full = liveCount > 0 && ent.changed.length + ent.removed.length > liveCount / 2;
  const written = full ? null : new Set([...ent.added, ...ent.changed]);
  const desiredRows = isEmptyEntitlementDiff(ent) ? new Map<string, PrincipalRecord>() : desiredRecords(state.entitlements, written);
  planEntitlements(builder, schema, desiredRows, ent, full, liveCount, functionStatements(state).folded);

  const liveChanged = [...ent.changed, ...ent.removed].map((login) => liveEntitlements!.principals.get(login)!);
  const liveRecords = await readLiveRecords(db, schema, liveChanged);
  const access = accessDiffFromRows(
    [...ent.added, ...ent.changed, ...ent.removed],
    (login) => liveRecords.get(login),
    (login) => desiredRows.get(login),
    model.policy,
  );
  const plan: Plan = {
    version: 1,
    target: input.target,
    fingerprint: fingerprintLive(live),
    desired: fingerprintDesired(state, desiredKeys),
    changes: builder.changes,
    access,
    operations: builder.ops,
    probe,
  };
  return { plan, diagnostics };
}

const NO_ENTITLEMENTS: DesiredState['entitlements'] = { principals: [], subjectAccess: [], conditions: [], values: { boolean: [], date: [], integer: [], number: [], string: [] }, entries: [] };

class PlanBuilder {
  changes: PlanChange[] = [];
  /** warden's tables created or replaced by this plan (their triggers go with them). */
  recreated = new Set<string>();
  ops: PgOp[] = [];
  add(change: PlanChange, ops: PgOp[]): void {
    this.changes.push(change);
    this.ops.push(...ops);
  }
}

const st = (statement: Statement): PgOp => ({ op: 'statement', statement });

function columnSignature(columns: Column[], primaryKey: string[]): string {
  return `${columns.map((c) => `${c.name} ${c.type}${c.notNull ? ' not null' : ''}`).join(', ')}; pk(${primaryKey.join(',')})`;
}

function tableSignatures(script: Statement[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of script) if (s.kind === 'create_table') out.set(s.table.name, columnSignature(s.columns, s.primaryKey));
  return out;
}

/** Schema, warden's tables, their indexes and privileges, the secret. Returns whether any entitlement table is (re)created. */
function planTables(b: PlanBuilder, script: Statement[], live: LiveState, signatures: Map<string, string>): boolean {
  // Creating entry_settings (derived from the others) keeps the live rows: see live.ts.
  const entitlementNames = new Set(entitlementTables('x').map((t) => t.name).filter((name) => name !== ENTRY_SETTINGS));
  let entitlementsReset = false;
  let secretWritten = false;
  const recreated = b.recreated;
  for (const s of script) {
    switch (s.kind) {
      case 'create_schema':
        if (!live.schemaExists) b.add({ action: 'create', object: 'schema', address: `schema ${s.schema}`, reason: 'does not exist', drift: false }, [st(s)]);
        break;
      case 'create_table': {
        const have = live.tables.get(s.table.name);
        const address = `table ${tableRef(s.table)}`;
        if (!have) {
          b.add({ action: 'create', object: 'table', address, reason: 'does not exist', drift: live.schemaExists }, [st(s)]);
        } else if (have.signature !== signatures.get(s.table.name)) {
          b.add(
            { action: 'replace', object: 'table', address, reason: `columns differ: ${have.signature} -> ${signatures.get(s.table.name)}`, drift: true },
            [{ op: 'drop_table', table: s.table }, st(s)],
          );
        } else break;
        recreated.add(s.table.name);
        if (entitlementNames.has(s.table.name)) entitlementsReset = true;
        break;
      }
      case 'create_index': {
        const want = `${s.table.name}(${s.columns.join(',')})${s.unique ? ' unique' : ''}`;
        const have = live.indexes.get(s.name);
        if (have === want && !recreated.has(s.table.name)) break;
        const address = `index ${s.name} on ${tableRef(s.table)}`;
        if (have === undefined || recreated.has(s.table.name)) {
          b.add({ action: 'create', object: 'index', address, reason: 'does not exist', drift: live.schemaExists && !recreated.has(s.table.name) }, [st(s)]);
        } else {
          b.add({ action: 'replace', object: 'index', address, reason: `defined as ${have}, expected ${want}`, drift: true }, [
            { op: 'drop_index', schema: s.table.schema ?? '', name: s.name },
            st(s),
          ]);
        }
        break;
      }
      case 'revoke_all_on_table': {
        const have = recreated.has(s.table.name) ? [] : (live.tables.get(s.table.name)?.grantees ?? []);
        if (have.length > 0) {
          b.add(
            { action: 'update', object: 'grant', address: `privileges on ${tableRef(s.table)}`, reason: `granted to ${have.join(', ')}; only the owner may read it`, drift: true },
            [st({ ...s, from: [...new Set([PUBLIC, ...have])] })],
          );
        }
        break;
      }
      case 'init_secret':
        if (live.secretRows === 0 || recreated.has(s.table.name)) {
          b.add({ action: 'create', object: 'secret', address: `secret key in ${tableRef(s.table)}`, reason: 'no key yet', drift: live.tables.has(s.table.name) && !recreated.has(s.table.name) }, [st(s)]);
          secretWritten = true;
        }
        break;
      case 'init_key':
        if (secretWritten || live.keyState !== 'ok') {
          const address = `signing key (sequences ${s.sequences.map((name) => `${s.secret.schema ?? ''}.${name}`).join(', ')})`;
          const reason = live.keyState === 'missing' ? 'does not exist' : secretWritten ? 'set from the new secret' : 'readable by others, or not the secret\'s';
          // Drift only when no change of this plan explains it (a new secret does).
          b.add({ action: live.keyState === 'missing' ? 'create' : 'update', object: 'key', address, reason, drift: !secretWritten && live.keyState !== 'missing' }, [st(s)]);
        }
        break;
      default:
        break;
    }
  }
  return entitlementsReset;
}

function planGeneration(b: PlanBuilder, schema: string, live: LiveState, recreated: Set<string>): void {
  if (live.generation === null) {
    b.add({ action: 'create', object: 'sequence', address: `sequence ${schema}.${GENERATION_SEQUENCE}`, reason: 'does not exist (counts changes to the entitlement rows, for saved plans)', drift: false }, [
      { op: 'create_sequence', schema, name: GENERATION_SEQUENCE },
    ]);
  }
  for (const table of entitlementTables(schema)) {
    if (live.generationTriggers.has(table.name) && !recreated.has(table.name)) continue;
    b.add(
      {
        action: 'create',
        object: 'trigger',
        address: `trigger ${GENERATION_TRIGGER} on ${tableRef(table)}`,
        reason: live.tables.has(table.name) && !recreated.has(table.name) ? 'missing or disabled' : 'does not exist',
        drift: live.generation !== null && live.tables.has(table.name) && !recreated.has(table.name),
      },
      [{ op: 'generation_trigger', table, function: { schema, name: GENERATION_FUNCTION }, trigger: GENERATION_TRIGGER }],
    );
  }
}

function functionStamp(body: string): string {
  return `${STAMP_PREFIX}${createHash('sha256').update(body).digest('hex').slice(0, 32)}`;
}

function stampFunction(schema: string, s: Extract<Statement, { kind: 'create_function' }>): PgOp {
  return { op: 'stamp_function', schema, name: s.name, argTypes: s.args.map((a) => a.type), stamp: functionStamp(s.body) };
}

function functionKey(name: string, argTypes: string[]): string {
  return `${name}(${argTypes.join(', ')})`;
}

const VOLATILITY: Record<string, string> = { IMMUTABLE: 'i', STABLE: 's', VOLATILE: 'v' };

function planFunctions(b: PlanBuilder, script: Statement[], live: LiveState, state: DesiredState): void {
  const { schema } = state.options;
  const created = new Set<string>();
  for (const s of script) {
    if (s.kind === 'create_function') {
      const argTypes = s.args.map((a) => a.type);
      const key = functionKey(s.name, argTypes);
      const have = live.functions.get(key);
      const address = `function ${schema}.${key}`;
      const expectedConfig = `search_path=pg_catalog, ${searchPathSchema(schema)}, pg_temp`;
      if (!have) {
        b.add({ action: 'create', object: 'function', address, reason: 'does not exist', drift: false }, [st(s), stampFunction(schema, s)]);
        created.add(key);
        continue;
      }
      const diffs: string[] = [];
      if (have.source !== s.body) diffs.push('body');
      if (have.securityDefiner !== s.securityDefiner) diffs.push(s.securityDefiner ? 'not SECURITY DEFINER' : 'SECURITY DEFINER');
      if (have.volatility !== VOLATILITY[s.volatility]) diffs.push('volatility');
      if (have.language !== s.language) diffs.push('language');
      if (have.result !== s.returns) diffs.push(`returns ${have.result}`);
      if (have.identity !== s.args.map((a) => `${a.name} ${a.type}`).join(', ')) diffs.push('argument names');
      const wantConfig = s.fixedSearchPath ? [expectedConfig] : [];
      if (have.config.join('\n') !== wantConfig.join('\n')) diffs.push('search_path');
      if (diffs.length === 0) {
        if (have.comment !== functionStamp(s.body)) b.add({ action: 'update', object: 'function', address, reason: 'not stamped as written by warden', drift: false }, [stampFunction(schema, s)]);
        continue;
      }
      // Warden stamps each function with the hash of the body it wrote: a body that no longer
      // matches its own stamp was edited by hand; one that does is merely older than the policies.
      const stamped = have.comment?.startsWith(STAMP_PREFIX) ?? false;
      const drift = stamped && have.comment !== functionStamp(have.source);
      // A changed return type or argument name cannot be replaced in place.
      const inPlace = have.result === s.returns && have.identity === s.args.map((a) => `${a.name} ${a.type}`).join(', ');
      b.add(
        { action: inPlace ? 'update' : 'replace', object: 'function', address, reason: `differs: ${diffs.join(', ')}${drift ? ' (edited by hand)' : stamped ? '' : ' (no warden stamp: written by hand or by an earlier warden)'}`, drift },
        inPlace ? [st(s), stampFunction(schema, s)] : [{ op: 'drop_function', schema, name: s.name, argTypes }, st(s), stampFunction(schema, s)],
      );
      if (!inPlace) created.add(key);
    } else if (s.kind === 'function_privileges') {
      const key = functionKey(s.name, s.argTypes);
      const want = s.grantTo.length > 0 ? [...s.grantTo].sort(compareText) : [];
      // A new function may be executed by PUBLIC until privileges are set.
      const have = created.has(key) ? [PUBLIC] : (live.functions.get(key)?.executors ?? [PUBLIC]);
      if (have.join('\n') === want.join('\n')) continue;
      const extra = have.filter((r) => r !== PUBLIC && !want.includes(r));
      const ops: PgOp[] = [st(s)];
      if (extra.length > 0) ops.unshift({ op: 'revoke_function', schema, name: s.name, argTypes: s.argTypes, from: extra });
      b.add(
        {
          action: 'update',
          object: 'grant',
          address: `execute on function ${schema}.${key}`,
          reason: `executable by ${have.length ? have.join(', ') : 'the owner only'}; should be ${want.length ? want.join(', ') : 'the owner only'}`,
          drift: !created.has(key) && live.functions.has(key),
        },
        ops,
      );
    } else if (s.kind === 'schema_usage') {
      const want = s.grantTo.map((r) => `${r}:USAGE`).sort(compareText);
      const have = live.schemaGrants;
      if (have.join('\n') === want.join('\n')) continue;
      const extra = [...new Set(have.map((g) => g.slice(0, g.lastIndexOf(':'))))].filter((r) => r !== PUBLIC && !s.grantTo.includes(r));
      const ops: PgOp[] = [st(s)];
      if (extra.length > 0) ops.unshift({ op: 'revoke_schema', schema, from: extra });
      b.add(
        { action: 'update', object: 'grant', address: `usage on schema ${schema}`, reason: `granted ${have.join(', ') || 'to nobody'}; should be ${want.join(', ')}`, drift: live.schemaExists && have.length > 0 },
        ops,
      );
    }
  }
}

/** How PostgreSQL prints a schema name inside a stored search_path setting. */
function searchPathSchema(schema: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(schema) ? schema : `"${schema.replaceAll('"', '""')}"`;
}

function usingHash(statement: Extract<Statement, { kind: 'create_policy' }>): string {
  return createHash('sha256').update(JSON.stringify([statement.restrictive, statement.using])).digest('hex').slice(0, 32);
}

function planSubject(b: PlanBuilder, state: DesiredState, subject: SubjectTableSpec, live: LiveSubjectTable): void {
  const address = tableRef(subject.table);
  const statements = policyStatements(state, subject);
  const stamped = [...live.policies.values()].some((p) => p.comment?.startsWith(STAMP_PREFIX));
  if (!live.rls || !live.force) {
    const what = [!live.rls ? 'row level security disabled' : '', !live.force ? 'not forced' : ''].filter(Boolean).join(', ');
    const enable = statements.find((s) => s.kind === 'enable_rls')!;
    b.add({ action: 'update', object: 'rls', address: `row level security on ${address}`, reason: what, drift: stamped }, [st(enable)]);
  }
  const desiredNames = new Set<string>();
  for (const s of statements) {
    if (s.kind !== 'create_policy') continue;
    desiredNames.add(s.name);
    const hash = usingHash(s);
    const have = live.policies.get(s.name);
    const policyAddress = `policy ${s.name} on ${address}`;
    const create: PgOp[] = [st(s), { op: 'stamp_policy', table: subject.table, name: s.name, usingHash: hash }];
    if (!have) {
      b.add({ action: 'create', object: 'policy', address: policyAddress, reason: 'does not exist', drift: stamped }, create);
      continue;
    }
    const diffs: string[] = [];
    const stampedHash = have.comment?.startsWith(STAMP_PREFIX) ? have.comment.slice(STAMP_PREFIX.length).split(':') : null;
    if (stampedHash === null) diffs.push('not written by this plan/apply (no stamp)');
    else {
      if (stampedHash[0] !== hash) diffs.push('the rule changed');
      if (stampedHash[1] !== have.exprMd5) diffs.push('expression edited by hand');
    }
    if (have.permissive === s.restrictive) diffs.push(s.restrictive ? 'permissive, should be restrictive' : 'restrictive, should be permissive');
    if (have.command !== '*') diffs.push('not FOR ALL');
    if (have.roles.join(',') !== PUBLIC) diffs.push(`applies to ${have.roles.join(', ')}, should be PUBLIC`);
    if (have.hasWithCheck) diffs.push('has a WITH CHECK expression');
    if (diffs.length === 0) continue;
    const drift = stampedHash !== null && diffs.some((d) => d !== 'the rule changed');
    b.add({ action: 'replace', object: 'policy', address: policyAddress, reason: diffs.join(', '), drift }, [{ op: 'drop_policy', table: subject.table, name: s.name }, ...create]);
  }
  for (const have of [...live.policies.values()].sort((x, y) => compareText(x.name, y.name))) {
    if (desiredNames.has(have.name)) continue;
    if (have.name.startsWith(POLICY_PREFIX)) {
      b.add({ action: 'delete', object: 'policy', address: `policy ${have.name} on ${address}`, reason: 'no rule defines it any more', drift: false }, [
        { op: 'drop_policy', table: subject.table, name: have.name },
      ]);
    } else if (have.permissive) {
      // Permissive policies are ORed: one that warden did not write would widen what its policies allow.
      b.add(
        { action: 'delete', object: 'policy', address: `policy ${have.name} on ${address}`, reason: 'a permissive policy warden did not write widens access beyond the rules', drift: true },
        [{ op: 'drop_policy', table: subject.table, name: have.name }],
      );
    }
  }
  if (state.options.grantTo.length > 0) {
    const missing = state.options.grantTo.filter((r) => !live.selectGrantees.includes(r));
    if (missing.length > 0) {
      b.add(
        { action: 'update', object: 'grant', address: `select on ${address}`, reason: `not granted to ${missing.join(', ')}`, drift: stamped },
        [st({ kind: 'grant_select', table: subject.table, grantTo: missing })],
      );
    }
  }
}

/** A table whose subject was removed: its warden policies go; row-level security stays on, so it fails closed. */
function planLeftover(b: PlanBuilder, table: LiveSubjectTable): void {
  const names = [...table.policies.keys()].filter((n) => n.startsWith(POLICY_PREFIX)).sort(compareText);
  for (const name of names) {
    b.add(
      {
        action: 'delete',
        object: 'policy',
        address: `policy ${name} on ${table.address}`,
        reason: 'no subject uses this table any more (row level security stays enabled: disable it by hand if the table should be open)',
        drift: false,
      },
      [{ op: 'drop_policy', table: table.table, name }],
    );
  }
}

function planObsoleteFunctions(b: PlanBuilder, script: Statement[], live: LiveState, schema: string): void {
  const wanted = new Set(script.filter((s) => s.kind === 'create_function').map((s) => functionKey(s.name, s.args.map((a) => a.type))));
  for (const [key, fn] of [...live.functions].sort((x, y) => compareText(x[0], y[0]))) {
    if (wanted.has(key)) continue;
    b.add({ action: 'delete', object: 'function', address: `function ${schema}.${key}`, reason: 'not part of the compiled policies', drift: false }, [
      { op: 'drop_function', schema, name: fn.name, argTypes: fn.argTypes },
    ]);
  }
}

function listLogins(logins: string[]): string[] {
  const shown = logins.slice(0, MAX_DETAIL_LOGINS);
  if (logins.length > shown.length) shown.push(`… and ${logins.length - shown.length} more`);
  return shown;
}

function planEntitlements(
  b: PlanBuilder,
  schema: string,
  desired: Map<string, PrincipalRecord>,
  diff: EntitlementDiff,
  full: boolean,
  liveCount: number,
  folded: { name: string; argTypes: string[] }[],
): void {
  if (isEmptyEntitlementDiff(diff)) return;
  const touched = diff.added.length + diff.changed.length + diff.removed.length;
  const ops: PgOp[] = [];
  if (full) {
    ops.push(st({ kind: 'truncate', tables: entitlementTables(schema) }));
  } else {
    const ids = [...diff.changed.map((l) => diff.ids.get(l)!), ...diff.removedIds, ...diff.orphanIds].sort((a, b) => a - b);
    if (ids.length > 0) ops.push({ op: 'delete_entitlements', schema, principalIds: ids });
  }
  // Both lists are in login order already; only a mix of the two needs sorting.
  const write = full ? [...desired.keys()] : diff.changed.length === 0 ? diff.added : diff.added.length === 0 ? diff.changed : [...diff.added, ...diff.changed].sort(compareText);
  ops.push(...insertOps(schema, write.map((login) => [diff.ids.get(login)!, desired.get(login)!]), full || liveCount === 0));
  // Policies fold entitlements into plans: cached plans (prepared statements, principal: role
  // sessions) must be made again with the new rows.
  if (folded.length > 0) ops.push(st({ kind: 'invalidate_plans', schema, functions: folded }));
  const summary = full ? 'full reload' : `${touched} principal${touched === 1 ? '' : 's'} replaced`;
  const entChanges: PlanChange[] = [];
  if (diff.added.length > 0) {
    entChanges.push({ action: 'create', object: 'entitlements', address: `entitlements of ${diff.added.length} new principal${diff.added.length === 1 ? '' : 's'}`, reason: `not in the database (${summary})`, drift: false, details: listLogins(diff.added) });
  }
  if (diff.changed.length > 0) {
    entChanges.push({ action: 'update', object: 'entitlements', address: `entitlements of ${diff.changed.length} principal${diff.changed.length === 1 ? '' : 's'}`, reason: `rows differ from the compiled policies; each principal's rows are replaced in full (${summary})`, drift: false, details: listLogins(diff.changed) });
  }
  if (diff.removed.length > 0) {
    entChanges.push({ action: 'delete', object: 'entitlements', address: `entitlements of ${diff.removed.length} removed principal${diff.removed.length === 1 ? '' : 's'}`, reason: 'no longer in the policies', drift: false, details: listLogins(diff.removed) });
  }
  if (diff.orphanIds.length > 0) {
    entChanges.push({ action: 'delete', object: 'entitlements', address: `entitlement rows of ${diff.orphanIds.length} unknown principal id${diff.orphanIds.length === 1 ? '' : 's'}`, reason: 'rows without a principal (inserted by hand)', drift: true, details: diff.orphanIds.slice(0, MAX_DETAIL_LOGINS).map(String) });
  }
  for (const [i, change] of entChanges.entries()) b.add(change, i === entChanges.length - 1 ? ops : []);
}


/**
 * Bulk inserts (unnest of one array per column), in batches, for the given principals. `intoEmpty`:
 * the tables were just emptied, so, as the postgres target's script does, the primary keys are
 * dropped and rebuilt once after the load instead of being maintained row by row.
 */
export function insertOps(schema: string, principals: [number, PrincipalRecord][], intoEmpty = false): PgOp[] {
  const rows = {
    principals: [] as (Scalar | null)[][],
    access: [] as (Scalar | null)[][],
    conditions: [] as (Scalar | null)[][],
    values: Object.fromEntries(ATTRIBUTE_TYPES.map((t) => [t, [] as (Scalar | null)[][]])) as Record<AttributeType, (Scalar | null)[][]>,
    entries: [] as (Scalar | null)[][],
  };
  for (const [id, r] of principals) {
    rows.principals.push([id, r.login, r.dbRole, r.enabled, r.bypass, r.admin]);
    for (const s of [...r.subjects].sort(compareText)) rows.access.push([id, s]);
    for (const row of r.conditions) {
      const c = conditionParts(row);
      rows.conditions.push([id, c.rule, c.cond, c.state]);
    }
    for (const row of r.values) {
      const v = valueParts(row);
      rows.values[v.type].push([id, v.rule, v.cond, v.text]);
    }
    if (r.entry !== undefined) rows.entries.push(entryRowCells({ login: r.login, principalId: id, text: r.entry }));
  }
  const ops: PgOp[] = [];
  const load = (name: string, columns: Column[], list: (Scalar | null)[][]) => {
    if (list.length === 0) return;
    const table = { schema, name };
    if (intoEmpty) ops.push(st({ kind: 'drop_primary_key', table }));
    for (let i = 0; i < list.length; i += INSERT_BATCH) {
      ops.push(st({ kind: 'insert_rows', table, columns, rows: list.slice(i, i + INSERT_BATCH) }));
    }
    if (intoEmpty) ops.push(st({ kind: 'add_primary_key', table, columns: primaryKeyOf(name) }));
  };
  load(PRINCIPALS, PRINCIPAL_COLUMNS, rows.principals);
  load(SUBJECT_ACCESS, SUBJECT_ACCESS_COLUMNS, rows.access);
  load(CONDITIONS, CONDITION_COLUMNS, rows.conditions);
  for (const type of ATTRIBUTE_TYPES) load(valuesTable(type), valueColumns(type), rows.values[type]);
  load(ENTRY_SETTINGS, ENTRY_SETTINGS_COLUMNS, rows.entries);
  return ops;
}

function missingRoles(state: DesiredState, live: LiveState, loc: Loc): Diagnostic[] {
  const missing = state.entitlements.principals.filter((p) => p.enabled && !live.existingRoles.has(p.dbRole)).map((p) => p.dbRole);
  if (missing.length === 0) return [];
  const shown = missing.slice(0, 10).join(', ') + (missing.length > 10 ? `, … (${missing.length} in all)` : '');
  return [
    warning('W-PG-ROLE-MISSING', `principal: role, but ${missing.length} user role${missing.length === 1 ? '' : 's'} do not exist on the target: ${shown}`, loc, {
      hint: 'warden does not create roles; a user whose role is missing cannot connect, so sees nothing',
    }),
  ];
}

/** Hash of everything a plan read: any change on the target between plan and apply changes it. */
export function fingerprintLive(live: LiveState): string {
  const hash = createHash('sha256');
  const put = (value: unknown) => hash.update(`${JSON.stringify(value)}\n`);
  put([live.schemaExists, live.schemaGrants, live.secretRows > 0, live.keyState]);
  for (const [name, t] of [...live.tables].sort((a, b) => compareText(a[0], b[0]))) put(['table', name, t]);
  for (const [name, def] of [...live.indexes].sort((a, b) => compareText(a[0], b[0]))) put(['index', name, def]);
  for (const [key, f] of [...live.functions].sort((a, b) => compareText(a[0], b[0]))) put(['function', key, f]);
  const tables = [...live.subjectTables.values(), ...live.leftoverTables].sort((a, b) => compareText(a.address, b.address));
  for (const t of tables) {
    put(['subject', t.address, t.rls, t.force, t.selectGrantees]);
    for (const [name, p] of [...t.policies].sort((a, b) => compareText(a[0], b[0]))) put(['policy', name, p]);
  }
  put(['roles', [...live.existingRoles].sort(compareText)]);
  put(['generation', live.generation, [...live.generationTriggers].sort(compareText)]);
  if (live.generationReliable) {
    // Every write to the entitlement tables advances the counter: it stands for their rows.
    put(['entitlements by generation']);
  } else if (live.entitlements) {
    put(['orphans', live.entitlements.orphanIds]);
    for (const login of [...live.entitlements.principals.keys()].sort(compareText)) {
      const p = live.entitlements.principals.get(login)!;
      hash.update(`${login}\u0000${p.id}\u0000${p.key}\n`);
    }
  } else put(['no entitlements']);
  return `sha256:${hash.digest('hex')}`;
}

export function fingerprintDesired(state: DesiredState, records: Map<string, PrincipalDigest>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([state.options, state.subjects.map((s) => ({ ...s, rules: s.rules.map((r) => ({ ...r, loc: undefined })) }))]));
  for (const [login, d] of records) hash.update(`\n${login}\u0000${d.key}`);
  return `sha256:${hash.digest('hex')}`;
}
