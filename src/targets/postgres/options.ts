import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { TargetConfig } from '../target.js';

/** The options of a `type: postgres` target in warden.yaml (SPEC 2 and 5.1). */
export interface PostgresOptions {
  /** Schema where warden keeps its objects. */
  schema: string;
  principal: 'session' | 'role';
  /** Roles given SELECT on subject tables and what they need to `enter`; empty = leave privileges, PUBLIC may execute. */
  grantTo: string[];
}

export const DEFAULT_OPTIONS: PostgresOptions = { schema: 'warden', principal: 'session', grantTo: [] };

const KNOWN = new Set(['url', 'schema', 'principal', 'grant_to']);

export function readPostgresOptions(target: TargetConfig): { options: PostgresOptions; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const options: PostgresOptions = { ...DEFAULT_OPTIONS, grantTo: [] };
  const at = (key: string) => target.optionLocs[key] ?? target.loc;
  for (const key of Object.keys(target.options).sort()) {
    if (!KNOWN.has(key)) {
      diagnostics.push(error('E-PG-OPTION', `unknown option "${key}" for a postgres target`, at(key), { hint: 'options are url, schema, principal and grant_to' }));
    }
  }
  const { schema, principal, grant_to: grantTo } = target.options;
  if (schema !== undefined) {
    if (typeof schema !== 'string' || schema === '' || schema.includes('\u0000')) {
      diagnostics.push(error('E-PG-OPTION', '`schema` must be a non-empty name', at('schema')));
    } else options.schema = schema;
  }
  if (principal !== undefined) {
    if (principal !== 'session' && principal !== 'role') {
      diagnostics.push(error('E-PG-OPTION', '`principal` must be `session` or `role`', at('principal')));
    } else options.principal = principal;
  }
  if (grantTo !== undefined) {
    if (!Array.isArray(grantTo) || grantTo.some((r) => typeof r !== 'string' || r === '' || r.includes('\u0000'))) {
      diagnostics.push(error('E-PG-OPTION', '`grant_to` must be a list of role names', at('grant_to')));
    } else options.grantTo = [...new Set(grantTo as string[])].sort();
  }
  return { options, diagnostics };
}
