import { error, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { PolicySet, UserDef } from '../model/policy.js';
import type { Because, ResolvedApiKey, ResolvedUser } from './model.js';

/**
 * API keys (SPEC 4): a key is valid when its user exists, is enabled and has key generation
 * enabled (the user's own setting if given, else enabled if any of their groups enables it).
 * An invalid or expired key is an error; one expiring within 30 days is a warning.
 */

export const EXPIRY_WARNING_DAYS = 30;

/** Whether the user may generate keys: their own setting if given, else what their groups say. */
export function apiKeysEnabled(user: UserDef, fromGroups: Because<boolean>): Because<boolean> {
  if (user.apiKeys) return { value: user.apiKeys.value === 'enabled', because: [{ source: 'user', login: user.login, loc: user.apiKeys.loc }] };
  return fromGroups;
}

export function resolveApiKeys(
  policy: PolicySet,
  users: ReadonlyMap<string, ResolvedUser>,
  now: Date,
): { apiKeys: Map<string, ResolvedApiKey>; diagnostics: Diagnostic[] } {
  const today = isoDay(now);
  const warnFrom = isoDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + EXPIRY_WARNING_DAYS)));
  const diagnostics: Diagnostic[] = [];
  const apiKeys = new Map<string, ResolvedApiKey>();
  for (const name of [...policy.apiKeys.keys()].sort()) {
    const key = policy.apiKeys.get(name)!;
    const login = key.user.value;
    const user = users.get(login);
    const problems: string[] = [];
    if (!user) problems.push(`user ${login} does not exist`);
    else if (!user.enabled) problems.push(`user ${login} is disabled`);
    else if (!user.apiKeysEnabled.value) problems.push(`API-key generation is disabled for ${login}`);
    for (const problem of problems) {
      diagnostics.push(
        error('E-API-KEY-INVALID', `API key ${name} is not valid: ${problem}`, key.user.loc, {
          hint: 'enable `api_keys` for the user or one of their groups, or remove the key',
          related: user ? [{ message: `user ${login}`, loc: user.loc }] : [],
        }),
      );
    }
    const expires = key.expires?.value;
    if (key.expires && expires !== undefined) {
      if (expires < today) {
        problems.push(`expired on ${expires}`);
        diagnostics.push(
          error('E-API-KEY-EXPIRED', `API key ${name} expired on ${expires}`, key.expires.loc, {
            hint: 'rotate the key and set a new `expires` date',
            related: [{ message: `API key ${name}`, loc: key.loc }],
          }),
        );
      } else if (expires <= warnFrom) {
        problems.push(`expires on ${expires}, within ${EXPIRY_WARNING_DAYS} days`);
        diagnostics.push(
          warning('W-API-KEY-EXPIRING', `API key ${name} expires on ${expires}, within ${EXPIRY_WARNING_DAYS} days`, key.expires.loc, {
            hint: 'plan its rotation',
            related: [{ message: `API key ${name}`, loc: key.loc }],
          }),
        );
      }
    }
    const valid = user !== undefined && user.enabled && user.apiKeysEnabled.value && !(expires !== undefined && expires < today);
    const resolved: ResolvedApiKey = { name, user: login, loc: key.loc, valid, problems };
    if (expires !== undefined) resolved.expires = expires;
    apiKeys.set(name, resolved);
  }
  return { apiKeys, diagnostics };
}

/** `YYYY-MM-DD` of a moment, in UTC (policy dates carry no zone). */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
