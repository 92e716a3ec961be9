import type { Scalar } from '../../model/policy.js';
import type { TableName } from './desired-state.js';

/**
 * The typed change list: every SQL statement warden emits is one of these, and each kind has
 * exactly one writer (writers.ts), in the manner of drizzle-kit's convertors. Statements carry
 * names and values, never SQL fragments built from input; the only SQL text they carry is the
 * policy expression and function bodies, which are themselves built through quote.ts.
 */

export interface Column {
  name: string;
  /** An SQL type written by warden itself (never from input), e.g. `text`, `bigint`. */
  type: string;
  notNull?: boolean;
  check?: string;
}

export type Statement =
  | { kind: 'comment'; text: string }
  | { kind: 'begin' }
  | { kind: 'commit' }
  | { kind: 'create_schema'; schema: string }
  | { kind: 'create_table'; table: TableName; columns: Column[]; primaryKey: string[] }
  | { kind: 'create_index'; name: string; table: TableName; columns: string[]; unique: boolean }
  | { kind: 'revoke_all_on_table'; table: TableName; from: string[] }
  | { kind: 'truncate'; tables: TableName[] }
  | { kind: 'drop_primary_key'; table: TableName }
  | { kind: 'add_primary_key'; table: TableName; columns: string[] }
  | { kind: 'insert_rows'; table: TableName; columns: Column[]; rows: (Scalar | null)[][] }
  | { kind: 'init_secret'; table: TableName }
  /** Creates the key sequences (owner only) and sets them from the secret: the same values however often it runs. */
  | { kind: 'init_key'; secret: TableName; sequences: string[] }
  | {
      kind: 'create_function';
      schema: string;
      name: string;
      args: { name: string; type: string }[];
      returns: string;
      language: 'sql' | 'plpgsql';
      volatility: 'IMMUTABLE' | 'STABLE' | 'VOLATILE';
      securityDefiner: boolean;
      /** `SET search_path = pg_catalog, <schema>, pg_temp` on the function. */
      fixedSearchPath: boolean;
      /** The function body, already built with quote.ts. */
      body: string;
    }
  /**
   * Rewrites the catalog row of each function without changing it (`ALTER FUNCTION … COST 100`,
   * their cost already): PostgreSQL then drops every cached plan that folded one of them, so
   * plans made before an entitlement change are made again (see policies.ts).
   */
  | { kind: 'invalidate_plans'; schema: string; functions: { name: string; argTypes: string[] }[] }
  | { kind: 'function_privileges'; schema: string; name: string; argTypes: string[]; grantTo: string[] }
  | { kind: 'schema_usage'; schema: string; grantTo: string[] }
  | { kind: 'enable_rls'; table: TableName }
  | { kind: 'drop_warden_policies'; table: TableName; prefix: string }
  | { kind: 'create_policy'; name: string; table: TableName; restrictive: boolean; using: string }
  | { kind: 'grant_select'; table: TableName; grantTo: string[] };

/** Role list meaning "everyone" in grants. */
export const PUBLIC = 'PUBLIC';
