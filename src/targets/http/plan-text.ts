import { canonicalJson } from './canonical-json.js';
import type { PlatformPlan } from './platform.js';

/**
 * A platform plan for a terminal or a pull-request comment: one line per object, `+ create`,
 * `~ update`, `- delete`, with the object's whole state before and after (a user's data
 * permission is always shown in full), then the notes and a summary.
 */
const SIGN = { create: '+', update: '~', delete: '-' } as const;

export function formatPlatformPlan(plan: PlatformPlan): string {
  const lines: string[] = [];
  for (const change of plan.changes) {
    lines.push(`${SIGN[change.action]} ${change.action} ${change.kind} ${change.id}`);
    if (change.action !== 'create' && change.before !== undefined) lines.push(`    before: ${canonicalJson(change.before)}`);
    if (change.action !== 'delete' && change.after !== undefined) lines.push(`    after:  ${canonicalJson(change.after)}`);
  }
  for (const note of plan.notes) lines.push(`! ${note}`);
  const count = (action: 'create' | 'update' | 'delete') => plan.changes.filter((c) => c.action === action).length;
  lines.push(
    plan.changes.length === 0
      ? `No changes: target "${plan.target}" matches the policies.`
      : `Plan for target "${plan.target}": ${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete (${plan.requests.length} request${plan.requests.length === 1 ? '' : 's'}).`,
  );
  return `${lines.join('\n')}\n`;
}
