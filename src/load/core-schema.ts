/**
 * YAML 1.2 core-schema resolution of scalars, done here rather than by js-yaml's constructor
 * because we build values ourselves from parser events (to keep every node's position).
 * Dates stay strings: the core schema has no timestamp type, so `2027-06-30` is text and
 * attribute typing decides what it means.
 */

export type ScalarValue = null | boolean | number | string;

const NULL = /^(?:~|null|Null|NULL)?$/;
const TRUE = /^(?:true|True|TRUE)$/;
const FALSE = /^(?:false|False|FALSE)$/;
const DECIMAL = /^[-+]?[0-9]+$/;
const OCTAL = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const INFINITY = /^[-+]?\.(?:inf|Inf|INF)$/;
const NAN = /^\.(?:nan|NaN|NAN)$/;

/** Resolves an untagged plain scalar. */
export function resolvePlainScalar(text: string): ScalarValue {
  const first = text.length === 0 ? '' : text[0];
  // Fast path: most scalars in policy files are names, which start with a letter other than n/t/f/N/T/F.
  if (first !== '' && !'~nNtTfF-+.0123456789'.includes(first)) return text;
  if (NULL.test(text)) return null;
  if (TRUE.test(text)) return true;
  if (FALSE.test(text)) return false;
  if (DECIMAL.test(text)) return Number.parseInt(text, 10);
  if (OCTAL.test(text)) return Number.parseInt(text.slice(2), 8);
  if (HEX.test(text)) return Number.parseInt(text.slice(2), 16);
  if (FLOAT.test(text)) return Number.parseFloat(text);
  if (INFINITY.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (NAN.test(text)) return Number.NaN;
  return text;
}

/** The core-schema tags we accept on scalars, and how each constructs its value. */
export type ExplicitTagResult = { ok: true; value: ScalarValue } | { ok: false; reason: string };

const TAG_ALIASES: Record<string, string> = {
  '!!str': 'str',
  '!!int': 'int',
  '!!float': 'float',
  '!!bool': 'bool',
  '!!null': 'null',
  '!<tag:yaml.org,2002:str>': 'str',
  '!<tag:yaml.org,2002:int>': 'int',
  '!<tag:yaml.org,2002:float>': 'float',
  '!<tag:yaml.org,2002:bool>': 'bool',
  '!<tag:yaml.org,2002:null>': 'null',
  // The non-specific tag: "treat as a string".
  '!': 'str',
};

export const COLLECTION_TAGS: Record<string, 'map' | 'seq'> = {
  '!!map': 'map',
  '!!seq': 'seq',
  '!<tag:yaml.org,2002:map>': 'map',
  '!<tag:yaml.org,2002:seq>': 'seq',
};

export function resolveTaggedScalar(tag: string, text: string): ExplicitTagResult {
  const kind = TAG_ALIASES[tag];
  if (kind === undefined) return { ok: false, reason: `unknown tag ${tag}` };
  if (kind === 'str') return { ok: true, value: text };
  const value = resolvePlainScalar(text);
  if (kind === 'null' && value === null) return { ok: true, value };
  if (kind === 'bool' && typeof value === 'boolean') return { ok: true, value };
  if (kind === 'int' && typeof value === 'number' && Number.isInteger(value)) return { ok: true, value };
  if (kind === 'float' && typeof value === 'number') return { ok: true, value };
  return { ok: false, reason: `${JSON.stringify(text)} is not a valid ${tag}` };
}
