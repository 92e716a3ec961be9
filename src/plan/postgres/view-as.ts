import type { Database } from '../../db/database.js';
import type { DesiredState } from '../../targets/postgres/desired-state.js';
import { quoteIdent } from '../../targets/postgres/quote.js';
import { tableRef } from '../../targets/postgres/writers.js';

/**
 * "View as": for each user, how many rows of each subject table they now see, measured by
 * running as them (`enter` in session mode, their role in role mode) in a transaction that is
 * always rolled back. Superusers bypass row-level security, so the counting runs under a role
 * that does not: the first `grant_to` role, else a NOLOGIN role created inside the same
 * rolled-back transaction.
 */

export interface ViewAsTable {
  subjects: string[];
  /** Per user: counts in `subjects` order, null where the count could not be taken (no role, no privilege). */
  rows: { login: string; counts: (number | null)[] }[];
  /** Users left out after `maxUsers`. */
  more: number;
}

const PROBE_ROLE = 'warden_view_as_probe';

export async function viewAs(db: Database, state: DesiredState, maxUsers = 50): Promise<ViewAsTable> {
  const { schema, principal, grantTo } = state.options;
  const subjects = state.subjects;
  const principals = state.entitlements.principals;
  const shown = principals.slice(0, maxUsers);
  const table: ViewAsTable = { subjects: subjects.map((s) => s.subject), rows: [], more: principals.length - shown.length };
  await db.query('BEGIN');
  try {
    let runAs: string | null = null;
    if (principal === 'session') {
      if (grantTo.length > 0) runAs = grantTo[0];
      else {
        await db.query(`CREATE ROLE ${quoteIdent(PROBE_ROLE)} NOLOGIN`);
        for (const s of subjects) await db.query(`GRANT SELECT ON TABLE ${tableRef(s.table)} TO ${quoteIdent(PROBE_ROLE)}`);
        runAs = PROBE_ROLE;
      }
    }
    for (const p of shown) {
      const counts: (number | null)[] = [];
      for (const s of subjects) {
        await db.query('SAVEPOINT warden_view_as');
        try {
          if (principal === 'session') {
            await db.query(`SET LOCAL ROLE ${quoteIdent(runAs!)}`);
            await db.query(`SELECT ${quoteIdent(schema)}.enter($1)`, [p.login]);
          } else {
            await db.query(`SET LOCAL ROLE ${quoteIdent(p.dbRole)}`);
          }
          const r = await db.queryText(`SELECT count(*)::text FROM ${tableRef(s.table)}`);
          counts.push(Number(r.rows[0][0]));
          await db.query('RELEASE SAVEPOINT warden_view_as');
        } catch {
          await db.query('ROLLBACK TO SAVEPOINT warden_view_as');
          counts.push(null);
        }
        await db.query('RESET ROLE');
      }
      table.rows.push({ login: p.login, counts });
    }
  } finally {
    await db.query('ROLLBACK');
  }
  return table;
}

export function renderViewAs(table: ViewAsTable): string {
  const header = ['user', ...table.subjects];
  const body = table.rows.map((r) => [r.login, ...r.counts.map((c) => (c === null ? '–' : String(c)))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = ['Rows each user now sees (view as):', line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  if (table.more > 0) out.push(`… and ${table.more} more users`);
  return `${out.join('\n')}\n`;
}
