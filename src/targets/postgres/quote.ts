import type { AttributeType, Scalar } from '../../model/policy.js';

/**
 * PostgreSQL quoting, the only place where input becomes SQL text.
 *
 * Identifiers are always double-quoted with embedded `"` doubled, so case and every character
 * survive and no name can end the identifier early. Literals are standard-conforming strings
 * (`'…'` with `'` doubled; a backslash is an ordinary character, so `E''` is never needed).
 * NUL cannot be stored in PostgreSQL text at all: it is refused instead of silently truncated.
 */

export class SqlQuoteError extends Error {}

function refuseNul(text: string, what: string): void {
  if (text.includes('\u0000')) throw new SqlQuoteError(`${what} contains a NUL character, which PostgreSQL cannot store`);
}

export function quoteIdent(name: string): string {
  refuseNul(name, 'identifier');
  if (name.length === 0) throw new SqlQuoteError('an identifier cannot be empty');
  return `"${name.replaceAll('"', '""')}"`;
}

/** `schema.name` with both parts quoted. */
export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

export function quoteLiteral(text: string): string {
  refuseNul(text, 'literal');
  return `'${text.replaceAll("'", "''")}'`;
}

/** The SQL type an attribute type is stored and compared as. */
export function sqlType(type: AttributeType): string {
  switch (type) {
    case 'string':
      return 'text';
    case 'integer':
      return 'bigint';
    case 'number':
      return 'numeric';
    case 'date':
      return 'date';
    case 'boolean':
      return 'boolean';
  }
}

/** A typed literal: `'…'::type`, so comparisons are typed (integer with integer, date with date). */
export function typedLiteral(value: Scalar, type: AttributeType): string {
  return `${quoteLiteral(scalarText(value, type))}::${sqlType(type)}`;
}

/** A typed array literal `'{…}'::type[]` built from quoted elements. */
export function typedArrayLiteral(values: readonly Scalar[], type: AttributeType): string {
  return `${quoteLiteral(arrayText(values, type))}::${sqlType(type)}[]`;
}

/** The text form of a value as PostgreSQL's input function for the type reads it. */
export function scalarText(value: Scalar, type: AttributeType): string {
  switch (type) {
    case 'boolean':
      return value === true || value === 'true' ? 'true' : 'false';
    case 'integer':
    case 'number':
      if (typeof value === 'number' && !Number.isFinite(value)) throw new SqlQuoteError(`${value} is not a finite number`);
      return String(value);
    default:
      return String(value);
  }
}

/**
 * The text of an array value (`{"a","b"}`) as array_in reads it: every element double-quoted
 * with `"` and `\` backslash-escaped, so commas, braces, spaces and the word NULL stay data.
 */
export function arrayText(values: readonly Scalar[], type: AttributeType): string {
  const items = values.map((v) => {
    const text = scalarText(v, type);
    refuseNul(text, 'array element');
    return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}
