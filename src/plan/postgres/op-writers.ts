import { quoteIdent, quoteLiteral } from '../../targets/postgres/quote.js';
import { ATTRIBUTE_TYPES } from '../../targets/postgres/desired-state.js';
import { CONDITIONS, ENTRY_SETTINGS, PRINCIPALS, SUBJECT_ACCESS, valuesTable } from '../../targets/postgres/tables.js';
import { PUBLIC } from '../../targets/postgres/statements.js';
import { dollarQuote, tableRef, writeStatement } from '../../targets/postgres/writers.js';
import type { PgOp } from './changes.js';

/** Prefix of the comment that marks a policy as written by plan/apply (see stamp_policy). */
export const STAMP_PREFIX = 'warden:';

function roleList(roles: string[]): string {
  return roles.map((r) => (r === PUBLIC ? PUBLIC : quoteIdent(r))).join(', ');
}

function functionSignature(schema: string, name: string, argTypes: string[]): string {
  // Argument types are warden's own type names (text, integer, name), never input.
  return `${quoteIdent(schema)}.${quoteIdent(name)}(${argTypes.join(', ')})`;
}

/** An integer array literal: ids are numbers warden assigned, checked to be integers. */
function idArray(ids: number[]): string {
  for (const id of ids) if (!Number.isSafeInteger(id)) throw new Error(`principal id ${String(id)} is not an integer`);
  return `${quoteLiteral(`{${ids.join(',')}}`)}::integer[]`;
}

const OP_WRITERS: { [K in PgOp['op']]: (op: Extract<PgOp, { op: K }>) => string } = {
  statement: (o) => writeStatement(o.statement),
  drop_table: (o) => `DROP TABLE IF EXISTS ${tableRef(o.table)} CASCADE;`,
  create_sequence: (o) => `CREATE SEQUENCE IF NOT EXISTS ${quoteIdent(o.schema)}.${quoteIdent(o.name)};\nREVOKE ALL ON SEQUENCE ${quoteIdent(o.schema)}.${quoteIdent(o.name)} FROM PUBLIC;`,
  generation_trigger: (o) =>
    [
      `DROP TRIGGER IF EXISTS ${quoteIdent(o.trigger)} ON ${tableRef(o.table)};`,
      `CREATE TRIGGER ${quoteIdent(o.trigger)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${tableRef(o.table)}`,
      `  FOR EACH STATEMENT EXECUTE FUNCTION ${quoteIdent(o.function.schema)}.${quoteIdent(o.function.name)}();`,
    ].join('\n'),
  drop_index: (o) => `DROP INDEX IF EXISTS ${quoteIdent(o.schema)}.${quoteIdent(o.name)};`,
  drop_policy: (o) => `DROP POLICY IF EXISTS ${quoteIdent(o.name)} ON ${tableRef(o.table)};`,
  stamp_policy: (o) => {
    // The comment records the hash of what warden wrote and of what PostgreSQL made of it, so a
    // later `ALTER POLICY … USING` by hand (same name, other expression) is seen as drift.
    const table = quoteLiteral(tableRef(o.table));
    const body = [
      '',
      'BEGIN',
      `  EXECUTE pg_catalog.format('COMMENT ON POLICY %I ON %s IS %L', ${quoteLiteral(o.name)}, ${table},`,
      `    ${quoteLiteral(`${STAMP_PREFIX}${o.usingHash}:`)} || (SELECT pg_catalog.md5(pg_catalog.pg_get_expr(p.polqual, p.polrelid))`,
      `      FROM pg_catalog.pg_policy p WHERE p.polrelid = ${table}::regclass AND p.polname = ${quoteLiteral(o.name)}));`,
      'END',
      '',
    ].join('\n');
    return `DO ${dollarQuote(body)};`;
  },
  stamp_function: (o) => `COMMENT ON FUNCTION ${functionSignature(o.schema, o.name, o.argTypes)} IS ${quoteLiteral(o.stamp)};`,
  drop_function: (o) => `DROP FUNCTION IF EXISTS ${functionSignature(o.schema, o.name, o.argTypes)};`,
  revoke_function: (o) => `REVOKE ALL ON FUNCTION ${functionSignature(o.schema, o.name, o.argTypes)} FROM ${roleList(o.from)};`,
  revoke_schema: (o) => `REVOKE ALL ON SCHEMA ${quoteIdent(o.schema)} FROM ${roleList(o.from)};`,
  delete_entitlements: (o) => {
    const ids = idArray(o.principalIds);
    const t = (name: string) => `${quoteIdent(o.schema)}.${quoteIdent(name)}`;
    const lines = [SUBJECT_ACCESS, CONDITIONS, ...ATTRIBUTE_TYPES.map(valuesTable), ENTRY_SETTINGS].map(
      (name) => `DELETE FROM ${t(name)} WHERE principal_id = ANY(${ids});`,
    );
    lines.push(`DELETE FROM ${t(PRINCIPALS)} WHERE id = ANY(${ids});`);
    return lines.join('\n');
  },
};

export function writeOp(op: PgOp): string {
  const writer = OP_WRITERS[op.op] as ((o: PgOp) => string) | undefined;
  if (writer === undefined) throw new Error(`unknown operation "${String((op as { op: unknown }).op)}"`);
  return writer(op);
}
