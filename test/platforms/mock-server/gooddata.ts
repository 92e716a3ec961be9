import type { Handler, MockRequest, MockResponse } from './server.js';

/**
 * GoodData, statefully: the Cloud entities (userGroups, users) and the workspace layout of user
 * data filters, and the legacy project users, userFilter objects and user filter assignments.
 * References are checked as the platform checks them (a parent group, a user's group, a
 * filter's user must exist), so a request sent out of order fails here too.
 */
export interface GooddataState {
  groups: Map<string, { name: string; parents: string[] }>;
  users: Map<string, { email?: string; groups: string[] }>;
  filters: Map<string, unknown[]>;
  legacy: {
    users: Array<{ login: string; self: string }>;
    objects: Map<string, { expression: string; title: string }>;
    assignments: Map<string, string[]>;
    /** attribute URI -> its elements. */
    elements: Map<string, Array<{ title: string; uri: string }>>;
  };
}

export function gooddataState(): GooddataState {
  return { groups: new Map(), users: new Map(), filters: new Map(), legacy: { users: [], objects: new Map(), assignments: new Map(), elements: new Map() } };
}

type Doc = { data?: { id?: string; type?: string; attributes?: Record<string, unknown>; relationships?: Record<string, { data?: Array<{ id: string }> }> } };

export function gooddataHandler(state: GooddataState): Handler {
  return (request) => {
    const { method, path } = request;
    let match: RegExpExecArray | null;
    if (path === '/api/v1/entities/userGroups') return method === 'GET' ? listGroups(state, request) : method === 'POST' ? putGroup(state, request.body as Doc, true) : notAllowed();
    if ((match = /^\/api\/v1\/entities\/userGroups\/([^/]+)$/.exec(path))) {
      const id = decodeURIComponent(match[1]);
      if (method === 'PUT' || method === 'PATCH') return state.groups.has(id) ? putGroup(state, request.body as Doc, false, id, method === 'PATCH') : { status: 404, body: { detail: 'not found' } };
      return notAllowed();
    }
    if (path === '/api/v1/entities/users') return method === 'GET' ? listUsers(state, request) : method === 'POST' ? putUser(state, request.body as Doc, true) : notAllowed();
    if ((match = /^\/api\/v1\/entities\/users\/([^/]+)$/.exec(path))) {
      const id = decodeURIComponent(match[1]);
      if (method === 'PUT' || method === 'PATCH') return state.users.has(id) ? putUser(state, request.body as Doc, false, id, method === 'PATCH') : { status: 404, body: { detail: 'not found' } };
      return notAllowed();
    }
    if ((match = /^\/api\/v1\/layout\/workspaces\/([^/]+)\/userDataFilters$/.exec(path))) {
      const workspace = decodeURIComponent(match[1]);
      if (method === 'GET') return { status: 200, body: { userDataFilters: state.filters.get(workspace) ?? [] } };
      if (method === 'PUT') {
        const filters = (request.body as { userDataFilters?: Array<{ id: string; maql: string; user?: { id: string } }> })?.userDataFilters;
        if (!Array.isArray(filters)) return { status: 400, body: { detail: 'userDataFilters required' } };
        for (const f of filters) {
          if (f.user && !state.users.has(f.user.id)) return { status: 400, body: { detail: `unknown user ${f.user.id}` } };
          if (f.maql.length > 10_000) return { status: 400, body: { detail: 'maql too long' } };
        }
        state.filters.set(workspace, structuredClone(filters));
        return { status: 204 };
      }
      return notAllowed();
    }
    if ((match = /^\/gdc\/projects\/([^/]+)\/users$/.exec(path)) && method === 'GET') {
      const offset = Number(request.query.get('offset') ?? 0);
      const limit = Number(request.query.get('limit') ?? 100);
      const page = state.legacy.users.slice(offset, offset + limit);
      return { status: 200, body: { users: page.map((u) => ({ user: { content: { login: u.login, email: u.login }, links: { self: u.self } } })) } };
    }
    if ((match = /^\/gdc\/md\/([^/]+)\/obj$/.exec(path)) && method === 'POST') {
      const filter = (request.body as { userFilter?: { content?: { expression?: string }; meta?: { title?: string } } })?.userFilter;
      if (typeof filter?.content?.expression !== 'string') return { status: 400, body: { error: 'userFilter.content.expression required' } };
      const uri = `/gdc/md/${match[1]}/obj/${5000 + state.legacy.objects.size}`;
      state.legacy.objects.set(uri, { expression: filter.content.expression, title: filter.meta?.title ?? '' });
      return { status: 200, body: { uri } };
    }
    if ((match = /^\/gdc\/md\/([^/]+)\/userfilters$/.exec(path)) && method === 'GET') {
      const offset = Number(request.query.get('offset') ?? 0);
      const limit = Number(request.query.get('limit') ?? 100);
      const items = [...state.legacy.assignments].sort(([a], [b]) => (a < b ? -1 : 1)).map(([user, userFilters]) => ({ user, userFilters }));
      return { status: 200, body: { userFilters: { items: items.slice(offset, offset + limit) } } };
    }
    if ((match = /^(\/gdc\/md\/[^/]+\/obj\/\d+)\/elements$/.exec(path)) && method === 'GET') {
      const offset = Number(request.query.get('offset') ?? 0);
      const limit = Number(request.query.get('limit') ?? 100);
      // An attribute the test did not describe has no elements.
      const elements = state.legacy.elements.get(match[1]) ?? [];
      return { status: 200, body: { attributeElements: { elements: elements.slice(offset, offset + limit) } } };
    }
    if ((match = /^\/gdc\/md\/([^/]+)\/obj\/(\d+)$/.exec(path)) && method === 'GET') {
      const object = state.legacy.objects.get(path);
      if (!object) return { status: 404, body: { error: 'not found' } };
      return { status: 200, body: { userFilter: { content: { expression: object.expression }, meta: { category: 'userFilter', title: object.title, uri: path } } } };
    }
    if ((match = /^\/gdc\/md\/([^/]+)\/userfilters$/.exec(path)) && method === 'POST') {
      const items = (request.body as { userFilters?: { items?: Array<{ user: string; userFilters: string[] }> } })?.userFilters?.items ?? [];
      const known = new Set(state.legacy.users.map((u) => u.self));
      for (const item of items) {
        if (!known.has(item.user)) return { status: 400, body: { error: `unknown user ${item.user}` } };
        if (item.userFilters.some((uri) => !state.legacy.objects.has(uri))) return { status: 400, body: { error: 'unknown filter' } };
      }
      for (const item of items) state.legacy.assignments.set(item.user, [...item.userFilters]);
      return { status: 200, body: { userFiltersUpdateResult: { successful: items.map((i) => i.user), failed: [] } } };
    }
    return { status: 404, body: { detail: `no route ${method} ${path}` } };
  };
}

function notAllowed(): MockResponse {
  return { status: 405, body: { detail: 'method not allowed' } };
}

function page<T>(items: T[], request: MockRequest): T[] {
  const size = Number(request.query.get('size') ?? 20);
  const number = Number(request.query.get('page') ?? 0);
  return items.slice(number * size, number * size + size);
}

function listGroups(state: GooddataState, request: MockRequest): MockResponse {
  const all = [...state.groups].sort(([a], [b]) => (a < b ? -1 : 1));
  return {
    status: 200,
    body: { data: page(all, request).map(([id, g]) => ({ id, type: 'userGroup', attributes: { name: g.name }, relationships: { parents: { data: g.parents.map((p) => ({ id: p, type: 'userGroup' })) } } })) },
  };
}

function listUsers(state: GooddataState, request: MockRequest): MockResponse {
  const all = [...state.users].sort(([a], [b]) => (a < b ? -1 : 1));
  return {
    status: 200,
    body: { data: page(all, request).map(([id, u]) => ({ id, type: 'user', attributes: u.email ? { email: u.email } : {}, relationships: { userGroups: { data: u.groups.map((g) => ({ id: g, type: 'userGroup' })) } } })) },
  };
}

/** POST creates, PUT replaces, PATCH changes only what the document names. */
function putGroup(state: GooddataState, doc: Doc, create: boolean, pathId?: string, patch = false): MockResponse {
  const id = doc?.data?.id;
  if (typeof id !== 'string' || doc.data?.type !== 'userGroup' || (pathId !== undefined && pathId !== id)) return { status: 400, body: { detail: 'bad document' } };
  if (create && state.groups.has(id)) return { status: 409, body: { detail: 'exists' } };
  const before = state.groups.get(id);
  const given = doc.data.relationships?.parents?.data;
  const parents = given ? given.map((d) => d.id) : patch && before ? before.parents : [];
  if (parents.some((p) => !state.groups.has(p))) return { status: 400, body: { detail: 'unknown parent' } };
  const name = doc.data.attributes?.name ?? (patch ? before?.name : undefined) ?? id;
  state.groups.set(id, { name: String(name), parents });
  return { status: create ? 201 : 200, body: doc };
}

function putUser(state: GooddataState, doc: Doc, create: boolean, pathId?: string, patch = false): MockResponse {
  const id = doc?.data?.id;
  if (typeof id !== 'string' || doc.data?.type !== 'user' || (pathId !== undefined && pathId !== id)) return { status: 400, body: { detail: 'bad document' } };
  if (create && state.users.has(id)) return { status: 409, body: { detail: 'exists' } };
  const before = state.users.get(id);
  const given = doc.data.relationships?.userGroups?.data;
  const groups = given ? given.map((d) => d.id) : patch && before ? before.groups : [];
  if (groups.some((g) => !state.groups.has(g))) return { status: 400, body: { detail: 'unknown group' } };
  const email = doc.data.attributes?.email ?? (patch ? before?.email : undefined);
  state.users.set(id, { ...(typeof email === 'string' ? { email } : {}), groups });
  return { status: create ? 201 : 200, body: doc };
}
