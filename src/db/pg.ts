import pg from 'pg';
import type { Database, QueryResult } from './database.js';

const textType = { getTypeParser: () => (value: string) => value };

/** A PostgreSQL server through the `pg` driver, on one connection (session settings and transactions stay on it). */
export class PgDatabase implements Database {
  readonly engine = 'pg' as const;
  private constructor(private readonly client: pg.Client) {}

  static async connect(config: string | pg.ClientConfig): Promise<PgDatabase> {
    const client = new pg.Client(typeof config === 'string' ? { connectionString: config } : config);
    await client.connect();
    // A failed connection must not crash the process: errors surface through the next query.
    client.on('error', () => undefined);
    return new PgDatabase(client);
  }

  async query(sql: string, params: unknown[] = []): Promise<QueryResult> {
    const result = await this.client.query({ text: sql, values: params, rowMode: 'array' });
    return { fields: result.fields.map((f) => f.name), rows: result.rows as unknown[][] };
  }

  async queryText(sql: string, params: unknown[] = []) {
    const result = await this.client.query({ text: sql, values: params, rowMode: 'array', types: textType });
    return { fields: result.fields.map((f) => f.name), rows: result.rows as (string | null)[][] };
  }

  async exec(script: string): Promise<void> {
    // The simple-query protocol runs a multi-statement script (no parameters).
    await this.client.query(script);
  }

  async transaction<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    await this.client.query('BEGIN');
    try {
      const result = await fn(this);
      await this.client.query('COMMIT');
      return result;
    } catch (caught) {
      await this.client.query('ROLLBACK');
      throw caught;
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
