import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { expandEnv } from '../../project/config.js';
import type { TargetConfig } from '../target.js';
import { HttpClient, type HttpClientOptions } from './client.js';

/**
 * Builds the HTTP client of a platform target from its config: `endpoint` and the credential
 * option (`token`, or `api_key`) are expanded from the environment the caller passes in. The
 * credential's value goes into the client and nowhere else (diagnostics name the variable, never
 * the value).
 */
export function clientFromTarget(
  target: TargetConfig,
  env: Readonly<Record<string, string | undefined>>,
  auth: (secret: string) => { name: string; value: string },
  extra: Partial<HttpClientOptions> = {},
): { client: HttpClient | null; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const endpoint = target.options.endpoint;
  const secretKey = ['token', 'api_key'].find((key) => target.options[key] !== undefined);
  if (typeof endpoint !== 'string' || endpoint === '') {
    diagnostics.push(error('E-CONFIG', `target "${target.name}" needs \`endpoint\` (the platform's API base URL) for plan and apply`, target.loc));
  }
  if (secretKey === undefined || typeof target.options[secretKey] !== 'string') {
    diagnostics.push(error('E-CONFIG', `target "${target.name}" needs \`token\` (as \${VAR}) for plan and apply`, target.loc));
  }
  if (diagnostics.length > 0) return { client: null, diagnostics };
  const url = expandEnv(endpoint as string, env, target.optionLocs.endpoint ?? target.loc);
  const secret = expandEnv(target.options[secretKey!] as string, env, target.optionLocs[secretKey!] ?? target.loc);
  diagnostics.push(...url.diagnostics, ...secret.diagnostics);
  if (diagnostics.length > 0) return { client: null, diagnostics };
  if (!/^https?:\/\//.test(url.value)) {
    diagnostics.push(error('E-CONFIG', `target "${target.name}": endpoint must be an http(s) URL`, target.optionLocs.endpoint ?? target.loc));
    return { client: null, diagnostics };
  }
  return { client: new HttpClient({ ...extra, baseUrl: url.value, auth: auth(secret.value) }), diagnostics };
}
