import type { AccessDiff, UserAccessChange } from './access-diff-types.js';
import { describeConditionChange, describeFilters, plural, subjectSign, userSign } from './access-diff-format.js';

export interface MarkdownDiffOptions {
  /** Heading of the comment. */
  title?: string;
  /** Users listed in detail before the rest is summarised (a pull-request comment has a size limit). */
  maxUsers?: number;
}

/**
 * The access diff as a pull-request comment: the summary first (counts and a per-subject table),
 * then each user's changes inside a collapsed `<details>`. Large diffs are cut after `maxUsers`
 * users with a count of the rest, since GitHub refuses comments over 65,536 characters.
 * Every policy-derived string is escaped: a login or value cannot inject markdown or HTML.
 */
export function renderAccessDiffMarkdown(diff: AccessDiff, options: MarkdownDiffOptions = {}): string {
  const title = options.title ?? 'warden access diff';
  const maxUsers = options.maxUsers ?? 100;
  const s = diff.summary;
  const out: string[] = [`### ${escapeMarkdown(title)}`, ''];
  if (diff.users.length === 0) {
    out.push('No access changes.', '');
    return out.join('\n');
  }
  out.push(
    `**${plural(s.usersChanged, 'user')} changed, ${s.usersAdded} added, ${s.usersRemoved} removed** — ` +
      `${plural(s.subjectsGained, 'subject grant')} gained, ${s.subjectsLost} lost, ${plural(s.filtersChanged, 'filter change')}.`,
    '',
  );
  if (s.bySubject.length > 0) {
    out.push('| Subject | Users gaining access | Users losing access | Users with changed filters |', '|---|---:|---:|---:|');
    for (const row of s.bySubject) out.push(`| ${cell(row.subject)} | ${row.gained} | ${row.lost} | ${row.filters} |`);
    out.push('');
  }
  const shown = diff.users.slice(0, maxUsers);
  out.push('<details>', `<summary>Changes per user (${diff.users.length})</summary>`, '');
  for (const user of shown) out.push(...userSection(user), '');
  if (diff.users.length > shown.length) {
    out.push(`… and ${plural(diff.users.length - shown.length, 'more user')} (run \`warden diff --format json\` for the complete list).`, '');
  }
  out.push('</details>', '');
  return out.join('\n');
}

function userSection(user: UserAccessChange): string[] {
  const label = user.change === 'added' ? ' (new user)' : user.change === 'removed' ? ' (removed)' : '';
  const lines = [`**${userSign(user)} ${code(user.login)}**${label}`, ''];
  const item = (sign: string, text: string) => lines.push(`- \`${sign}\` ${text}`);
  if (user.enabled) item(user.enabled.after ? '+' : '-', user.enabled.after ? 'enabled' : 'disabled');
  if (user.admin) item(user.admin.after ? '+' : '-', user.admin.after ? 'admin' : 'no longer admin');
  if (user.bypassRowRules) item(user.bypassRowRules.after ? '+' : '-', user.bypassRowRules.after ? 'bypasses row rules' : 'row rules apply again');
  const lists: [string, { gained: string[]; lost: string[] }][] = [['groups', user.groups], ['roles', user.roles], ['permissions', user.permissions]];
  for (const [name, set] of lists) {
    if (set.gained.length > 0) item('+', `${name}: ${set.gained.map(code).join(', ')}`);
    if (set.lost.length > 0) item('-', `${name}: ${set.lost.map(code).join(', ')}`);
  }
  for (const subject of user.subjects) {
    if (subject.change === 'gained') item('+', `${code(subject.subject)}: ${code(describeFilters(subject.after))}`);
    else if (subject.change === 'lost') item('-', `${code(subject.subject)} (was ${code(describeFilters(subject.before))})`);
    else {
      const sign = subjectSign(subject);
      for (const c of subject.conditions) item(sign, `${code(subject.subject)} ${code(describeConditionChange(c))}`);
      lines.push(`  - full set after: ${code(describeFilters(subject.after))} (before: ${code(describeFilters(subject.before))})`);
    }
  }
  return lines;
}

/**
 * Inline code for any text: the backtick fence is longer than any run of backticks inside, and
 * line breaks become spaces. Inside a code span GitHub renders HTML and markdown literally, so
 * a hostile login cannot inject markup.
 */
export function code(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Inline code inside a table cell, where a pipe would end the cell even inside a code span. */
function cell(text: string): string {
  return code(text).replace(/\|/g, '\\|');
}

/** Escapes text outside code spans (headings). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+\-.!|~])/g, '\\$1');
}
