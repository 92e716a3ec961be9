import { hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { subjectAccess } from '../../resolve/access.js';
import type { ResolvedModel } from '../../resolve/model.js';
import type { HttpClientOptions } from '../http/client.js';
import { clientFromTarget } from '../http/env-client.js';
import type { PlatformAdapter } from '../http/platform.js';
import { requestsArtifact } from '../http/requests-artifact.js';
import type { Artifact, CompileContext, CompileResult, TargetDefinition } from '../target.js';
import { readGooddataOptions } from './config.js';
import { EMPTY_CLOUD, cloudDiff } from './cloud-diff.js';
import { cloudAdapter } from './cloud-live.js';
import { desiredGooddata, type GooddataDesired } from './desired.js';
import { legacyAdapter } from './legacy-live.js';
import { legacyRequests } from './legacy-requests.js';
import { gooddataSubjects } from './subject-mapping.js';
import type { AccessOf } from './user-filter.js';

/**
 * The `gooddata` target (SPEC 5.2). `compile` writes requests.json (the requests that set up a
 * fresh workspace/project, in apply order), filters.json (every user's data permission with the
 * rule behind each part) and, for the cloud API, entities.json (groups and users).
 * `gooddataPlatform` gives plan/apply the adapter that reads and diffs the live platform.
 */
export const gooddataTarget: TargetDefinition = {
  type: 'gooddata',
  compile(model: ResolvedModel, ctx: CompileContext): CompileResult {
    const { desired, diagnostics } = gooddataDesired(model, ctx);
    if (desired === null || hasErrors(diagnostics)) return { artifacts: [], diagnostics };
    const requests = desired.options.api === 'cloud' ? cloudDiff(desired, EMPTY_CLOUD).requests : legacyRequests(desired);
    const artifacts: Artifact[] = [requestsArtifact(requests), { path: 'filters.json', content: json(filtersDocument(desired)) }];
    if (desired.options.api === 'cloud') {
      artifacts.push({ path: 'entities.json', content: json({ userGroups: desired.groups, users: desired.users }) });
    }
    return { artifacts: artifacts.sort((a, b) => (a.path < b.path ? -1 : 1)), diagnostics };
  },
};

export function gooddataDesired(model: ResolvedModel, ctx: CompileContext, accessOf?: AccessOf): { desired: GooddataDesired | null; diagnostics: Diagnostic[] } {
  const read = readGooddataOptions(ctx.target, ctx.projectRoot);
  if (read.options === null) return { desired: null, diagnostics: read.diagnostics };
  const result = desiredGooddata(model, read.options, accessOf ?? ((login, subject) => subjectAccess(model, login, subject)));
  return { desired: result.desired, diagnostics: [...read.diagnostics, ...result.diagnostics] };
}

/** What plan/apply need for a gooddata target: its adapter and an authenticated client. */
export function gooddataPlatform(
  model: ResolvedModel,
  ctx: CompileContext,
  clientOptions: Partial<HttpClientOptions> = {},
): { adapter: PlatformAdapter<unknown> | null; client: ReturnType<typeof clientFromTarget>['client']; diagnostics: Diagnostic[] } {
  const { desired, diagnostics } = gooddataDesired(model, ctx);
  if (desired === null || hasErrors(diagnostics)) return { adapter: null, client: null, diagnostics };
  const { client, diagnostics: clientDiagnostics } = clientFromTarget(ctx.target, ctx.env, (token) => ({ name: 'Authorization', value: `Bearer ${token}` }), {
    headers: desired.options.api === 'cloud' ? { accept: 'application/json' } : {},
    ...clientOptions,
  });
  diagnostics.push(...clientDiagnostics);
  if (client === null) return { adapter: null, client: null, diagnostics };
  const lookup = {
    attributes: gooddataSubjects(model.policy, 'legacy').subjects.flatMap((s) => [...s.fields.values()]).filter((uri, i, all) => all.indexOf(uri) === i),
    recompute: (elements: Map<string, Map<string, string>>) => desiredGooddata(model, { ...desired.options, elements }, (login: string, subject: string) => subjectAccess(model, login, subject)),
  };
  const adapter = (desired.options.api === 'cloud' ? cloudAdapter(desired) : legacyAdapter(desired, lookup)) as PlatformAdapter<unknown>;
  return { adapter, client, diagnostics };
}

function filtersDocument(desired: GooddataDesired): unknown {
  const idOf = new Map(desired.users.map((u) => [u.login, u.id]));
  return {
    api: desired.options.api,
    workspace: desired.options.workspace,
    users: desired.userFilters.map((f) => ({
      login: f.login,
      ...(desired.options.api === 'cloud' ? { id: idOf.get(f.login) } : {}),
      filter: f.maql,
      unrestricted: f.maql === null,
      denied: f.denied,
      parts: f.parts,
    })),
  };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
