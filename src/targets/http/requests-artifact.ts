import type { Artifact } from '../target.js';
import type { PlatformRequest } from './request.js';

/** `requests.json`: the requests in apply order, `{ method, path, body }` plus apply hints. No secrets. */
export function requestsArtifact(requests: readonly PlatformRequest[]): Artifact {
  const shaped = requests.map((r) => ({
    method: r.method,
    path: r.path,
    ...(r.body === undefined ? {} : { body: r.body }),
    ...(r.bind ? { bind: r.bind } : {}),
    ...(r.alreadyDone ? { alreadyDone: r.alreadyDone } : {}),
    ...(r.idempotent !== undefined ? { idempotent: r.idempotent } : {}),
  }));
  return { path: 'requests.json', content: `${JSON.stringify(shaped, null, 2)}\n` };
}
