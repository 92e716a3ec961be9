import type { AttributeType } from '../../model/policy.js';

/** Names of the look-ups, shared by the functions that define them and the policies that call them. */

/** The look-up of a condition's values for one attribute type. */
export function valuesFunction(type: AttributeType): string {
  return `values_${type}`;
}

/** The subject look-up the permissive policy compares with (access key or role name). */
export function accessFunction(principal: 'session' | 'role'): string {
  return principal === 'session' ? 'access_key' : 'access_role';
}
