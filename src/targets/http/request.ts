/**
 * One HTTP call a platform target makes. `compile --out` writes a list of these as
 * `requests.json`; apply sends them in order. They never hold secrets: the token is added by
 * the client at send time.
 *
 * Platforms identify objects by ids that only exist once the object does (Holistics' integer
 * group ids, for instance), so a request may name them symbolically: `{{group:vietnam}}` in the
 * path, or a body string that is exactly `{{group:vietnam}}`. Apply binds those placeholders
 * from the live state it has read and from the responses of earlier requests (`bind`).
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface PlatformRequest {
  method: HttpMethod;
  path: string;
  body?: unknown;
  /** After success, bind `name` to the value found at `from` (a path into the response JSON). */
  bind?: { name: string; from: Array<string | number> };
  /**
   * Statuses that mean "already in the desired state" (e.g. 409 when creating an entity that
   * exists): a retried create whose first attempt did land must not fail the apply.
   */
  alreadyDone?: number[];
  /** A POST with set semantics (adding a member who already is one changes nothing): safe to repeat. */
  idempotent?: boolean;
}

const PLACEHOLDER = /\{\{([a-z-]+):([^{}]*)\}\}/g;
const WHOLE_PLACEHOLDER = /^\{\{([a-z-]+):([^{}]*)\}\}$/;

/** The placeholder for an object's id: kind is e.g. `group`, name is URI-encoded so any login fits. */
export function idRef(kind: string, name: string): string {
  return `{{${kind}:${encodeURIComponent(name)}}}`;
}

/** The binding key a placeholder refers to (`group:vietnam`). */
export function bindingKey(kind: string, name: string): string {
  return `${kind}:${encodeURIComponent(name)}`;
}

export type Bindings = Record<string, string | number>;

export class UnboundReferenceError extends Error {
  readonly references: string[];
  constructor(references: string[]) {
    super(`no id known for ${references.map((r) => decodeKey(r)).join(', ')}`);
    this.name = 'UnboundReferenceError';
    this.references = references;
  }
}

function decodeKey(key: string): string {
  const colon = key.indexOf(':');
  return `${key.slice(0, colon)} "${decodeURIComponent(key.slice(colon + 1))}"`;
}

/** Every placeholder a request uses, as binding keys. */
export function references(request: PlatformRequest): string[] {
  const found = new Set<string>();
  for (const match of request.path.matchAll(PLACEHOLDER)) found.add(`${match[1]}:${match[2]}`);
  visitStrings(request.body, (text) => {
    const match = WHOLE_PLACEHOLDER.exec(text);
    if (match) found.add(`${match[1]}:${match[2]}`);
  });
  return [...found].sort();
}

/** Replaces placeholders with bound ids; throws UnboundReferenceError rather than send a guess. */
export function bindRequest(request: PlatformRequest, bindings: Bindings): PlatformRequest {
  const missing = references(request).filter((key) => !(key in bindings));
  if (missing.length > 0) throw new UnboundReferenceError(missing);
  const path = request.path.replace(PLACEHOLDER, (_, kind: string, name: string) => encodeURIComponent(String(bindings[`${kind}:${name}`])));
  const body = request.body === undefined ? undefined : mapStrings(request.body, (text) => {
    const match = WHOLE_PLACEHOLDER.exec(text);
    return match ? bindings[`${match[1]}:${match[2]}`] : text;
  });
  return { ...request, path, ...(body === undefined ? {} : { body }) };
}

function visitStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) value.forEach((item) => visitStrings(item, visit));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((item) => visitStrings(item, visit));
}

function mapStrings(value: unknown, map: (text: string) => unknown): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]));
  }
  return value;
}

/** Whether repeating the request after an unknown outcome is safe (HTTP semantics). */
export function isIdempotent(request: Pick<PlatformRequest, 'method' | 'alreadyDone' | 'idempotent'>): boolean {
  if (request.idempotent !== undefined) return request.idempotent;
  return request.method !== 'POST' && request.method !== 'PATCH' ? true : (request.alreadyDone?.length ?? 0) > 0;
}

/** Reads `from` out of a response body. */
export function pluck(body: unknown, from: Array<string | number>): unknown {
  let current: unknown = body;
  for (const step of from) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}
