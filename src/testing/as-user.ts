import type { Database } from '../db/database.js';
import { quoteIdent } from '../targets/postgres/quote.js';

/** How a query is run as a policy user on the scratch database. */
export interface Principal {
  mode: 'session' | 'role';
  /** warden's schema (for `enter`). */
  schema: string;
  /** `session`: the application role that connects and enters. */
  appRole: string;
}

/**
 * Runs `sql` as `login` in its own transaction, always rolled back: `session` sets the
 * application role and calls `enter(login)`; `role` sets the user's database role.
 */
export async function queryAsUser(db: Database, principal: Principal, login: string, dbRole: string, sql: string) {
  await db.query('BEGIN');
  try {
    if (principal.mode === 'session') {
      await db.query(`SET LOCAL ROLE ${quoteIdent(principal.appRole)}`);
      await db.query(`SELECT ${quoteIdent(principal.schema)}.enter($1)`, [login]);
    } else {
      await db.query(`SET LOCAL ROLE ${quoteIdent(dbRole)}`);
    }
    return await db.queryText(sql.trim().replace(/;\s*$/, ''));
  } finally {
    await db.query('ROLLBACK');
  }
}
