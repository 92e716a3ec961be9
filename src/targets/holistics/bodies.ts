import { idRef } from '../http/request.js';
import type { DesiredAttribute } from './desired.js';
import type { Entry } from './entries.js';

/** Paths and bodies of the Holistics API v2 (vendor OpenAPI: holistics-api-v2-openapi.yml). */
export const holisticsPaths = {
  users: (after?: string) => `/users?limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`,
  invite: '/users/invite',
  groups: '/groups',
  groupList: (after?: string) => `/groups?limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`,
  addUser: (group: string, login: string) => `/groups/${idRef('group', group)}/add_user/${idRef('user', login)}`,
  removeUser: (group: string, login: string) => `/groups/${idRef('group', group)}/remove_user/${idRef('user', login)}`,
  attributes: '/user_attributes',
  attributeList: (after?: string) => `/user_attributes?limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`,
  attribute: (name: string) => `/user_attributes/${idRef('attribute', name)}`,
  entries: (type: 'User' | 'Group', id: number) => `/user_attribute_entries?subject_type=${type}&subject_id=${id}`,
  computedValues: (type: 'User' | 'Group', id: number) => `/user_attribute_entries/computed_values?subject_type=${type}&subject_id=${id}`,
  upsert: '/user_attribute_entries/upsert',
};

export function attributeBody(attribute: DesiredAttribute): unknown {
  return { user_attribute: attribute };
}

/** One entry of the upsert call; ids are placeholders bound at apply. */
export function entryBody(entry: Entry): unknown {
  return {
    user_attribute_id: idRef('attribute', entry.attribute),
    user_attribute_name: entry.attribute,
    subject_type: entry.subjectType,
    subject_id: idRef(entry.subjectType === 'User' ? 'user' : 'group', entry.subject),
    input_type: entry.inputType,
    ...(entry.inputType === 'manual' ? { values: entry.values ?? [] } : {}),
  };
}

/** The upsert endpoint takes at most 100 entries per call. */
export const UPSERT_BATCH = 100;
