import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { AccessDiff } from './access-diff-types.js';
import type { ChangeAction, Plan } from './plan-types.js';
import { readCheckedDocument, serializeWithChecksum } from './checked-document.js';
import { planToJson } from './render-plan-json.js';

/**
 * Saved plans (`plan --out FILE`, `apply FILE`): the JSON document of render-plan-json.ts plus
 * a checksum over everything else, so a file that was truncated or edited is refused
 * (E-PLAN-INVALID) rather than half-applied. The schema checks the shape, the checksum the content.
 */

export const PLAN_SCHEMA_URL = new URL('../../schemas/plan.schema.json', import.meta.url);
export const ACCESS_DIFF_SCHEMA_URL = new URL('../../schemas/access-diff.schema.json', import.meta.url);

let validator: ValidateFunction | undefined;

function validatePlanShape(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020({ strict: true, allErrors: false });
    ajv.addSchema(JSON.parse(readFileSync(ACCESS_DIFF_SCHEMA_URL, 'utf8')) as object);
    validator = ajv.compile(JSON.parse(readFileSync(PLAN_SCHEMA_URL, 'utf8')) as object);
  }
  return validator;
}

export function serializePlan(plan: Plan): string {
  return serializeWithChecksum(planToJson(plan));
}

/** A plan read back from a file. `access` is the access diff's JSON form (the renderers print its summary). */
export interface SavedPlan {
  plan: Plan;
  accessJson: unknown;
}

export function parsePlanFile(text: string, file: string): { saved: SavedPlan | null; diagnostics: Diagnostic[] } {
  const loc = { file, line: 1, column: 1 };
  const invalid = (message: string, hint = 'make the plan again with `warden plan --out FILE`') => ({
    saved: null,
    diagnostics: [error('E-PLAN-INVALID', message, loc, { hint })],
  });
  const read = readCheckedDocument(text, validatePlanShape(), 'warden plan');
  if ('problem' in read) return invalid(read.problem);
  const d = read.doc;
  const target = d.target as Plan['target'];
  const changes = (d.changes as { action: ChangeAction; object: string; address: string; reason: string; drift: boolean; details?: string[] }[]).map((c) => ({ ...c }));
  const plan: Plan = {
    version: 1,
    target,
    fingerprint: d.fingerprint as string,
    desired: d.desired as string,
    changes,
    access: null,
    operations: d.operations as unknown[],
    probe: d.probe,
  };
  return { saved: { plan, accessJson: d.access }, diagnostics: [] };
}

/** Summary counts of a saved access diff (JSON form), for printing before apply. */
export function savedAccessSummary(accessJson: unknown): Pick<AccessDiff['summary'], 'usersAdded' | 'usersChanged' | 'usersRemoved'> | null {
  if (accessJson === null || typeof accessJson !== 'object') return null;
  const s = (accessJson as { summary?: Record<string, number> }).summary;
  if (!s) return null;
  return { usersAdded: s.users_added ?? 0, usersChanged: s.users_changed ?? 0, usersRemoved: s.users_removed ?? 0 };
}
