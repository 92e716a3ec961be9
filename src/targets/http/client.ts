import { backoffMs, retryAfterMs } from './retry-after.js';
import { isIdempotent, type HttpMethod } from './request.js';

/**
 * The HTTP client of the platform targets. It owns the credential: callers give it the base URL
 * and an auth header (read from the environment by the caller) and it never puts either in an
 * error message, a log line or a result — only the method and path.
 *
 * Retries: 429 always (the server did not act); 5xx, network errors and timeouts only for
 * requests that are safe to repeat. A non-idempotent request whose outcome is unknown fails
 * with `ambiguous: true`, so the caller can look at the platform before trying again.
 */
export interface HttpClientOptions {
  baseUrl: string;
  /** e.g. `{ name: 'X-Holistics-Key', value: token }` or `{ name: 'Authorization', value: 'Bearer …' }`. */
  auth: { name: string; value: string };
  headers?: Record<string, string>;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 6. */
  maxRetries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Longest `Retry-After` honoured; longer asks fail rather than hang an apply. Default 5 min. */
  maxRetryAfterMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

export interface HttpResponse {
  status: number;
  body: unknown;
  attempts: number;
}

export interface SendOptions {
  /** Statuses that count as success besides 2xx. */
  accept?: number[];
  /** Whether the request may be repeated after an unknown outcome. Default: by method. */
  idempotent?: boolean;
  signal?: AbortSignal;
}

export class HttpError extends Error {
  constructor(
    message: string,
    readonly method: HttpMethod,
    readonly path: string,
    readonly status: number | null,
    readonly attempts: number,
    /** True when a non-idempotent request may or may not have been applied. */
    readonly ambiguous: boolean,
    readonly responseBody?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export class HttpClient {
  private readonly options: Required<Omit<HttpClientOptions, 'headers'>> & { headers: Record<string, string> };

  constructor(given: HttpClientOptions) {
    // An option passed as `undefined` keeps its default.
    const options = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) as HttpClientOptions;
    this.options = {
      timeoutMs: 30_000,
      maxRetries: 6,
      backoffBaseMs: 500,
      backoffMaxMs: 30_000,
      maxRetryAfterMs: 300_000,
      fetch: globalThis.fetch,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: () => new Date(),
      headers: {},
      ...options,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
    };
  }

  async send(method: HttpMethod, path: string, body?: unknown, sendOptions: SendOptions = {}): Promise<HttpResponse> {
    const idempotent = sendOptions.idempotent ?? isIdempotent({ method });
    const { maxRetries } = this.options;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(method, path, body, sendOptions.signal);
      const retriesLeft = attempt <= maxRetries;
      if (outcome.kind === 'response') {
        const { status } = outcome;
        if ((status >= 200 && status < 300) || sendOptions.accept?.includes(status)) return { status, body: outcome.body, attempts: attempt };
        if (status === 429 && retriesLeft) {
          const wait = retryAfterMs(outcome.retryAfter, this.options.now()) ?? backoffMs(attempt, this.options.backoffBaseMs, this.options.backoffMaxMs);
          if (wait > this.options.maxRetryAfterMs) {
            throw new HttpError(`${method} ${path}: rate limited for ${Math.ceil(wait / 1000)} s, longer than the ${this.options.maxRetryAfterMs / 1000} s allowed`, method, path, status, attempt, false);
          }
          await this.options.sleep(wait);
          continue;
        }
        if (status >= 500 && idempotent && retriesLeft) {
          await this.options.sleep(retryAfterMs(outcome.retryAfter, this.options.now()) ?? backoffMs(attempt, this.options.backoffBaseMs, this.options.backoffMaxMs));
          continue;
        }
        throw new HttpError(`${method} ${path} failed with HTTP ${status}${describe(outcome.body)}`, method, path, status, attempt, status >= 500 && !idempotent, outcome.body);
      }
      if (sendOptions.signal?.aborted) throw new HttpError(`${method} ${path}: aborted`, method, path, null, attempt, !idempotent);
      if (idempotent && retriesLeft) {
        await this.options.sleep(backoffMs(attempt, this.options.backoffBaseMs, this.options.backoffMaxMs));
        continue;
      }
      throw new HttpError(`${method} ${path}: ${outcome.reason}`, method, path, null, attempt, !idempotent);
    }
  }

  private async attempt(
    method: HttpMethod,
    path: string,
    body: unknown,
    signal: AbortSignal | undefined,
  ): Promise<{ kind: 'response'; status: number; body: unknown; retryAfter: string | null } | { kind: 'failure'; reason: string }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers, [this.options.auth.name]: this.options.auth.value };
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const response = await this.options.fetch(`${this.options.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
      });
      const text = await response.text();
      return { kind: 'response', status: response.status, body: parseBody(text), retryAfter: response.headers.get('retry-after') };
    } catch {
      // Only the kind of failure is reported: a fetch error can quote the request, headers included.
      const reason = controller.signal.aborted ? (signal?.aborted ? 'aborted' : `no response within ${this.options.timeoutMs} ms`) : 'network error';
      return { kind: 'failure', reason };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describe(body: unknown): string {
  if (body === null || body === undefined) return '';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return `: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
}
