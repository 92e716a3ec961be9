/**
 * The MAQL of GoodData data permissions (user data filters), built from parts that are each
 * quoted or validated, never from raw text. Only the forms GoodData accepts in a data
 * permission are produced: `=`, `<>`, `IN`, `NOT IN`, `AND` and the deny-all `1 <> 1` (no OR).
 *
 * Two dialects: GoodData Cloud refers to labels by id (`{label/country}`) and compares with
 * quoted label values (`"Vietnam"`); the legacy platform refers to attributes and their elements
 * by URI in square brackets (`[/gdc/md/p/obj/1049]`, `[/gdc/md/p/obj/1049/elements?id=3]`).
 */

/** One side of a comparison, already in MAQL form. */
export interface MaqlOperand {
  readonly text: string;
}

export class MaqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MaqlError';
  }
}

/** GoodData Cloud object ids: the pattern of the metadata API (`^(?!\.)[.A-Za-z0-9_-]{1,255}$`). */
const CLOUD_ID = /^(?!\.)[.A-Za-z0-9_-]{1,255}$/;
/** Legacy metadata URIs: `/gdc/md/<project>/obj/<number>`. */
const LEGACY_OBJECT_URI = /^\/gdc\/md\/[A-Za-z0-9]+\/obj\/\d+$/;
/** Legacy element URIs: `/gdc/md/<project>/obj/<number>/elements?id=<number>`. */
const LEGACY_ELEMENT_URI = /^\/gdc\/md\/[A-Za-z0-9]+\/obj\/\d+\/elements\?id=\d+$/;

export function isCloudId(id: string): boolean {
  return CLOUD_ID.test(id);
}

export function isLegacyObjectUri(uri: string): boolean {
  return LEGACY_OBJECT_URI.test(uri);
}

export function isLegacyElementUri(uri: string): boolean {
  return LEGACY_ELEMENT_URI.test(uri);
}

/** `{label/<id>}`; the id must be a valid GoodData Cloud id, so no character can close the braces. */
export function labelRef(id: string): MaqlOperand {
  if (!CLOUD_ID.test(id)) throw new MaqlError(`"${id}" is not a GoodData label id (letters, digits, ".", "_", "-"; at most 255; not starting with ".")`);
  return { text: `{label/${id}}` };
}

/** `[<uri>]` for a legacy attribute. */
export function attributeRef(uri: string): MaqlOperand {
  if (!LEGACY_OBJECT_URI.test(uri)) throw new MaqlError(`"${uri}" is not a GoodData attribute URI (/gdc/md/<project>/obj/<id>)`);
  return { text: `[${uri}]` };
}

/** `[<uri>]` for a legacy attribute element. */
export function elementRef(uri: string): MaqlOperand {
  if (!LEGACY_ELEMENT_URI.test(uri)) throw new MaqlError(`"${uri}" is not a GoodData element URI (/gdc/md/<project>/obj/<id>/elements?id=<n>)`);
  return { text: `[${uri}]` };
}

/**
 * A MAQL string literal: double quotes, with `\` and `"` escaped by a backslash. Control
 * characters have no escape in MAQL, so a value holding one is refused rather than mangled.
 */
export function stringLiteral(value: string): MaqlOperand {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new MaqlError(`the value ${JSON.stringify(value)} holds a control character, which MAQL cannot quote`);
  return { text: `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"` };
}

export type MaqlComparison = 'eq' | 'ne' | 'in' | 'not_in';

/** One condition. `in`/`not_in` with an empty list is refused: the caller decides what "none" means. */
export function comparison(left: MaqlOperand, operator: MaqlComparison, right: readonly MaqlOperand[]): string {
  if (right.length === 0) throw new MaqlError('a comparison needs at least one value');
  switch (operator) {
    case 'eq':
    case 'ne':
      if (right.length !== 1) throw new MaqlError(`${operator === 'eq' ? '=' : '<>'} takes exactly one value`);
      return `${left.text} ${operator === 'eq' ? '=' : '<>'} ${right[0].text}`;
    case 'in':
      return `${left.text} IN (${right.map((r) => r.text).join(', ')})`;
    case 'not_in':
      return `${left.text} NOT IN (${right.map((r) => r.text).join(', ')})`;
  }
}

/** The expression that no row satisfies. */
export const DENY_ALL = '1 <> 1';

/**
 * AND of conditions; `null` when there is none (the user is unrestricted: no filter at all).
 * Each condition is parenthesised when there are several, as the seed's examples do.
 */
export function conjunction(conditions: readonly string[]): string | null {
  if (conditions.length === 0) return null;
  if (conditions.length === 1) return conditions[0];
  return conditions.map((c) => `(${c})`).join(' AND ');
}

/** Length limits of one filter expression, in characters. */
export const MAQL_LIMIT = { cloud: 10_000, legacy: 200_000 } as const;
