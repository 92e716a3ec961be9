import type { AttributeType } from '../../model/policy.js';

/**
 * The derived, read-only `user.*` attributes (spec section 3) that rules may compare with.
 * All are text. Defining or assigning one is refused by the schema check (E-SYSTEM-ATTRIBUTE).
 */
export const SYSTEM_ATTRIBUTES: ReadonlyMap<string, AttributeType> = new Map([
  ['user.email', 'string'],
  ['user.login', 'string'],
  ['user.name', 'string'],
]);
