import { renderAccessDiffMarkdown, code, escapeMarkdown } from './render-access-diff-markdown.js';
import { ACTION_SIGN, type Plan } from './plan-types.js';
import { summarySentence } from './render-plan-text.js';

export interface MarkdownPlanOptions {
  /** Changes listed before the rest is counted (a pull-request comment has a size limit). */
  maxChanges?: number;
  maxUsers?: number;
}

/**
 * The plan as a pull-request comment: the summary first, then the changes and the access diff
 * in collapsed sections. Every name from the policies or the database is inside a code span,
 * so nothing in it can inject markup.
 */
export function renderPlanMarkdown(plan: Plan, options: MarkdownPlanOptions = {}): string {
  const maxChanges = options.maxChanges ?? 200;
  const out: string[] = [`### ${escapeMarkdown(`warden plan: ${plan.target.name} (${plan.target.type})`)}`, ''];
  if (plan.changes.length === 0) {
    out.push('No changes. The target matches the policies.', '');
    return out.join('\n');
  }
  out.push(`**${summarySentence(plan)}**`, '');
  const drift = plan.changes.filter((c) => c.drift);
  if (drift.length > 0) out.push(`> :warning: ${drift.length} change${drift.length === 1 ? '' : 's'} revert${drift.length === 1 ? 's' : ''} edits made by hand on the target.`, '');
  out.push('<details>', `<summary>Changes (${plan.changes.length})</summary>`, '', '| | Object | Why |', '|---|---|---|');
  for (const c of plan.changes.slice(0, maxChanges)) {
    const why = `${c.drift ? '**drift** — ' : ''}${code(c.reason)}${c.details ? ` (${c.details.map(code).join(', ')})` : ''}`;
    out.push(`| \`${ACTION_SIGN[c.action]}\` | ${cell(code(c.address))} | ${cell(why)} |`);
  }
  if (plan.changes.length > maxChanges) out.push('', `… and ${plan.changes.length - maxChanges} more changes (see \`warden plan --format json\`).`);
  out.push('', '</details>', '');
  if (plan.access) out.push(renderAccessDiffMarkdown(plan.access, { title: 'Access changes', maxUsers: options.maxUsers }));
  return out.join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
