import { error } from '../../diagnostics/diagnostic.js';
import type { ValidationRule } from '../rule.js';

/**
 * An API key inherits exactly its user's access, so a key of a disabled user can never be valid
 * (E-API-KEY-USER, at the key's `user`). A key whose user does not exist is a dangling reference
 * (E-UNKNOWN-REF, from unknown-references); expiry needs "now" and is the resolver's check.
 */
export const apiKeyUsers: ValidationRule = {
  name: 'api-key-users',
  check(context) {
    for (const key of context.policy.apiKeys.values()) {
      const user = context.policy.users.get(key.user.value);
      if (user === undefined || !user.disabled) continue;
      context.report(
        error('E-API-KEY-USER', `api key "${key.name}" belongs to user "${user.login}", who is disabled`, key.user.loc, {
          hint: 'remove the key, or give it to an enabled user',
          related: [{ message: `user "${user.login}" is defined here`, loc: user.loc }],
        }),
      );
    }
  },
};
