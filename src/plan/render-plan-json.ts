import { accessDiffToJson } from './render-access-diff-json.js';
import { countChanges, type Plan } from './plan-types.js';

/**
 * The plan for machines, `schemas/plan.schema.json` version 1. The same document is the saved
 * plan file (`plan --out`), with the operations apply runs and a checksum over the rest, so
 * a plan printed with `--format json` can be saved and applied as it is.
 */
export const PLAN_FORMAT = 'warden-plan';

export function planToJson(plan: Plan): Record<string, unknown> {
  const counts = countChanges(plan);
  return {
    format: PLAN_FORMAT,
    version: plan.version,
    target: { name: plan.target.name, type: plan.target.type, location: plan.target.location },
    fingerprint: plan.fingerprint,
    desired: plan.desired,
    summary: { create: counts.create, update: counts.update, delete: counts.delete, replace: counts.replace, drift: plan.changes.filter((c) => c.drift).length },
    changes: plan.changes.map((c) => {
      const out: Record<string, unknown> = { action: c.action, object: c.object, address: c.address, reason: c.reason, drift: c.drift };
      if (c.details) out.details = c.details;
      return out;
    }),
    access: plan.access === null ? null : accessDiffToJson(plan.access),
    probe: plan.probe,
    operations: plan.operations,
  };
}

export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(planToJson(plan), null, 2)}\n`;
}
