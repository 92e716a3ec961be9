import type { AccessDiff } from './access-diff-types.js';
import { renderAccessDiffText, type DiffStyle } from './render-access-diff-text.js';
import { ACTION_SIGN, countChanges, type Plan, type PlanChange } from './plan-types.js';

const PLAIN: DiffStyle = { red: (s) => s, green: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s };

export interface TextPlanOptions {
  style?: DiffStyle;
  /** Users shown in the access section before the rest is counted (a first sync may add 100,000). */
  maxUsers?: number;
}

/** The plan for a terminal: one signed line per change (Terraform's symbols), the access diff, a summary line. */
export function renderPlanText(plan: Plan, options: TextPlanOptions = {}): string {
  const style = options.style ?? PLAIN;
  const out: string[] = [style.bold(`Plan for target "${plan.target.name}" (${plan.target.type}, ${plan.target.location})`), ''];
  if (plan.changes.length === 0) {
    out.push('No changes. The target matches the policies.');
    return `${out.join('\n')}\n`;
  }
  for (const change of plan.changes) out.push(...changeLines(change, style));
  out.push('');
  if (plan.access) out.push(...accessSection(plan.access, style, options.maxUsers ?? 50));
  out.push(style.bold(summarySentence(plan)));
  return `${out.join('\n')}\n`;
}

export function summarySentence(plan: Plan): string {
  const c = countChanges(plan);
  const drift = plan.changes.filter((x) => x.drift).length;
  return `Plan: ${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete${drift > 0 ? ` (${drift} reverting drift)` : ''}.`;
}

function changeLines(change: PlanChange, style: DiffStyle): string[] {
  const sign = ACTION_SIGN[change.action];
  const colour = change.action === 'create' ? style.green : change.action === 'delete' ? style.red : style.yellow;
  const drift = change.drift ? ` ${style.yellow('[drift]')}` : '';
  const lines = [`  ${colour(sign.padEnd(3))} ${change.address}${drift}`, `      ${style.dim(change.reason)}`];
  for (const detail of change.details ?? []) lines.push(`      ${style.dim(`· ${detail}`)}`);
  return lines;
}

function accessSection(access: AccessDiff, style: DiffStyle, maxUsers: number): string[] {
  const shown: AccessDiff = { summary: access.summary, users: access.users.slice(0, maxUsers) };
  const lines = renderAccessDiffText(shown, { style }).trimEnd().split('\n');
  if (access.users.length > shown.users.length) lines.push(style.dim(`… and ${access.users.length - shown.users.length} more users (see --format json)`));
  lines.push('');
  return lines;
}
