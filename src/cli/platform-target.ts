import { error, type Diagnostic, type Loc } from '../diagnostics/diagnostic.js';
import type { CompiledProject } from '../pipeline.js';
import { expandEnv } from '../project/config.js';
import { gooddataPlatform } from '../targets/gooddata/index.js';
import { holisticsPlatform } from '../targets/holistics/index.js';
import { HttpError, type HttpClient } from '../targets/http/client.js';
import type { PlatformAdapter } from '../targets/http/platform.js';
import type { TargetConfig } from '../targets/target.js';
import type { CliIO } from './io.js';
import { printDiagnostics } from './report.js';

/**
 * What `plan` and `apply` need for a platform target, and what they say about targets they
 * cannot plan. gooddata and holistics have admin APIs: warden reads their live state over HTTP
 * with the token the target config names (from the environment; never printed). incorta,
 * inmydata and typescript have none: their artifacts are files (`compile --out`).
 */
export const API_PLATFORMS = ['gooddata', 'holistics'] as const;
export type ApiPlatform = (typeof API_PLATFORMS)[number];

export function isApiPlatform(type: string): type is ApiPlatform {
  return (API_PLATFORMS as readonly string[]).includes(type);
}

const FILE_BASED: Record<string, string> = {
  incorta: 'Incorta has no public admin API: warden writes the users-and-groups sync bundle and a checklist',
  inmydata: 'inmydata has no public admin API: warden writes the user-data subject, group files and a checklist',
  typescript: 'a typescript target is a generated module for your application, not a live system',
};

/** The one-line answer of plan/apply for a file-based target, or null for a target they handle. */
export function fileBasedMessage(command: 'plan' | 'apply', target: TargetConfig): string | null {
  const why = FILE_BASED[target.type];
  if (why === undefined) return null;
  const out = target.type === 'typescript' ? `${target.name}.ts` : `out/${target.name}`;
  return `warden ${command}: target "${target.name}" (${target.type}) is file-based: ${why}. Run \`warden compile --target ${target.name} --out ${out}\` instead.\n`;
}

export interface PlatformSetup {
  target: TargetConfig;
  adapter: PlatformAdapter<unknown>;
  client: HttpClient;
  /** The API base URL, expanded, for printing and the saved plan (the token is not in it). */
  endpoint: string;
}

/** Builds the adapter (from the compiled policies) and the client of a gooddata/holistics target; prints diagnostics. */
export function platformSetup(io: CliIO, compiled: CompiledProject, target: TargetConfig): PlatformSetup | null {
  const ctx = { target, env: io.env, projectRoot: compiled.config.root, now: new Date() };
  const built = target.type === 'gooddata' ? gooddataPlatform(compiled.model!, ctx) : holisticsPlatform(compiled.model!, ctx);
  printDiagnostics(io, built.diagnostics, compiled.sources);
  if (built.adapter === null || built.client === null || built.diagnostics.some((d) => d.severity === 'error')) return null;
  const endpoint = expandEnv(String(target.options.endpoint), io.env, target.loc).value;
  return { target, adapter: built.adapter, client: built.client, endpoint };
}

/**
 * A failure talking to the platform as a diagnostic at the target's place in warden.yaml: the
 * method, path and status, never the token (the client keeps it out of its messages).
 */
export function platformFailure(target: TargetConfig, caught: unknown, doing: string): Diagnostic {
  const at = (key: string): Loc => target.optionLocs[key] ?? target.loc;
  if (caught instanceof HttpError) {
    if (caught.status === 401 || caught.status === 403) {
      const secretKey = target.options.api_key !== undefined ? 'api_key' : 'token';
      return error('E-PLATFORM-AUTH', `target "${target.name}": ${doing}: the platform refused the credential (HTTP ${caught.status} on ${caught.method} ${caught.path})`, at(secretKey), {
        hint: `check the value of ${String(target.options[secretKey])} and that it may administer users and data permissions`,
      });
    }
    if (caught.status === null) {
      return error('E-PLATFORM-UNREACHABLE', `target "${target.name}": ${doing}: ${caught.message}`, at('endpoint'), {
        hint: 'check `endpoint` and that the platform is reachable from here',
      });
    }
    return error('E-PLATFORM-HTTP', `target "${target.name}": ${doing}: ${caught.message}`, target.loc);
  }
  return error('E-PLATFORM-HTTP', `target "${target.name}": ${doing}: ${caught instanceof Error ? caught.message : String(caught)}`, target.loc);
}
