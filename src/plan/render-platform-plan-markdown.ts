import { canonicalJson } from '../targets/http/canonical-json.js';
import { accessLines } from '../targets/http/plan-text.js';
import type { PlatformPlan } from '../targets/http/platform.js';
import { mdCode, mdText } from '../util/markdown.js';

/**
 * A platform plan as a pull-request comment: the summary first, then every changed object with
 * its whole state before and after in a collapsed section. Names and values come from the
 * policies and the platform, so every one is in a code span or escaped.
 */
const SIGN = { create: '+', update: '~', delete: '-' } as const;

export function renderPlatformPlanMarkdown(plan: PlatformPlan, options: { maxChanges?: number } = {}): string {
  const maxChanges = options.maxChanges ?? 200;
  const out: string[] = [`### ${mdText(`warden plan: ${plan.target} (${plan.type})`)}`, ''];
  for (const note of plan.notes) out.push(`> ${mdText(note)}`, '');
  if (plan.changes.length === 0) {
    out.push('No changes. The target matches the policies.', '');
    return out.join('\n');
  }
  const count = (action: string) => plan.changes.filter((c) => c.action === action).length;
  out.push(`**${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete (${plan.requests.length} request${plan.requests.length === 1 ? '' : 's'}).**`, '');
  out.push('<details>', `<summary>Changes (${plan.changes.length})</summary>`, '', '| | Kind | Object | Before | After |', '|---|---|---|---|---|');
  for (const c of plan.changes.slice(0, maxChanges)) {
    const state = (value: unknown) => (value === undefined ? '' : cell(mdCode(canonicalJson(value))));
    out.push(`| \`${SIGN[c.action]}\` | ${cell(mdCode(c.kind))} | ${cell(mdCode(c.id))} | ${c.action === 'create' ? '' : state(c.before)} | ${c.action === 'delete' ? '' : state(c.after)} |`);
  }
  if (plan.changes.length > maxChanges) out.push('', `… and ${plan.changes.length - maxChanges} more changes (see \`warden plan --format json\`).`);
  out.push('', '</details>', '');
  const access = plan.access ?? [];
  if (access.length > 0) {
    out.push('<details open>', `<summary>Access changes (${access.length} user${access.length === 1 ? '' : 's'})</summary>`, '');
    for (const change of access) for (const line of accessLines(change)) out.push(`- ${mdCode(line)}`);
    out.push('', '</details>', '');
  }
  return out.join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
