import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the platforms' admin APIs: node:http on 127.0.0.1 and a random port,
 * stateful (see gooddata.ts / holistics.ts), with faults injected per request: 429 with a
 * `Retry-After`, 500, or no answer at all (the client's timeout). Every request is logged, with
 * whether the platform acted on it, so tests can count writes.
 */
export interface MockRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export interface MockResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (request: MockRequest) => MockResponse;

export type Fault =
  | { kind: '429'; retryAfter?: string }
  | { kind: '500'; /** Act on the request, then answer 500 (the outcome is unknown to the client). */ afterApplying?: boolean }
  | { kind: 'timeout'; afterApplying?: boolean };

export interface FaultRule {
  fault: Fault;
  /** Which requests it hits; all when absent. */
  match?: (method: string, path: string) => boolean;
  /** How many requests it hits. */
  times: number;
  /** Called when it hits (after the platform acted, for `afterApplying`): tests interrupt a client mid-request with it. */
  onHit?: () => void;
}

export interface LoggedRequest {
  method: string;
  path: string;
  body: unknown;
  status: number | 'no answer';
  /** Whether the platform's state handler ran. */
  applied: boolean;
  authorised: boolean;
}

export interface MockServer {
  url: string;
  log: LoggedRequest[];
  faults: FaultRule[];
  close(): Promise<void>;
}

export async function startMockServer(handler: Handler, token: { header: string; value: string }): Promise<MockServer> {
  const log: LoggedRequest[] = [];
  const faults: FaultRule[] = [];
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    void serve(req, res);
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const authorised = req.headers[token.header.toLowerCase()] === token.value;
    let parsed: unknown = undefined;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    const entry: LoggedRequest = { method, path: `${url.pathname}${url.search}`, body: parsed, status: 401, applied: false, authorised };
    log.push(entry);
    if (!authorised) return send(res, { status: 401, body: { error: 'unauthorised' } });
    const rule = faults.find((f) => f.times > 0 && (f.match?.(method, url.pathname) ?? true));
    if (rule) rule.times--;
    const fault = rule?.fault;
    if (fault?.kind === '429') {
      entry.status = 429;
      return send(res, { status: 429, body: { error: 'rate limited' }, headers: fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {} });
    }
    if (typeof parsed === 'string') {
      entry.status = 400;
      return send(res, { status: 400, body: { error: 'invalid JSON' } });
    }
    const body = parsed ?? null;
    const act = (): MockResponse => {
      const response = handler({ method, path: url.pathname, query: url.searchParams, body });
      entry.applied = method !== 'GET' && response.status < 300;
      return response;
    };
    if (fault?.kind === '500') {
      if (fault.afterApplying) act();
      entry.status = 500;
      return send(res, { status: 500, body: { error: 'internal error' } });
    }
    if (fault?.kind === 'timeout') {
      if (fault.afterApplying) act();
      entry.status = 'no answer';
      hanging.add(res);
      rule!.onHit?.();
      return;
    }
    const response = act();
    entry.status = response.status;
    send(res, response);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, response: MockResponse): void {
  const payload = response.body === undefined ? '' : JSON.stringify(response.body);
  res.writeHead(response.status, { 'content-type': 'application/json', ...(response.headers ?? {}) });
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
