import { error, hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { subjectAccess } from '../../resolve/access.js';
import type { ResolvedModel, SubjectAccess } from '../../resolve/model.js';
import type { HttpClient, HttpClientOptions } from '../http/client.js';
import { clientFromTarget } from '../http/env-client.js';
import type { PlatformAdapter } from '../http/platform.js';
import { requestsArtifact } from '../http/requests-artifact.js';
import type { CompileContext, CompileResult, TargetConfig, TargetDefinition } from '../target.js';
import { desiredHolistics, type HolisticsDesired } from './desired.js';
import { EMPTY_HOLISTICS, holisticsDiff } from './diff.js';
import { embedPayloads, type UserPayloads } from './embed.js';
import { holisticsAdapter } from './live.js';

/**
 * The `holistics` target (SPEC 5.2). `compile` writes requests.json (the requests that set up a
 * fresh Holistics, in apply order), attribute-entries.json (per group and user, the entry and
 * its input type), memberships.json, and embed-payloads.json (per user and dataset, the
 * `permissions.row_based` payload or an explicit denial).
 */
type AccessOf = (login: string, subject: string) => SubjectAccess;

const OPTIONS = ['endpoint', 'token', 'api_key'];

export const holisticsTarget: TargetDefinition = {
  type: 'holistics',
  compile(model: ResolvedModel, ctx: CompileContext): CompileResult {
    const { desired, payloads, diagnostics } = holisticsDesiredState(model, ctx);
    if (desired === null || hasErrors(diagnostics)) return { artifacts: [], diagnostics };
    const requests = holisticsDiff(desired, EMPTY_HOLISTICS).requests;
    const artifacts = [
      requestsArtifact(requests),
      { path: 'attribute-entries.json', content: json(entriesDocument(desired)) },
      { path: 'memberships.json', content: json({ groups: desired.groups, users: desired.users.map((u) => ({ login: u.login, email: u.email, groups: u.groups })) }) },
      { path: 'embed-payloads.json', content: json(payloadsDocument(payloads)) },
    ];
    return { artifacts: artifacts.sort((a, b) => (a.path < b.path ? -1 : 1)), diagnostics };
  },
};

export function holisticsDesiredState(
  model: ResolvedModel,
  ctx: CompileContext,
  accessOf?: AccessOf,
): { desired: HolisticsDesired | null; payloads: UserPayloads[]; diagnostics: Diagnostic[] } {
  const diagnostics = checkOptions(ctx.target);
  const payloads = embedPayloads(model, accessOf ?? ((login, subject) => subjectAccess(model, login, subject)), diagnostics, ctx.target.loc);
  if (hasErrors(diagnostics)) return { desired: null, payloads: [], diagnostics };
  return { desired: desiredHolistics(model), payloads, diagnostics };
}

/** What plan/apply need for a holistics target: its adapter and an authenticated client. */
export function holisticsPlatform(
  model: ResolvedModel,
  ctx: CompileContext,
  clientOptions: Partial<HttpClientOptions> = {},
): { adapter: PlatformAdapter<unknown> | null; client: HttpClient | null; diagnostics: Diagnostic[] } {
  const { desired, diagnostics } = holisticsDesiredState(model, ctx);
  if (desired === null) return { adapter: null, client: null, diagnostics };
  const { client, diagnostics: clientDiagnostics } = clientFromTarget(ctx.target, ctx.env, (key) => ({ name: 'X-Holistics-Key', value: key }), clientOptions);
  diagnostics.push(...clientDiagnostics);
  if (client === null) return { adapter: null, client: null, diagnostics };
  return { adapter: holisticsAdapter(desired) as PlatformAdapter<unknown>, client, diagnostics };
}

function checkOptions(target: TargetConfig): Diagnostic[] {
  return Object.keys(target.options)
    .sort()
    .filter((key) => !OPTIONS.includes(key))
    .map((key) => error('E-UNKNOWN-KEY', `unknown option "${key}" for a holistics target`, target.optionLocs[key] ?? target.loc, { hint: `expected one of: ${OPTIONS.join(', ')}` }));
}

function entriesDocument(desired: HolisticsDesired): unknown {
  return {
    entries: desired.entries.map((e) => ({
      subject_type: e.subjectType,
      subject: e.subject,
      attribute: e.attribute,
      input_type: e.inputType,
      ...(e.inputType === 'manual' ? { values: e.values ?? [] } : {}),
    })),
  };
}

function payloadsDocument(payloads: UserPayloads[]): unknown {
  return { users: Object.fromEntries(payloads.map((p) => [p.login, p.denied !== undefined ? { denied: true, reason: p.denied } : p.datasets])) };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
