import { idRef } from '../http/request.js';

/**
 * Request bodies of the legacy GoodData platform (seed 002): a `userFilter` object per filter,
 * then the users' filter lists, re-specified in full. Filter object URIs and user profile URIs
 * exist only on the platform, so they are placeholders bound at apply: `filter:<login>` from the
 * response to the object's creation, `user:<login>` from `user_ids` or the project's users.
 */
export function userFilterObject(login: string, expression: string): unknown {
  return { userFilter: { content: { expression }, meta: { category: 'userFilter', title: `warden: ${login}` } } };
}

export function userFilterAssignments(items: Array<{ login: string; filtered: boolean }>): unknown {
  return {
    userFilters: {
      items: items.map((item) => ({ user: idRef('user', item.login), userFilters: item.filtered ? [idRef('filter', item.login)] : [] })),
    },
  };
}

export const legacyPaths = {
  objects: (project: string) => `/gdc/md/${encodeURIComponent(project)}/obj`,
  userFilters: (project: string) => `/gdc/md/${encodeURIComponent(project)}/userfilters`,
  users: (project: string, offset: number, limit: number) => `/gdc/projects/${encodeURIComponent(project)}/users?offset=${offset}&limit=${limit}`,
  elements: (attributeUri: string, offset: number, limit: number) => `${attributeUri}/elements?offset=${offset}&limit=${limit}`,
  assignments: (project: string, offset: number, limit: number) => `/gdc/md/${encodeURIComponent(project)}/userfilters?offset=${offset}&limit=${limit}`,
};
