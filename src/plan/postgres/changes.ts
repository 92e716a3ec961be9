import type { TableName } from '../../targets/postgres/desired-state.js';
import type { Statement } from '../../targets/postgres/statements.js';

/**
 * The operations a postgres plan runs, in order: typed data, never SQL text built from input.
 * Each kind has exactly one writer (op-writers.ts); `statement` reuses the postgres target's
 * own statements and writers, so plan/apply and `warden compile` emit the same SQL for the
 * same object. A saved plan stores this list and apply runs exactly it.
 */
export type PgOp =
  | { op: 'statement'; statement: Statement }
  | { op: 'drop_table'; table: TableName }
  | { op: 'drop_index'; schema: string; name: string }
  | { op: 'create_sequence'; schema: string; name: string }
  /** (Re)creates the generation trigger on one of warden's tables (see generation.ts). */
  | { op: 'generation_trigger'; table: TableName; function: { schema: string; name: string }; trigger: string }
  | { op: 'drop_policy'; table: TableName; name: string }
  /** Marks a policy as warden's, with the hash of the text warden wrote and of the expression as PostgreSQL stored it (for drift checks). */
  | { op: 'stamp_policy'; table: TableName; name: string; usingHash: string }
  /** Marks a function with the hash of the body warden wrote (a later hand edit no longer matches it). */
  | { op: 'stamp_function'; schema: string; name: string; argTypes: string[]; stamp: string }
  | { op: 'drop_function'; schema: string; name: string; argTypes: string[] }
  | { op: 'revoke_function'; schema: string; name: string; argTypes: string[]; from: string[] }
  | { op: 'revoke_schema'; schema: string; from: string[] }
  /** Removes every entitlement row of these principals (the principal rows too): full replacement per principal. */
  | { op: 'delete_entitlements'; schema: string; principalIds: number[] };

export type PgOpKind = PgOp['op'];
