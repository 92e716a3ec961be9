import type { DesiredFilter, DesiredGroup, DesiredUser } from './desired.js';

/**
 * Request bodies of the GoodData Cloud metadata API (JSON:API entities and the declarative
 * layout), as the vendor's OpenAPI description defines them.
 */
export function userGroupDocument(group: DesiredGroup): unknown {
  return {
    data: {
      id: group.id,
      type: 'userGroup',
      attributes: { name: group.name },
      relationships: { parents: { data: group.parents.map((id) => ({ id, type: 'userGroup' })) } },
    },
  };
}

export function userDocument(user: DesiredUser): unknown {
  return {
    data: {
      id: user.id,
      type: 'user',
      attributes: user.email ? { email: user.email } : {},
      relationships: { userGroups: { data: user.groups.map((id) => ({ id, type: 'userGroup' })) } },
    },
  };
}

export function declarativeFilter(filter: DesiredFilter): DeclarativeUserDataFilter {
  return { id: filter.id, title: filter.title, maql: filter.maql, user: { id: filter.userId, type: 'user' } };
}

export interface DeclarativeUserDataFilter {
  id: string;
  title: string;
  maql: string;
  description?: string;
  tags?: string[];
  user?: { id: string; type: 'user' };
  userGroup?: { id: string; type: 'userGroup' };
}

export const paths = {
  userGroups: '/api/v1/entities/userGroups',
  userGroup: (id: string) => `/api/v1/entities/userGroups/${encodeURIComponent(id)}`,
  users: '/api/v1/entities/users',
  user: (id: string) => `/api/v1/entities/users/${encodeURIComponent(id)}`,
  userDataFilters: (workspace: string) => `/api/v1/layout/workspaces/${encodeURIComponent(workspace)}/userDataFilters`,
};
