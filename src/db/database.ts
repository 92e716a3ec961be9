/**
 * The small database interface warden needs from both engines: the embedded PGlite and a
 * PostgreSQL server through `pg`. Rows come back as arrays in column order with values as the
 * drivers parse them; `queryText` returns every value as PostgreSQL's own text output, which
 * is what comparisons across engines (tests, plans) should use.
 */
export interface QueryResult {
  fields: string[];
  rows: unknown[][];
}

export interface Database {
  readonly engine: 'pglite' | 'pg';
  /** One statement with `$1…` parameters. */
  query(sql: string, params?: unknown[]): Promise<QueryResult>;
  /** Like `query`, but every value as PostgreSQL's text output (NULL stays null). */
  queryText(sql: string, params?: unknown[]): Promise<{ fields: string[]; rows: (string | null)[][] }>;
  /** A script of several statements, no parameters. */
  exec(script: string): Promise<void>;
  /** Runs `fn` inside BEGIN … COMMIT, rolling back when it throws. */
  transaction<T>(fn: (db: Database) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
