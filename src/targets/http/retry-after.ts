/**
 * How long to wait before retrying, from a `Retry-After` header: delay-seconds or an HTTP date
 * (RFC 9110 section 10.2.3). Returns null when the header is absent or unreadable, so the
 * caller falls back to its own backoff.
 */
export function retryAfterMs(header: string | null | undefined, now: Date): number | null {
  if (header === null || header === undefined) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // HTTP dates (IMF-fixdate, RFC 850, asctime) all start with the day name; anything else is not one.
  if (!/^[A-Za-z]{3}/.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

/** Exponential backoff with a cap: base, 2×base, 4×base … (no jitter: runs are reproducible). */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
