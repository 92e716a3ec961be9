import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { PlatformPlan } from '../targets/http/platform.js';
import { readCheckedDocument, serializeWithChecksum } from './checked-document.js';

/**
 * Platform plans (gooddata, holistics) as JSON: `plan --format json` prints this document and
 * `plan --out FILE` saves it with a checksum over everything else, so a file that was truncated
 * or edited is refused (E-PLAN-INVALID) rather than half-applied. Schema:
 * schemas/platform-plan.schema.json. `endpoint` is where the plan was made (no credentials).
 */
export const PLATFORM_PLAN_FORMAT = 'warden-platform-plan';
export const PLATFORM_PLAN_SCHEMA_URL = new URL('../../schemas/platform-plan.schema.json', import.meta.url);

let validator: ValidateFunction | undefined;

function validateShape(): ValidateFunction {
  validator ??= new Ajv2020({ strict: true, allErrors: false }).compile(JSON.parse(readFileSync(PLATFORM_PLAN_SCHEMA_URL, 'utf8')) as object);
  return validator;
}

export function platformPlanToJson(plan: PlatformPlan, endpoint: string): Record<string, unknown> {
  const count = (action: string) => plan.changes.filter((c) => c.action === action).length;
  return {
    format: PLATFORM_PLAN_FORMAT,
    version: plan.version,
    target: { name: plan.target, type: plan.type, endpoint: withoutCredentials(endpoint) },
    liveFingerprint: plan.liveFingerprint,
    fingerprint: plan.fingerprint,
    summary: { create: count('create'), update: count('update'), delete: count('delete'), requests: plan.requests.length },
    changes: plan.changes,
    requests: plan.requests,
    bindings: plan.bindings,
    notes: plan.notes,
    access: plan.access ?? [],
  };
}

export function renderPlatformPlanJson(plan: PlatformPlan, endpoint: string): string {
  return `${JSON.stringify(platformPlanToJson(plan, endpoint), null, 2)}\n`;
}

export function serializePlatformPlan(plan: PlatformPlan, endpoint: string): string {
  // Round-trip through JSON first, so the checksum covers exactly what a reader will parse.
  return serializeWithChecksum(JSON.parse(JSON.stringify(platformPlanToJson(plan, endpoint))) as Record<string, unknown>);
}

/** Whether a plan file's text is a platform plan (rather than a postgres plan), without validating it. */
export function isPlatformPlanText(text: string): boolean {
  try {
    const doc = JSON.parse(text) as unknown;
    return typeof doc === 'object' && doc !== null && (doc as { format?: unknown }).format === PLATFORM_PLAN_FORMAT;
  } catch {
    return false;
  }
}

export function parsePlatformPlanFile(text: string, file: string): { plan: PlatformPlan | null; endpoint: string; diagnostics: Diagnostic[] } {
  const loc = { file, line: 1, column: 1 };
  const invalid = (message: string) => ({
    plan: null,
    endpoint: '',
    diagnostics: [error('E-PLAN-INVALID', message, loc, { hint: 'make the plan again with `warden plan --out FILE`' })],
  });
  const read = readCheckedDocument(text, validateShape(), 'warden platform plan');
  if ('problem' in read) return invalid(read.problem);
  const d = read.doc;
  const target = d.target as { name: string; type: string; endpoint: string };
  const plan: PlatformPlan = {
    version: 1,
    target: target.name,
    type: target.type,
    changes: d.changes as PlatformPlan['changes'],
    requests: d.requests as PlatformPlan['requests'],
    bindings: d.bindings as PlatformPlan['bindings'],
    notes: d.notes as string[],
    access: d.access as PlatformPlan['access'],
    liveFingerprint: d.liveFingerprint as string,
    fingerprint: d.fingerprint as string,
  };
  return { plan, endpoint: target.endpoint, diagnostics: [] };
}

/** An endpoint as printable text: user and password of a URL are dropped. */
export function withoutCredentials(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return endpoint;
  }
}
