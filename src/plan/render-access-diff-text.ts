import type { AccessDiff, UserAccessChange } from './access-diff-types.js';
import { compactLines, describeConditionChange, describeFilters, plural, subjectSign, userSign } from './access-diff-format.js';

/** Colouring hooks; structurally the CLI's Style, so the library stays free of terminal concerns. */
export interface DiffStyle {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const PLAIN: DiffStyle = { red: (s) => s, green: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s };

export interface TextDiffOptions {
  style?: DiffStyle;
  /** One line per change (`+ alice@acme.com: sales country +Singapore`), as watch prints it. */
  compact?: boolean;
}

/** The summary sentence: `3 users changed, 1 added, 0 removed: 2 subjects gained, 1 lost, 4 filter changes`. */
export function summaryLine(diff: AccessDiff): string {
  const s = diff.summary;
  if (diff.users.length === 0) return 'No access changes.';
  return (
    `Access changes: ${plural(s.usersChanged, 'user')} changed, ${s.usersAdded} added, ${s.usersRemoved} removed; ` +
    `${plural(s.subjectsGained, 'subject grant')} gained, ${s.subjectsLost} lost, ${plural(s.filtersChanged, 'filter change')}`
  );
}

/**
 * The access diff for a terminal. The full form lists per user every change and, for a changed
 * filter, the user's whole filter set before and after (full replacement); the compact form is
 * one signed line per change.
 */
export function renderAccessDiffText(diff: AccessDiff, options: TextDiffOptions = {}): string {
  const style = options.style ?? PLAIN;
  const colour = (sign: '+' | '-' | '~', text: string) => (sign === '+' ? style.green(text) : sign === '-' ? style.red(text) : style.yellow(text));
  const out: string[] = [];
  if (options.compact) {
    for (const user of diff.users) for (const line of compactLines(user)) out.push(colour(line.sign, `${line.sign} ${line.text}`));
    return out.length > 0 ? `${out.join('\n')}\n` : '';
  }
  out.push(style.bold(summaryLine(diff)));
  for (const user of diff.users) out.push(...userBlock(user, colour, style));
  return `${out.join('\n')}\n`;
}

function userBlock(user: UserAccessChange, colour: (sign: '+' | '-' | '~', text: string) => string, style: DiffStyle): string[] {
  const sign = userSign(user);
  const label = user.change === 'added' ? ' (new user)' : user.change === 'removed' ? ' (removed)' : '';
  const lines = [colour(sign, `${sign} ${style.bold(user.login)}${label}`)];
  const item = (s: '+' | '-' | '~', text: string) => lines.push(`    ${colour(s, `${s} ${text}`)}`);
  if (user.enabled) item(user.enabled.after ? '+' : '-', user.enabled.after ? 'enabled' : 'disabled');
  if (user.admin) item(user.admin.after ? '+' : '-', user.admin.after ? 'admin' : 'no longer admin');
  if (user.bypassRowRules) item(user.bypassRowRules.after ? '+' : '-', user.bypassRowRules.after ? 'bypasses row rules' : 'row rules apply again');
  const lists: [string, { gained: string[]; lost: string[] }][] = [['groups', user.groups], ['roles', user.roles], ['permissions', user.permissions]];
  for (const [name, set] of lists) {
    if (set.gained.length > 0) item('+', `${name}: ${set.gained.join(', ')}`);
    if (set.lost.length > 0) item('-', `${name}: ${set.lost.join(', ')}`);
  }
  for (const subject of user.subjects) {
    const s = subjectSign(subject);
    if (subject.change === 'gained') item('+', `${subject.subject}: ${describeFilters(subject.after)}`);
    else if (subject.change === 'lost') item('-', `${subject.subject} (was ${describeFilters(subject.before)})`);
    else {
      for (const c of subject.conditions) item(s, `${subject.subject} ${describeConditionChange(c)}`);
      // A single-filter set is already shown in full by the line above; otherwise show both whole sets.
      if ((subject.before?.length ?? 0) > 1 || (subject.after?.length ?? 0) > 1) {
        lines.push(style.dim(`        before: ${describeFilters(subject.before)}`));
        lines.push(style.dim(`        after:  ${describeFilters(subject.after)}`));
      }
    }
  }
  return lines;
}

export { compactLines };
