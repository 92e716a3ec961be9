import { PGlite, types } from '@electric-sql/pglite';
import type { Database, QueryResult } from './database.js';

const asText = (value: string) => value;

export class PgliteDatabase implements Database {
  readonly engine = 'pglite' as const;
  /** A text "parser" for every type the catalog knows: PostgreSQL's own output is the common ground of both engines. */
  private textParsers: Record<number, (value: string) => string> | undefined;
  private constructor(private readonly db: PGlite) {}

  /** In memory when `dataDir` is absent; `username` connects as that role instead of the superuser. */
  static async open(dataDir?: string, options: { username?: string } = {}): Promise<PgliteDatabase> {
    const db = new PGlite({ ...(dataDir === undefined ? {} : { dataDir }), ...options });
    await db.waitReady;
    return new PgliteDatabase(db);
  }

  async query(sql: string, params: unknown[] = []): Promise<QueryResult> {
    const result = await this.db.query<unknown[]>(sql, params, { rowMode: 'array' });
    return { fields: result.fields.map((f) => f.name), rows: result.rows };
  }

  async queryText(sql: string, params: unknown[] = []) {
    if (this.textParsers === undefined) {
      const oids = await this.db.query<[number]>('SELECT oid::integer FROM pg_catalog.pg_type', [], { rowMode: 'array' });
      this.textParsers = Object.fromEntries(oids.rows.map(([oid]) => [oid, asText]));
    }
    const result = await this.db.query<(string | null)[]>(sql, params, { rowMode: 'array', parsers: this.textParsers });
    return { fields: result.fields.map((f) => f.name), rows: result.rows };
  }

  async exec(script: string): Promise<void> {
    await this.db.exec(script);
  }

  async transaction<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    await this.db.exec('BEGIN');
    try {
      const result = await fn(this);
      await this.db.exec('COMMIT');
      return result;
    } catch (caught) {
      await this.db.exec('ROLLBACK');
      throw caught;
    }
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

export { types };
