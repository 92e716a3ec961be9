import { createHash } from 'node:crypto';
import type { Database } from '../../db/database.js';
import { DiagnosticsError, error, type Loc } from '../../diagnostics/diagnostic.js';
import type { Plan } from '../plan-types.js';
import type { PgOp } from './changes.js';
import { writeOp } from './op-writers.js';

/**
 * Apply on PostgreSQL: one transaction under a transaction-level advisory lock, so it applies
 * all or nothing, and a second apply on the same target waits (with a message) or fails once
 * `lockTimeoutMs` has passed. Inside the lock the live state is read again: a plan computed
 * from any other state is refused (E-PLAN-STALE) instead of being applied over someone's change.
 */

export interface ApplyOptions {
  /** warden's schema: the lock is per schema, so two targets in one database do not block each other. */
  schema: string;
  /** How long to wait for the lock (and any other lock); 0 = fail at once. */
  lockTimeoutMs: number;
  /** Upper bound of each statement; 0 = none. */
  statementTimeoutMs: number;
  /** Where E-PLAN-STALE and E-APPLY-LOCKED point. */
  loc: Loc;
  onWait?: (message: string) => void;
  onProgress?: (done: number, total: number) => void;
}

export interface ApplyResult {
  plan: Plan;
  /** Operations run. */
  operations: number;
}

/** PostgreSQL's "lock_not_available". */
const LOCK_NOT_AVAILABLE = '55P03';

/** Two int4 advisory-lock keys: a constant for warden, and the schema's hash. */
export function advisoryLockKeys(schema: string): [number, number] {
  return [0x57415244, createHash('sha256').update(schema).digest().readInt32BE(0)];
}

/**
 * Runs `choose` inside the locked transaction (it returns the plan to apply: a saved plan after
 * its fingerprint is checked, or a fresh plan computed under the lock) and then every operation.
 */
export async function applyLocked(db: Database, options: ApplyOptions, choose: (tx: Database) => Promise<Plan>): Promise<ApplyResult> {
  return db.transaction(async (tx) => {
    await tx.exec(`SET LOCAL lock_timeout = ${msLiteral(options.lockTimeoutMs)}; SET LOCAL statement_timeout = ${msLiteral(options.statementTimeoutMs)};`);
    const [k1, k2] = advisoryLockKeys(options.schema);
    const got = await tx.queryText('SELECT pg_catalog.pg_try_advisory_xact_lock($1::integer, $2::integer)::text', [k1, k2]);
    if (got.rows[0][0] !== 'true' && got.rows[0][0] !== 't') {
      if (options.lockTimeoutMs <= 0) throw locked(options);
      options.onWait?.(`another warden apply is running on this target; waiting up to ${Math.round(options.lockTimeoutMs / 1000)} s for it to finish`);
      try {
        await tx.query('SELECT pg_catalog.pg_advisory_xact_lock($1::integer, $2::integer)', [k1, k2]);
      } catch (caught) {
        if ((caught as { code?: string }).code === LOCK_NOT_AVAILABLE) throw locked(options);
        throw caught;
      }
    }
    const plan = await choose(tx);
    const ops = plan.operations as PgOp[];
    for (let i = 0; i < ops.length; i++) {
      try {
        await tx.exec(writeOp(ops[i]));
      } catch (caught) {
        // DDL on a subject table waits for queries holding it; past lock_timeout, say so plainly.
        if ((caught as { code?: string }).code === LOCK_NOT_AVAILABLE) {
          throw new DiagnosticsError([
            error('E-APPLY-LOCKED', `waited more than ${Math.round(options.lockTimeoutMs / 1000)} s for a table lock (another session is using a table this apply changes); nothing was applied`, options.loc, {
              hint: 'retry when the table is free, or raise --lock-timeout',
            }),
          ]);
        }
        throw caught;
      }
      options.onProgress?.(i + 1, ops.length);
    }
    return { plan, operations: ops.length };
  });
}

/** Refuses a saved plan whose live state is not the one it was computed from. */
export function checkFresh(plan: Plan, currentFingerprint: string, loc: Loc): void {
  if (plan.fingerprint === currentFingerprint) return;
  throw new DiagnosticsError([
    error('E-PLAN-STALE', `the saved plan no longer matches target "${plan.target.name}": its live state changed since the plan was made`, loc, {
      hint: 'run `warden plan --out FILE` again, review it, and apply the new plan',
    }),
  ]);
}

function locked(options: ApplyOptions): DiagnosticsError {
  return new DiagnosticsError([
    error('E-APPLY-LOCKED', `another warden apply holds the lock on schema "${options.schema}"${options.lockTimeoutMs > 0 ? ` (waited ${Math.round(options.lockTimeoutMs / 1000)} s)` : ''}`, options.loc, {
      hint: 'wait for it to finish, or raise --lock-timeout',
    }),
  ]);
}

function msLiteral(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new Error(`invalid timeout ${String(ms)}`);
  return `'${ms}ms'`;
}
