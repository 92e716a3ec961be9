import type { AttributeType, AttributeValues, Scalar } from '../model/policy.js';

/**
 * Typed value helpers shared by attribute resolution and row filters. Output must be
 * deterministic, so every list of values leaves here de-duplicated and in one canonical order:
 * numbers numerically, strings and ISO dates by UTF-16 code unit (not locale), false before true.
 */

const TYPE_RANK: Record<string, number> = { boolean: 0, number: 1, string: 2 };

export function compareScalars(a: Scalar, b: Scalar): number {
  const ta = typeof a;
  const tb = typeof b;
  if (ta !== tb) return TYPE_RANK[ta] - TYPE_RANK[tb];
  if (ta === 'number') return (a as number) - (b as number);
  if (ta === 'boolean') return Number(a) - Number(b);
  return compareText(a as string, b as string);
}

/** Code-unit order, the same in every locale and runtime. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** De-duplicated (by type and value) and sorted. Returns a new array. */
export function sortedUnique(values: Iterable<Scalar>): Scalar[] {
  const seen = new Set<string>();
  const out: Scalar[] = [];
  for (const value of values) {
    const key = `${typeof value}:${String(value)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out.sort(compareScalars);
}

/**
 * Converts a value as written in a policy file to the declared type, or `undefined` when it
 * cannot be one (validation reports those; the resolver only ever sees valid policy sets).
 * Dates are kept as ISO `YYYY-MM-DD` strings so that they sort and compare as text.
 */
export function toTyped(raw: unknown, type: AttributeType): Scalar | undefined {
  switch (type) {
    case 'integer':
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) return undefined;
      return type === 'integer' && !Number.isInteger(n) ? undefined : n;
    }
    case 'boolean':
      return typeof raw === 'boolean' ? raw : undefined;
    case 'date':
      if (raw instanceof Date) return raw.toISOString().slice(0, 10);
      return typeof raw === 'string' ? raw : undefined;
    case 'string':
      return typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
  }
}

/** Types, de-duplicates and sorts an attribute value set; `all` stays `all`. */
export function normalizeValues(values: AttributeValues, type: AttributeType): AttributeValues {
  if (values.kind === 'all') return ALL;
  const typed: Scalar[] = [];
  for (const value of values.values) {
    const t = toTyped(value, type);
    if (t !== undefined) typed.push(t);
  }
  return { kind: 'values', values: sortedUnique(typed) };
}

/** Shared immutable `all` and `none` values: 100,000 users must not each allocate their own. */
export const ALL: AttributeValues = Object.freeze({ kind: 'all' }) as AttributeValues;
export const NONE: AttributeValues = Object.freeze({ kind: 'values', values: Object.freeze([]) as unknown as Scalar[] }) as AttributeValues;
