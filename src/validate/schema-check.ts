import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { error, type Diagnostic, type Loc } from '../diagnostics/diagnostic.js';
import { locate, locateKey, parseInstancePath } from '../load/locate.js';
import type { LoadedDocument, ValuePath, YamlValue } from '../load/types.js';
import { suggestionHint, suggestionList } from '../util/did-you-mean.js';
import { isIsoDate } from './merge-values.js';

/**
 * Checks each loaded policy document against `schemas/policy.schema.json` and turns ajv's
 * errors into diagnostics at the exact node: unknown keys at the key, with a "did you mean";
 * wrong types at the value; bad names at the name. ajv reports every failing branch of a
 * union and a summary for each `if`; those are collapsed so that one real problem gives one
 * diagnostic.
 *
 * The schema may attach `x-warden-messages: { <keyword>: "<message>" }` to any subschema to
 * give the message for that keyword's failure there (`{key}` is replaced by the offending key).
 */

export const POLICY_SCHEMA_URL = new URL('../../schemas/policy.schema.json', import.meta.url);

/** The pattern of attribute, subject, role, group, rule and API-key names (SPEC section 3). */
export const NAME_PATTERN = '^[a-z][a-z0-9_-]*$';

type JsonSchema = { [key: string]: unknown };

let compiled: ValidateFunction | undefined;

/** Compiles the policy schema once per process; strict so that a schema typo fails loudly. */
export function policyValidator(): ValidateFunction {
  if (compiled === undefined) {
    const schema = JSON.parse(readFileSync(POLICY_SCHEMA_URL, 'utf8')) as JsonSchema;
    compiled = createAjv().compile(schema);
  }
  return compiled;
}

export function createAjv(): Ajv2020 {
  // verbose: errors carry their parentSchema, where x-warden-messages and allowed keys are read.
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  ajv.addKeyword({ keyword: 'x-warden-messages', schemaType: 'object' });
  ajv.addFormat('date', { type: 'string', validate: isIsoDate });
  ajv.addFormat('email', { type: 'string', validate: (text: string) => EMAIL.test(text) });
  return ajv;
}

/** A pragmatic address check (what HTML forms accept), not RFC 5322. */
const EMAIL = /^[^\s@\u0000-\u001f]+@[^\s@.\u0000-\u001f]+(?:\.[^\s@.\u0000-\u001f]+)+$/;

/** Schema diagnostics of every document, in document order. */
export function checkDocumentsSchema(documents: readonly LoadedDocument[]): Diagnostic[] {
  return documents.flatMap((doc) => checkDocumentSchema(doc));
}

export function checkDocumentSchema(doc: LoadedDocument): Diagnostic[] {
  const validate = policyValidator();
  if (validate(doc.value)) return [];
  return mapSchemaErrors(doc, validate.errors ?? []);
}

/** Turns one document's ajv errors into deduplicated diagnostics (for any schema that follows these conventions). */
export function mapSchemaErrors(doc: LoadedDocument, errors: readonly ErrorObject[]): Diagnostic[] {
  const kept = collapse(errors);
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const err of kept) {
    const diagnostic = toDiagnostic(doc, err);
    const id = `${diagnostic.code}|${diagnostic.loc.line}:${diagnostic.loc.column}|${diagnostic.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}

/** Keywords with which a union branch says "this value is not my kind of thing at all". */
const SHAPE_MISMATCH = new Set(['type', 'const', 'enum']);

/**
 * Drops ajv's noise: `if` summaries (the branch's own errors are reported), errors inside a
 * property name (the propertyNames error is), union branches that do not fit the value's
 * shape, and a "missing key" that an unknown key next to it is a misspelling of.
 */
function collapse(errors: readonly ErrorObject[]): ErrorObject[] {
  const dropped = new Set<number>();
  // Outer unions come after their branches' errors; deciding them first lets an outer union
  // silence the inner ones it replaces.
  for (let i = errors.length - 1; i >= 0; i--) {
    const err = errors[i];
    if (dropped.has(i) || (err.keyword !== 'anyOf' && err.keyword !== 'oneOf')) continue;
    const path = err.instancePath;
    const branch: number[] = [];
    for (let j = i - 1; j >= 0 && within(errors[j].instancePath, path); j--) branch.push(j);
    // `oneOf` that failed because several branches matched has no branch errors to show.
    const specific = new Set(branch.filter((j) => !(errors[j].instancePath === path && SHAPE_MISMATCH.has(errors[j].keyword))));
    if (specific.size > 0 && err.keyword === 'anyOf') {
      // Some branch fits the value's shape and fails inside: its errors say what is wrong.
      dropped.add(i);
      for (const j of branch) if (!specific.has(j)) dropped.add(j);
    } else {
      for (const j of branch) dropped.add(j);
    }
  }
  const kept = errors.filter((err, i) => !dropped.has(i) && err.keyword !== 'if' && err.propertyName === undefined);
  return dropRequiredExplainedElsewhere(dropMisspeltRequired(kept));
}

/**
 * A branch that both requires a key and forbids another (last/next: `modifier` required,
 * `values` forbidden) reports one problem twice; the forbidden key's message names the
 * required one, so only it is kept.
 */
function dropRequiredExplainedElsewhere(errors: ErrorObject[]): ErrorObject[] {
  // A forbidden key's error sits at `<object>/<key>` with schema path `<branch>properties/<key>/not`.
  const explained = new Set<string>();
  for (const err of errors) {
    const at = err.schemaPath.lastIndexOf('/properties/');
    if (err.keyword !== 'not' || at === -1) continue;
    explained.add(`${err.instancePath.slice(0, err.instancePath.lastIndexOf('/'))}|${err.schemaPath.slice(0, at + 1)}`);
  }
  return errors.filter((err) => err.keyword !== 'required' || !explained.has(`${err.instancePath}|${err.schemaPath.slice(0, -'required'.length)}`));
}

function within(instancePath: string, path: string): boolean {
  return instancePath === path || instancePath.startsWith(`${path}/`);
}

function dropMisspeltRequired(errors: ErrorObject[]): ErrorObject[] {
  const suggested = new Set<string>();
  for (const err of errors) {
    if (err.keyword !== 'additionalProperties') continue;
    const closest = suggestionList(String(err.params.additionalProperty), allowedKeys(err))[0];
    if (closest !== undefined) suggested.add(`${err.instancePath}|${closest}`);
  }
  return errors.filter((err) => !(err.keyword === 'required' && suggested.has(`${err.instancePath}|${String(err.params.missingProperty)}`)));
}

function allowedKeys(err: ErrorObject): string[] {
  const properties = (err.parentSchema as JsonSchema | undefined)?.properties;
  return properties !== null && typeof properties === 'object' ? Object.keys(properties).sort() : [];
}

function customMessage(err: ErrorObject, key: string): string | undefined {
  const messages = (err.parentSchema as JsonSchema | undefined)?.['x-warden-messages'] as Record<string, string> | undefined;
  const message = messages?.[err.keyword];
  return message === undefined ? undefined : message.replace(/\{key\}/g, key);
}

function toDiagnostic(doc: LoadedDocument, err: ErrorObject): Diagnostic {
  const path: ValuePath = parseInstancePath(err.instancePath);
  const where = describePath(path);
  const last = path.length > 0 ? String(path[path.length - 1]) : '';
  const custom = customMessage(err, last);
  const value = err.data as YamlValue;
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String(err.params.additionalProperty);
      const allowed = allowedKeys(err);
      const hint = suggestionHint(key, allowed, 20);
      const message = path.length === 0 ? `unknown section "${key}"` : `unknown key "${key}" in ${where}`;
      return error('E-UNKNOWN-KEY', message, locateKey(doc, [...path, key]), hint === undefined ? {} : { hint });
    }
    case 'propertyNames':
      return invalidName(doc, path, String(err.params.propertyName));
    case 'required': {
      const missing = String(err.params.missingProperty);
      const message = custom === undefined ? `${where} is missing the required key "${missing}"` : `${where}: ${custom}`;
      return error('E-MISSING-KEY', message, keyLoc(doc, path));
    }
    case 'type':
    case 'anyOf':
    case 'oneOf': {
      const expected = custom ?? `expected ${describeTypes(err)}`;
      return error('E-SCHEMA-TYPE', `${where}: ${expected}, found ${describeValue(value)}`, locate(doc, path));
    }
    case 'enum':
    case 'const': {
      const allowed = (err.keyword === 'enum' ? (err.params.allowedValues as unknown[]) : [err.params.allowedValue]).map(String);
      const hint = typeof value === 'string' ? suggestionHint(value, allowed, 20) : `expected one of: ${allowed.join(', ')}`;
      return error('E-INVALID-VALUE', `${where}: ${describeValue(value)} is not allowed`, locate(doc, path), hint === undefined ? {} : { hint });
    }
    case 'pattern':
      if (err.params.pattern === NAME_PATTERN) return invalidName(doc, path.slice(0, -1), String(value), locate(doc, path));
      return error('E-INVALID-VALUE', `${where}: ${custom ?? describePatternFailure(err)}`, locate(doc, path));
    case 'format':
      return error('E-INVALID-VALUE', `${where}: ${describeValue(value)} is not ${FORMAT_NAMES[String(err.params.format)] ?? `a valid ${String(err.params.format)}`}`, locate(doc, path));
    case 'uniqueItems': {
      const later = Number(err.params.i);
      const first = Number(err.params.j);
      const item = Array.isArray(value) ? value[later] : undefined;
      return error('E-DUPLICATE-ITEM', `${where}: ${describeValue(item ?? null)} is listed twice`, locate(doc, [...path, later]), {
        related: [{ message: 'first listed here', loc: locate(doc, [...path, first]) }],
      });
    }
    case 'not':
      return error('E-CONFLICTING-KEYS', `${describePath(path.slice(0, -1))}: ${custom ?? `"${last}" is not allowed here`}`, locateKey(doc, path));
    default:
      return error('E-INVALID-VALUE', `${where}: ${custom ?? describeLimit(err)}`, err.keyword.endsWith('Properties') ? keyLoc(doc, path) : locate(doc, path));
  }
}

function invalidName(doc: LoadedDocument, parent: ValuePath, name: string, at?: Loc): Diagnostic {
  const loc = at ?? locateKey(doc, [...parent, name]);
  if (name.startsWith('user.')) {
    return error('E-SYSTEM-ATTRIBUTE', `"${name}" is a system attribute: derived from the user and read-only, so it cannot be defined or assigned`, loc, {
      hint: 'user.login, user.email and user.name come from the user entry itself (its key, `email` and `name`)',
    });
  }
  const kind = parent.length === 0 ? 'name' : `name in ${describePath(parent)}`;
  return error('E-INVALID-NAME', `invalid ${kind}: "${name}"`, loc, {
    hint: 'names start with a lower-case letter and contain only lower-case letters, digits, "_" and "-"',
  });
}

/** Where a missing key belongs: the key that names the object, else the object itself. */
function keyLoc(doc: LoadedDocument, path: ValuePath): Loc {
  return path.length === 0 ? doc.loc : locateKey(doc, path);
}

const FORMAT_NAMES: Record<string, string> = { date: 'a date written YYYY-MM-DD', email: 'an e-mail address' };

/** `groups.apac.home`, with segments that are not plain names quoted: `users["ceo@acme.com"]`. */
export function describePath(path: ValuePath): string {
  if (path.length === 0) return 'the document';
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number' || /^\d+$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true/false',
  null: 'nothing',
};

function describeTypes(err: ErrorObject): string {
  const type = err.params.type;
  const types = Array.isArray(type) ? type.map(String) : typeof type === 'string' ? type.split(',') : [];
  if (types.length === 0) return 'a different kind of value';
  const names = types.map((t) => TYPE_NAMES[t] ?? t);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

export function describeValue(value: YamlValue | undefined): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return value.length > 40 ? `"${value.slice(0, 37)}..."` : JSON.stringify(value);
  return String(value);
}

function describePatternFailure(err: ErrorObject): string {
  const value = typeof err.data === 'string' ? err.data : '';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) return `${describeValue(value)} contains a control character`;
  const description = (err.parentSchema as JsonSchema | undefined)?.description;
  return `${describeValue(value)} is not valid${typeof description === 'string' ? ` (${description})` : ''}`;
}

function describeLimit(err: ErrorObject): string {
  const limit = err.params.limit;
  switch (err.keyword) {
    case 'minLength':
      return 'must not be empty';
    case 'maxLength':
      return `must be at most ${String(limit)} characters long`;
    case 'minItems':
      return `needs at least ${String(limit)} item${limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `takes at most ${String(limit)} items`;
    case 'minProperties':
      return `needs at least ${String(limit)} key${limit === 1 ? '' : 's'}`;
    case 'maxProperties':
      return `takes at most ${String(limit)} key${limit === 1 ? '' : 's'}`;
    case 'minimum':
      return `must be at least ${String(limit)}`;
    case 'maximum':
      return `must be at most ${String(limit)}`;
    default:
      return err.message ?? 'is not valid';
  }
}
