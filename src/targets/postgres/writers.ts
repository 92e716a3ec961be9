import type { Scalar } from '../../model/policy.js';
import type { TableName } from './desired-state.js';
import { quoteIdent, quoteLiteral } from './quote.js';
import { PUBLIC, type Column, type Statement } from './statements.js';

/**
 * One writer per statement kind. Every identifier goes through quoteIdent and every value
 * through quoteLiteral; the output of each writer is a complete statement ending in `;`.
 */

export function tableRef(table: TableName): string {
  return table.schema === undefined ? quoteIdent(table.name) : `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
}

function roleList(roles: string[]): string {
  return roles.map((r) => (r === PUBLIC ? PUBLIC : quoteIdent(r))).join(', ');
}

/** A dollar-quoted body whose tag cannot occur in the body (so the body cannot end the quote). */
export function dollarQuote(body: string): string {
  let tag = 'warden';
  for (let i = 1; body.includes(`$${tag}$`); i++) tag = `warden${i}`;
  return `$${tag}$${body}$${tag}$`;
}

/** An array literal for unnest: PostgreSQL array text, quoted as one literal. */
function arrayLiteral(values: (Scalar | null)[], type: string): string {
  const items = values.map((v) => {
    if (v === null) return 'NULL';
    const text = typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v);
    return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  });
  return `${quoteLiteral(`{${items.join(',')}}`)}::${type}[]`;
}

const WRITERS: { [K in Statement['kind']]: (s: Extract<Statement, { kind: K }>) => string } = {
  comment: (s) =>
    s.text
      .split('\n')
      .map((line) => `-- ${line.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ')}`)
      .join('\n'),
  begin: () => 'BEGIN;',
  commit: () => 'COMMIT;',
  create_schema: (s) => `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(s.schema)};`,
  create_table: (s) => {
    const cols = s.columns.map(
      (c) => `  ${quoteIdent(c.name)} ${c.type}${c.notNull ? ' NOT NULL' : ''}${c.check ? ` CHECK (${c.check})` : ''}`,
    );
    if (s.primaryKey.length > 0) cols.push(`  PRIMARY KEY (${s.primaryKey.map(quoteIdent).join(', ')})`);
    return `CREATE TABLE IF NOT EXISTS ${tableRef(s.table)} (\n${cols.join(',\n')}\n);`;
  },
  create_index: (s) =>
    `CREATE ${s.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quoteIdent(s.name)} ON ${tableRef(s.table)} (${s.columns.map(quoteIdent).join(', ')});`,
  revoke_all_on_table: (s) => `REVOKE ALL ON TABLE ${tableRef(s.table)} FROM ${roleList(s.from)};`,
  // PostgreSQL names an unnamed primary key `<table>_pkey`.
  drop_primary_key: (s) => `ALTER TABLE ${tableRef(s.table)} DROP CONSTRAINT IF EXISTS ${quoteIdent(`${s.table.name}_pkey`)};`,
  add_primary_key: (s) => `ALTER TABLE ${tableRef(s.table)} ADD PRIMARY KEY (${s.columns.map(quoteIdent).join(', ')});`,
  truncate: (s) => `TRUNCATE ${s.tables.map(tableRef).join(', ')};`,
  insert_rows: (s) => {
    // One array literal per column and unnest: parsed once, far faster than row-by-row VALUES.
    const arrays = s.columns.map((c, i) => arrayLiteral(s.rows.map((r) => r[i]), c.type));
    return `INSERT INTO ${tableRef(s.table)} (${s.columns.map((c) => quoteIdent(c.name)).join(', ')})\nSELECT * FROM unnest(\n  ${arrays.join(',\n  ')}\n);`;
  },
  init_secret: (s) =>
    // A random key that only the owner can read; it signs the principal a transaction entered as.
    `INSERT INTO ${tableRef(s.table)} (key)\nSELECT sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text || clock_timestamp()::text, 'UTF8'))\nWHERE NOT EXISTS (SELECT 1 FROM ${tableRef(s.table)});`,
  init_key: (s) => {
    const seq = (name: string) => tableRef({ schema: s.secret.schema, name });
    const lines = s.sequences.flatMap((name) => [`CREATE SEQUENCE IF NOT EXISTS ${seq(name)};`, `REVOKE ALL ON SEQUENCE ${seq(name)} FROM PUBLIC;`]);
    // 62 bits of the secret per sequence (8 bytes each), + 1: a sequence holds 1 .. 2^63-1.
    const sets = s.sequences.map((name, i) => `pg_catalog.setval(${quoteLiteral(seq(name))}, ${keyPartSql('s.key', i)}, true)`);
    lines.push(`SELECT ${sets.join(', ')}
FROM ${tableRef(s.secret)} s LIMIT 1;`);
    return lines.join('\n');
  },
  create_function: (s) => {
    const args = s.args.map((a) => `${quoteIdent(a.name)} ${a.type}`).join(', ');
    const security = s.securityDefiner ? 'SECURITY DEFINER' : 'SECURITY INVOKER';
    return [
      `CREATE OR REPLACE FUNCTION ${quoteIdent(s.schema)}.${quoteIdent(s.name)}(${args})`,
      `RETURNS ${s.returns} LANGUAGE ${s.language} ${s.volatility} ${security}`,
      // A fixed search_path: nothing the caller puts on its path can stand in for a catalog or warden object.
      ...(s.fixedSearchPath ? [`SET search_path = pg_catalog, ${quoteIdent(s.schema)}, pg_temp`] : []),
      `AS ${dollarQuote(s.body)};`,
    ].join('\n');
  },
  invalidate_plans: (s) =>
    s.functions.map((f) => `ALTER FUNCTION ${quoteIdent(s.schema)}.${quoteIdent(f.name)}(${f.argTypes.join(', ')}) COST 100;`).join('\n'),
  function_privileges: (s) => {
    const sig = `${quoteIdent(s.schema)}.${quoteIdent(s.name)}(${s.argTypes.join(', ')})`;
    const lines = [`REVOKE ALL ON FUNCTION ${sig} FROM PUBLIC;`];
    if (s.grantTo.length > 0) lines.push(`GRANT EXECUTE ON FUNCTION ${sig} TO ${roleList(s.grantTo)};`);
    return lines.join('\n');
  },
  schema_usage: (s) => {
    const lines = [`REVOKE ALL ON SCHEMA ${quoteIdent(s.schema)} FROM PUBLIC;`];
    if (s.grantTo.length > 0) lines.push(`GRANT USAGE ON SCHEMA ${quoteIdent(s.schema)} TO ${roleList(s.grantTo)};`);
    return lines.join('\n');
  },
  enable_rls: (s) => `ALTER TABLE ${tableRef(s.table)} ENABLE ROW LEVEL SECURITY;\nALTER TABLE ${tableRef(s.table)} FORCE ROW LEVEL SECURITY;`,
  drop_warden_policies: (s) => {
    // Policies of rules that no longer exist must go too: drop every policy warden named on the table.
    const body = [
      '',
      'DECLARE p record;',
      'BEGIN',
      `  FOR p IN SELECT polname FROM pg_catalog.pg_policy WHERE polrelid = ${quoteLiteral(tableRef(s.table))}::regclass`,
      `    AND starts_with(polname::text, ${quoteLiteral(s.prefix)}) LOOP`,
      `    EXECUTE pg_catalog.format('DROP POLICY %I ON %s', p.polname, ${quoteLiteral(tableRef(s.table))});`,
      '  END LOOP;',
      'END',
      '',
    ].join('\n');
    return `DO ${dollarQuote(body)};`;
  },
  create_policy: (s) =>
    `CREATE POLICY ${quoteIdent(s.name)} ON ${tableRef(s.table)} AS ${s.restrictive ? 'RESTRICTIVE' : 'PERMISSIVE'} FOR ALL TO PUBLIC\n  USING (${s.using});`,
  grant_select: (s) => `GRANT SELECT ON TABLE ${tableRef(s.table)} TO ${roleList(s.grantTo)};`,
};

/** The value a key sequence holds (readable only with privileges on it: the owner's, in warden's definers). */
export function keySequenceValueSql(schema: string, name: string): string {
  return `pg_catalog.pg_sequence_last_value(${quoteLiteral(tableRef({ schema, name }))}::pg_catalog.regclass)`;
}

/** Part `index` of the key, from the secret's bytes: what init_key stores and what plan checks. */
export function keyPartSql(secret: string, index: number): string {
  return `((('x' || pg_catalog.encode(pg_catalog.substring(${secret}, ${index * 8 + 1}, 8), 'hex'))::pg_catalog.bit(64)::pg_catalog.int8 OPERATOR(pg_catalog.&) 4611686018427387903) OPERATOR(pg_catalog.+) 1)`;
}

export function writeStatement(statement: Statement): string {
  const writer = WRITERS[statement.kind] as (s: Statement) => string;
  return writer(statement);
}

export function writeScript(statements: readonly Statement[]): string {
  return `${statements.map(writeStatement).join('\n\n')}\n`;
}

export type { Column };
