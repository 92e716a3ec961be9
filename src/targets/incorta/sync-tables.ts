import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ResolvedModel, ResolvedUser } from '../../resolve/model.js';
import { looksLikeFormula, neutraliseFormula } from '../../util/csv.js';

/**
 * The three tables of seed 004's users-and-groups sync in groups assignment mode: users
 * (login, email, display name), groups (name, description) and user-group assignments.
 *
 * Incorta groups are flat, so a user is assigned to every group they are a member of in warden
 * (inherited ones included): the union of those groups' roles is then the user's warden roles.
 * Disabled users are left out: with `Fullsync=true` their assignments to every synced group are
 * removed; the user account itself is left to the checklist (the sync never deletes users).
 */
export interface SyncTables {
  users: string[][];
  groups: string[][];
  assignments: string[][];
  /** Synced (enabled) users, sorted by login. */
  synced: ResolvedUser[];
  diagnostics: Diagnostic[];
}

export const USER_COLUMNS = ['login', 'email', 'display_name'] as const;
export const GROUP_COLUMNS = ['name', 'description'] as const;
export const ASSIGNMENT_COLUMNS = ['group_name', 'login'] as const;

export function buildSyncTables(model: ResolvedModel): SyncTables {
  const diagnostics: Diagnostic[] = [];
  const synced: ResolvedUser[] = [];
  const emails = new Map<string, ResolvedUser>();
  for (const user of model.users.values()) {
    if (!user.enabled) continue;
    let ok = true;
    if (user.email === undefined) {
      ok = false;
      diagnostics.push(
        error('E-INCORTA-NO-EMAIL', `user "${user.login}" has no e-mail address; Incorta requires a unique e-mail for every user`, user.loc, {
          hint: 'give the user an `email`, or use the e-mail address as the login',
        }),
      );
    } else {
      const key = user.email.toLowerCase();
      const other = emails.get(key);
      if (other !== undefined) {
        ok = false;
        diagnostics.push(
          error('E-INCORTA-DUPLICATE-EMAIL', `users "${other.login}" and "${user.login}" share the e-mail "${user.email}"; Incorta requires unique e-mails`, user.loc, {
            related: [{ message: `user "${other.login}"`, loc: other.loc }],
          }),
        );
      } else emails.set(key, user);
    }
    // The e-mail is checked only when it is not the login itself (one finding per value).
    const identifiers = user.email === undefined || user.email === user.login ? [['login', user.login]] : [['login', user.login], ['e-mail', user.email]];
    for (const [what, value] of identifiers) {
      if (looksLikeFormula(value)) {
        ok = false;
        diagnostics.push(
          error('E-CSV-FORMULA', `the ${what} "${value}" of user "${user.login}" starts with a spreadsheet formula character`, user.loc, {
            hint: 'identifiers are never altered in CSV output (that would change who they match); rename the user',
          }),
        );
      }
    }
    if (ok) synced.push(user);
  }

  const users = synced.map((user) => [user.login, user.email ?? '', neutraliseFormula(user.name ?? user.login)]);
  const groups = [...model.policy.groups.values()]
    .sort((a, b) => cmp(a.name, b.name))
    .map((group) => [group.name, neutraliseFormula(oneLine(group.description ?? ''))]);
  const assignments: string[][] = [];
  for (const user of synced) for (const group of user.groups.keys()) assignments.push([group, user.login]);
  assignments.sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]));
  return { users, groups, assignments, synced, diagnostics };
}

/** Incorta's description is a one-line text box. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
