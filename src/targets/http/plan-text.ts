import { canonicalJson } from './canonical-json.js';
import type { PlatformAccessChange, PlatformPlan } from './platform.js';

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
  if ((plan.access ?? []).length > 0) {
    lines.push('Access:');
    for (const change of plan.access!) lines.push(...accessLines(change).map((line) => `  ${line}`));
  }
  const count = (action: 'create' | 'update' | 'delete') => plan.changes.filter((c) => c.action === action).length;
  lines.push(
    plan.changes.length === 0
      ? `No changes: target "${plan.target}" matches the policies.`
      : `Plan for target "${plan.target}": ${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete (${plan.requests.length} request${plan.requests.length === 1 ? '' : 's'}).`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * One user's access change as lines: `alice@acme.com: country {Vietnam} -> {Singapore, Vietnam}`,
 * one line per key that changes; a user new to (or gone from) the platform shows everything.
 */
export function accessLines(change: PlatformAccessChange): string[] {
  const { user, before, after } = change;
  if (before === null) return [`${user}: not on the platform -> ${describe(after)}`];
  if (after === null) return [`${user}: ${describe(before)} -> not on the platform`];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.filter((key) => before[key] !== after[key]).map((key) => `${user}: ${key} ${before[key] ?? '(none)'} -> ${after[key] ?? '(none)'}`);
}

function describe(state: Record<string, string> | null): string {
  if (state === null) return 'not on the platform';
  const keys = Object.keys(state).sort();
  return keys.length === 0 ? '(nothing)' : keys.map((key) => `${key} ${state[key]}`).join(', ');
}
