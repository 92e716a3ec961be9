import type { AccessDiff } from './access-diff-types.js';

/**
 * A plan as data (the changesets/Terraform way): computed from a target's live state and the
 * compiled policies, shown for review, optionally saved, and applied later exactly as it is.
 * Nothing here is specific to PostgreSQL: a platform target fills `changes` with its own
 * object addresses, and the same renderers print it.
 */

export type ChangeAction = 'create' | 'update' | 'delete' | 'replace';

export interface PlanChange {
  action: ChangeAction;
  /** What kind of object: `schema`, `table`, `function`, `policy`, `rls`, `grant`, `entitlements`, … */
  object: string;
  /** The object's address, unique within the plan, e.g. `policy warden_access on public.sales`. */
  address: string;
  /** Why: what differs between the live and the desired object. */
  reason: string;
  /** True when the live object was changed by hand after warden last wrote it (the change reverts it). */
  drift: boolean;
  /** Extra lines for reviewers (e.g. the logins whose entitlements are replaced). */
  details?: string[];
}

export interface PlanTarget {
  name: string;
  type: string;
  /** Where the target lives, safe to print (never a password). */
  location: string;
}

export interface Plan {
  /** Format version of the saved plan (schemas/plan.schema.json). */
  version: 1;
  target: PlanTarget;
  /** Hash of the live state the plan was computed from; apply refuses when it no longer matches. */
  fingerprint: string;
  /** Hash of the desired state (the compiled policies), to recognise a plan for other policies. */
  desired: string;
  /** In the order apply runs them. */
  changes: PlanChange[];
  /** Who gains or loses access, user by user; null when the target cannot say. */
  access: AccessDiff | null;
  /** Target-specific, self-contained instructions that apply executes (opaque to renderers). */
  operations: unknown[];
  /** Target-specific description of what was read for the fingerprint, so apply can read exactly that again. */
  probe: unknown;
}

export interface PlanCounts {
  create: number;
  update: number;
  delete: number;
  replace: number;
}

export function countChanges(plan: Pick<Plan, 'changes'>): PlanCounts {
  const counts: PlanCounts = { create: 0, update: 0, delete: 0, replace: 0 };
  for (const change of plan.changes) counts[change.action]++;
  return counts;
}

export function hasChanges(plan: Pick<Plan, 'changes'>): boolean {
  return plan.changes.length > 0;
}

export const ACTION_SIGN: Record<ChangeAction, string> = { create: '+', update: '~', delete: '-', replace: '-/+' };
