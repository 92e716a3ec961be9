import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAjv } from '../../../src/validate/schema-check.js';

/**
 * The schemas are read by editors as well as by ajv: every property must explain itself, and
 * both must compile under ajv's strict mode (which refuses unknown keywords and loose types).
 */

type Schema = { [key: string]: unknown };

const FILES = ['policy.schema.json', 'warden-config.schema.json'];

function load(file: string): Schema {
  return JSON.parse(readFileSync(new URL(`../../../schemas/${file}`, import.meta.url), 'utf8')) as Schema;
}

/** Every property schema, with its JSON path, found anywhere in the schema. */
function properties(schema: unknown, path = '#'): Array<{ path: string; schema: Schema | boolean }> {
  if (schema === null || typeof schema !== 'object') return [];
  const out: Array<{ path: string; schema: Schema | boolean }> = [];
  for (const [key, value] of Object.entries(schema as Schema)) {
    if (key === 'properties' && value !== null && typeof value === 'object') {
      for (const [name, property] of Object.entries(value as Schema)) out.push({ path: `${path}/properties/${name}`, schema: property as Schema | boolean });
    }
    out.push(...properties(value, `${path}/${key}`));
  }
  return out;
}

function resolveRef(root: Schema, ref: string): Schema {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<Schema>((node, segment) => node[segment] as Schema, root);
}

describe.each(FILES)('%s', (file) => {
  const schema = load(file);

  it('is draft 2020-12 with an $id, and compiles in strict mode', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toMatch(/^https:\/\/.+\.json$/);
    expect(() => createAjv().compile(schema)).not.toThrow();
  });

  it('describes every property (directly or through its definition) for editor help', () => {
    const undocumented = properties(schema)
      // if/then/else only constrain how keys combine; the properties themselves are documented where they are defined.
      .filter(({ path }) => !/\/(?:if|then|else)\//.test(path))
      .filter(({ schema: property }) => {
        const node = property as Schema;
        if (typeof node.description === 'string') return false;
        return !(typeof node.$ref === 'string' && typeof resolveRef(schema, node.$ref).description === 'string');
      })
      .map(({ path }) => path);
    expect(undocumented).toEqual([]);
  });
});

describe('warden-config.schema.json', () => {
  const validate = createAjv().compile(load('warden-config.schema.json'));

  it('accepts the warden.yaml of SPEC section 2', () => {
    const config = {
      version: 1,
      policies: ['policies'],
      tests: ['tests'],
      targets: {
        warehouse: { type: 'postgres', url: '${DATABASE_URL}', schema: 'warden', principal: 'session', grant_to: ['app'] },
        gooddata: { type: 'gooddata', endpoint: '${GOODDATA_ENDPOINT}', token: '${GOODDATA_TOKEN}', project: 'abc123' },
      },
    };
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it('refuses a secret written into the file, an unknown target type and a missing version', () => {
    expect(validate({ version: 1, targets: { g: { type: 'gooddata', token: 'abc' } } })).toBe(false);
    expect(validate({ version: 1, targets: { g: { type: 'snowflake' } } })).toBe(false);
    expect(validate({ policies: ['policies'] })).toBe(false);
  });
});
