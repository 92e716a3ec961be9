import { formatDiagnosticsText } from '../diagnostics/format-text.js';
import { accessDiff, type AccessDiff } from '../plan/access-diff.js';
import type { DiffStyle } from '../plan/render-access-diff-text.js';
import { renderAccessDiffText, summaryLine } from '../plan/render-access-diff-text.js';
import type { ResolvedModel, ResolvedUser } from '../resolve/model.js';
import type { ProjectState } from './incremental.js';

/** Users whose changes watch prints line by line after one save. */
export const MAX_USERS_SHOWN = 50;

export interface WatchStyle extends DiffStyle {
  cyan(s: string): string;
}

export interface WatchReport {
  /** What to print, ending with a newline. */
  text: string;
  /** The state to diff the next update against: the new model when valid, else the old one. */
  lastValid: ResolvedModel | null;
  /** The access diff printed, when there was a previous valid state and the new one is valid. */
  diff: AccessDiff | null;
}

/**
 * What watch prints after an update: the diagnostics with code frames, then either the access
 * diff against the last valid state in compact form (`+ alice@acme.com: sales country +Singapore`)
 * or, when there are errors, that the last valid state is kept.
 */
export function reportUpdate(state: ProjectState, lastValid: ResolvedModel | null, style: WatchStyle, changed: readonly string[]): WatchReport {
  const lines: string[] = [];
  if (changed.length > 0) lines.push(style.dim(`— ${changed.join(', ')}`));
  let text = lines.length > 0 ? `${lines.join('\n')}\n` : '';
  if (state.diagnostics.length > 0) text += formatDiagnosticsText(state.diagnostics, state.sources, style);
  if (state.model === null) {
    const errors = state.diagnostics.filter((d) => d.severity === 'error').length;
    text += `${style.red('✗')} ${errors} error${errors === 1 ? '' : 's'}${lastValid ? ' — keeping the last valid state' : ''}; watching for changes\n`;
    return { text, lastValid, diff: null };
  }
  const p = state.model.policy;
  const summary = `${p.users.size} users, ${p.groups.size} groups, ${p.subjects.size} subjects, ${p.rules.size} rules`;
  const timing = style.dim(`(${Math.round(state.timings.loadMs + state.timings.validateMs + state.timings.resolveMs)} ms)`);
  if (lastValid === null) {
    text += `${style.green('✓')} valid: ${summary} ${timing}\n`;
    return { text, lastValid: state.model, diff: null };
  }
  // Only users changed since the last valid state: the diff of just those users is the whole diff.
  const only = state.usersChangedSince?.(lastValid) ?? null;
  const diff = only === null ? accessDiff(lastValid, state.model) : accessDiff(withUsers(lastValid, only), withUsers(state.model, only));
  text += `${style.green('✓')} valid: ${summary} ${timing}\n`;
  if (diff.users.length === 0) text += style.dim('  no access changes\n');
  else {
    // A change to a big group can touch thousands of users: show the first ones and count the rest.
    const shown = diff.users.length > MAX_USERS_SHOWN ? { ...diff, users: diff.users.slice(0, MAX_USERS_SHOWN) } : diff;
    text += renderAccessDiffText(shown, { style, compact: true });
    if (shown !== diff) text += style.dim(`  … and ${diff.users.length - MAX_USERS_SHOWN} more users (${summaryLine(diff)})\n`);
  }
  return { text, lastValid: state.model, diff };
}

/** A view of a model with only some of its users (the rest unchanged), sorted by login as a model's are. */
export function withUsers(model: ResolvedModel, logins: ReadonlySet<string>): ResolvedModel {
  const users = new Map<string, ResolvedUser>();
  for (const login of [...logins].sort()) {
    const user = model.users.get(login);
    if (user !== undefined) users.set(login, user);
  }
  return {
    policy: model.policy,
    users,
    get groupMembers() {
      return model.groupMembers;
    },
    apiKeys: model.apiKeys,
    diagnostics: model.diagnostics,
  };
}
