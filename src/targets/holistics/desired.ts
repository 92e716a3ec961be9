import type { ResolvedModel } from '../../resolve/model.js';
import { allGroupNames, directGroupNames, usersByLogin } from '../http/direct-groups.js';
import { attributeEntries, type Entry } from './entries.js';

/**
 * What Holistics should hold: user attributes (definitions), groups, each user's direct groups
 * and every attribute entry. Users are matched by e-mail, the platform's user identity.
 */
export interface DesiredAttribute {
  name: string;
  attribute_type: string;
  label: string;
  description?: string;
}

export interface DesiredUser {
  login: string;
  email: string;
  role: 'admin' | 'user';
  enabled: boolean;
  groups: string[];
}

export interface HolisticsDesired {
  attributes: DesiredAttribute[];
  groups: string[];
  users: DesiredUser[];
  entries: Entry[];
}

const ATTRIBUTE_TYPES: Record<string, string> = { string: 'string', integer: 'number', number: 'number', date: 'date', boolean: 'boolean' };

export function desiredHolistics(model: ResolvedModel): HolisticsDesired {
  const policy = model.policy;
  const attributes = [...policy.attributes.values()]
    .filter((a) => !a.name.startsWith('user.'))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((a) => ({ name: a.name, attribute_type: ATTRIBUTE_TYPES[a.type], label: a.name, ...(a.description ? { description: a.description } : {}) }));
  const users = usersByLogin(model).map((user) => ({
    login: user.login,
    email: (user.email ?? user.login).toLowerCase(),
    role: user.admin ? ('admin' as const) : ('user' as const),
    enabled: user.enabled,
    groups: user.enabled ? directGroupNames(user) : [],
  }));
  return { attributes, groups: allGroupNames(policy), users, entries: attributeEntries(policy, usersByLogin(model)) };
}
