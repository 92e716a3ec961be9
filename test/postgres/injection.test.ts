import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { arrayText, quoteIdent, quoteLiteral, SqlQuoteError } from '../../src/targets/postgres/quote.js';
import { compileSql, modelFromYaml, rowsAs, useEngines } from './harness.js';

/**
 * Arbitrary Unicode (quotes, backslashes, `$$`, semicolons, control characters, emoji) as logins,
 * attribute values, warden's schema, table and column names: everything round-trips exactly and
 * the SQL keeps its structure (the user sees exactly the row holding their value).
 */

const NASTY = ["'", '"', '\\', '$$', '$warden$', ';', '--', '/*', '\n', '\t', '\u0007', '😀', 'é', '{', '}', ',', 'NULL', ' ', '%I', "');DROP TABLE x;--"];

const nastyText = (min: number, max: number) =>
  fc
    .array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 })), { minLength: min, maxLength: max })
    .map((parts) => parts.join(''))
    .filter((s) => !s.includes('\u0000') && s.length > 0);

/** Logins and identifiers: no control characters (SPEC 3 for logins); identifiers at most 15 code points, so that with their suffix they stay within PostgreSQL's 63 bytes. */
const printable = (max: number) => nastyText(1, 4).map((s) => [...s.replace(/[\u0000-\u001f\u007f]/g, '')].slice(0, max).join('')).filter((s) => s.trim().length > 0);

describe('quoting', () => {
  it('doubles quotes and refuses NUL', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteLiteral("it's \\ $$")).toBe("'it''s \\ $$'");
    expect(arrayText(['a"b', 'c\\d', 'NULL', ''], 'string')).toBe('{"a\\"b","c\\\\d","NULL",""}');
    expect(() => quoteIdent('a\u0000b')).toThrow(SqlQuoteError);
    expect(() => quoteLiteral('a\u0000b')).toThrow(SqlQuoteError);
    expect(() => quoteIdent('')).toThrow(SqlQuoteError);
  });
});

for (const engine of useEngines()) {
  describe(`injection round trips on ${engine.name}`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await engine.fresh();
      await db.exec('CREATE SCHEMA inj');
      // Roles are cluster-wide on the server: create only when missing.
      const exists = await db.query(`SELECT 1 FROM pg_roles WHERE rolname = 'inj_app'`);
      if (exists.rows.length === 0) await db.query('CREATE ROLE inj_app NOLOGIN');
      await db.query('GRANT USAGE ON SCHEMA inj TO inj_app');
    });

    it('logins, values, schema, table and column names are data, never SQL', async () => {
      let n = 0;
      await fc.assert(
        // A subject's `table` is `schema.table`: a dot inside the table name is not valid policy input.
        fc.asyncProperty(printable(20), nastyText(1, 5), printable(15), printable(15).filter((t) => !t.includes('.')), printable(15), async (login, value, schema, table, column) => {
          n++;
          const tableName = `${table}_${n}`;
          const wardenSchema = `${schema}_${n}`;
          await db.query(`CREATE TABLE inj.${quoteIdent(tableName)} (id integer, ${quoteIdent(column)} text)`);
          await db.query(`INSERT INTO inj.${quoteIdent(tableName)} VALUES (1, $1), (2, $2), (3, NULL)`, [value, `${value}x`]);
          await db.query(`GRANT SELECT ON inj.${quoteIdent(tableName)} TO inj_app`);
          const yaml = `
attributes:
  tag: { type: string }
subjects:
  things:
    table: ${JSON.stringify(`inj.${tableName}`)}
    fields:
      tag: { column: ${JSON.stringify(column)}, type: string }
users:
  ${JSON.stringify(login)}: { attributes: { tag: [${JSON.stringify(value)}] } }
  ${JSON.stringify(`${login}+all`)}: { attributes: { tag: all } }
rules:
  by-tag: { subject: things, field: tag, operator: in, attribute: tag }
`;
          const sql = compileSql(modelFromYaml({ 'policies/p.yaml': yaml }), { schema: wardenSchema });
          await db.exec(sql);
          const query = `SELECT id, ${quoteIdent(column)} FROM inj.${quoteIdent(tableName)} ORDER BY id`;
          const opts = { appRole: 'inj_app', schema: wardenSchema };
          expect(await rowsAs(db, login, query, opts)).toEqual([['1', value]]);
          expect((await rowsAs(db, `${login}+all`, query, opts)).map((r) => r[0])).toEqual(['1', '2', '3']);
          const stored = await db.queryText(`SELECT login FROM ${quoteIdent(wardenSchema)}.principals ORDER BY id`);
          expect(stored.rows.map((r) => r[0]).sort()).toEqual([login, `${login}+all`].sort());
        }),
        { numRuns: Number(process.env.WARDEN_PROPERTY_RUNS ?? 15) },
      );
    });
  });
}
