import type { AttributeType } from '../../model/policy.js';

/**
 * The derived, read-only `user.*` attributes (spec section 3): rules may compare with them,
 * nobody may define or assign them. All are text.
 */
export const SYSTEM_ATTRIBUTES: ReadonlyMap<string, AttributeType> = new Map([
  ['user.email', 'string'],
  ['user.login', 'string'],
  ['user.name', 'string'],
]);

export const SYSTEM_PREFIX = 'user.';

export function isSystemAttributeName(name: string): boolean {
  return name.startsWith(SYSTEM_PREFIX);
}
