import type { Handler, MockRequest, MockResponse } from './server.js';

/**
 * Holistics API v2, statefully: users (invited synchronously here), groups and memberships,
 * user attributes, and attribute entries with the 100-per-call upsert limit. Group names are
 * not unique, as nothing in the API says they are: a duplicated create shows up as a second
 * group. Lists use cursor pagination; entry lists leave out `values`, as the vendor's schema
 * does, and `computed_values` gives them.
 */
export interface HolisticsState {
  nextId: number;
  users: Map<number, { email: string; role: string; groupIds: Set<number> }>;
  groups: Map<number, { name: string }>;
  attributes: Map<number, { name: string; attribute_type: string; label: string; description?: string }>;
  /** `<type>:<subject id>:<attribute id>` -> entry. */
  entries: Map<string, { input_type: 'manual' | 'inherit' | 'all'; values: string[] }>;
}

export function holisticsState(): HolisticsState {
  return { nextId: 1, users: new Map(), groups: new Map(), attributes: new Map(), entries: new Map() };
}

export function holisticsHandler(state: HolisticsState): Handler {
  return (request) => {
    const { method, path, body } = request;
    let m: RegExpExecArray | null;
    if (path === '/users' && method === 'GET') {
      return list(request, 'users', [...state.users].map(([id, u]) => ({ id, email: u.email, role: u.role, is_deleted: false, group_ids: [...u.groupIds].sort((a, b) => a - b) })));
    }
    if (path === '/users/invite' && method === 'POST') {
      const { emails, role } = (body ?? {}) as { emails?: string[]; role?: string };
      if (!Array.isArray(emails) || typeof role !== 'string') return { status: 422, body: { error: 'emails and role required' } };
      for (const email of emails) {
        if ([...state.users.values()].some((u) => u.email === email)) continue;
        state.users.set(state.nextId++, { email, role, groupIds: new Set() });
      }
      return { status: 200, body: { job: { id: state.nextId++, status: 'success' } } };
    }
    if (path === '/groups' && method === 'GET') return list(request, 'groups', [...state.groups].map(([id, g]) => ({ id, name: g.name })));
    if (path === '/groups' && method === 'POST') {
      const name = (body as { group?: { name?: string } })?.group?.name;
      if (typeof name !== 'string' || name === '') return { status: 422, body: { error: 'name required' } };
      const id = state.nextId++;
      state.groups.set(id, { name });
      return { status: 201, body: { group: { id, name, user_ids: [] } } };
    }
    if ((m = /^\/groups\/(\d+)\/(add_user|remove_user)\/(\d+)$/.exec(path)) && method === 'POST') {
      const user = state.users.get(Number(m[3]));
      if (!state.groups.has(Number(m[1])) || !user) return { status: 404, body: { error: 'not found' } };
      if (m[2] === 'add_user') user.groupIds.add(Number(m[1]));
      else user.groupIds.delete(Number(m[1]));
      return { status: 200, body: { message: 'ok' } };
    }
    if (path === '/user_attributes' && method === 'GET') {
      return list(request, 'user_attributes', [
        { id: 0, name: 'h_email', attribute_type: 'string', label: 'Email', is_system_attribute: true },
        ...[...state.attributes].map(([id, a]) => ({ id, ...a, is_system_attribute: false })),
      ]);
    }
    if (path === '/user_attributes' && method === 'POST') {
      const input = (body as { user_attribute?: { name?: string; attribute_type?: string; label?: string; description?: string } })?.user_attribute;
      if (!input?.name || !input.attribute_type || !input.label) return { status: 422, body: { error: 'name, attribute_type and label required' } };
      if ([...state.attributes.values()].some((a) => a.name === input.name)) return { status: 422, body: { error: 'name taken' } };
      const id = state.nextId++;
      state.attributes.set(id, { name: input.name, attribute_type: input.attribute_type, label: input.label, ...(input.description ? { description: input.description } : {}) });
      return { status: 200, body: { user_attribute: { id, ...state.attributes.get(id) }, status: 'created' } };
    }
    if ((m = /^\/user_attributes\/(\d+)$/.exec(path)) && method === 'PUT') {
      const id = Number(m[1]);
      const input = (body as { user_attribute?: { name: string; attribute_type: string; label: string; description?: string } })?.user_attribute;
      if (!state.attributes.has(id) || !input) return { status: 404, body: { error: 'not found' } };
      state.attributes.set(id, { ...input });
      return { status: 200, body: { user_attribute: { id, ...input } } };
    }
    if (path === '/user_attribute_entries' && method === 'GET') {
      const prefix = `${request.query.get('subject_type')}:${request.query.get('subject_id')}:`;
      const found = [...state.entries].filter(([key]) => key.startsWith(prefix));
      return { status: 200, body: { user_attribute_entries: found.map(([key, e]) => ({ user_attribute_id: Number(key.split(':')[2]), input_type: e.input_type, subject_type: request.query.get('subject_type'), subject_id: Number(request.query.get('subject_id')) })), cursors: { previous: null, next: null } } };
    }
    if (path === '/user_attribute_entries/computed_values' && method === 'GET') {
      return { status: 200, body: { user_attribute_values: computed(state, request.query.get('subject_type')!, Number(request.query.get('subject_id'))) } };
    }
    if (path === '/user_attribute_entries/upsert' && method === 'PUT') {
      const entries = (body as { user_attribute_entries?: Array<{ user_attribute_id: number; subject_type: string; subject_id: number; input_type: 'manual' | 'inherit' | 'all'; values?: string[] }> })?.user_attribute_entries;
      if (!Array.isArray(entries)) return { status: 400, body: { error: 'user_attribute_entries required' } };
      if (entries.length > 100) return { status: 422, body: { error: 'at most 100 entries' } };
      for (const e of entries) {
        if (!state.attributes.has(e.user_attribute_id)) return { status: 404, body: { error: `attribute ${e.user_attribute_id}` } };
        const exists = e.subject_type === 'User' ? state.users.has(e.subject_id) : state.groups.has(e.subject_id);
        if (!exists) return { status: 404, body: { error: `${e.subject_type} ${e.subject_id}` } };
      }
      for (const e of entries) state.entries.set(`${e.subject_type}:${e.subject_id}:${e.user_attribute_id}`, { input_type: e.input_type, values: e.input_type === 'manual' ? [...(e.values ?? [])] : [] });
      return { status: 200, body: { user_attribute_entries: entries.map((e) => ({ user_attribute_id: e.user_attribute_id, input_type: e.input_type, subject_type: e.subject_type, subject_id: e.subject_id })) } };
    }
    return { status: 404, body: { error: `no route ${method} ${path}` } };
  };
}

/** What Holistics computes: own manual/all, else (users) the union of their groups' values. */
function computed(state: HolisticsState, type: string, id: number): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [attributeId, attribute] of state.attributes) {
    const own = state.entries.get(`${type}:${id}:${attributeId}`);
    if (own && own.input_type === 'manual') result[attribute.name] = [...own.values];
    else if (own && own.input_type === 'all') result[attribute.name] = ['__all__'];
    else if (type === 'User') {
      const groups = [...(state.users.get(id)?.groupIds ?? [])];
      result[attribute.name] = [...new Set(groups.flatMap((g) => state.entries.get(`Group:${g}:${attributeId}`)?.values ?? []))].sort();
    } else result[attribute.name] = [];
  }
  return result;
}

function list(request: MockRequest, key: string, items: unknown[]): MockResponse {
  const limit = Number(request.query.get('limit') ?? 20);
  const offset = Number(request.query.get('after') ?? 0);
  const next = offset + limit < items.length ? String(offset + limit) : null;
  return { status: 200, body: { [key]: items.slice(offset, offset + limit), cursors: { previous: null, next } } };
}
