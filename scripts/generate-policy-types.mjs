#!/usr/bin/env node
/**
 * Generates the TypeScript types of policy documents and of warden.yaml from the JSON Schemas
 * in schemas/, so that the two never drift: the schemas are the source of truth (ajv checks
 * input against them at run time, editors read them), and code that reads a schema-valid
 * document uses these types. test/validate/schema/generated-types.test.ts fails when the
 * committed files differ from a fresh generation.
 *
 * Usage: npm run gen:types
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Schema file -> generated module and the name of its root type. */
export const GENERATED = [
  { schema: 'schemas/policy.schema.json', output: 'src/model/generated/policy-document.ts', rootType: 'PolicyDocument' },
  { schema: 'schemas/warden-config.schema.json', output: 'src/model/generated/warden-config.ts', rootType: 'WardenConfigDocument' },
];

/** Keywords that only our own tooling reads; they are not part of any type. */
const PRIVATE_KEYWORDS = ['x-warden-messages'];

/**
 * Cross-field constraints (which keys a rule or condition may combine) are written with
 * allOf/if/then/else; TypeScript types cannot express them and json-schema-to-typescript would
 * turn them into empty intersections, so the generator leaves them out. Structure is never
 * expressed with these keywords in our schemas.
 */
const CONSTRAINT_KEYWORDS = ['allOf', 'if', 'then', 'else', 'not'];

/** Returns project-relative output path -> file content, without writing anything. */
export async function generateAll() {
  const out = new Map();
  for (const { schema, output, rootType } of GENERATED) {
    const parsed = JSON.parse(await readFile(path.join(root, schema), 'utf8'));
    const source = await compile(forTypes(parsed), rootType, {
      // One type per $defs entry, named after it (the titles are for people reading editor help).
      customName: (node, definitionKey) => (node.$id === parsed.$id ? rootType : definitionKey === undefined ? undefined : pascalCase(definitionKey)),
      bannerComment: `/* eslint-disable */\n/**\n * Generated from ${schema} by scripts/generate-policy-types.mjs (npm run gen:types).\n * Do not edit: change the schema and regenerate.\n */`,
      additionalProperties: false,
      unreachableDefinitions: false,
      strictIndexSignatures: true,
      unknownAny: true,
      format: true,
      style: { singleQuote: true, printWidth: 140 },
      cwd: path.join(root, 'schemas'),
    });
    out.set(output, source);
  }
  return out;
}

/**
 * The schema as the type generator should see it: no private or constraint keywords, and a
 * `$ref` without the description beside it (which is for editors), so that every use of a
 * definition is the one named type instead of a numbered copy.
 */
function forTypes(value) {
  if (Array.isArray(value)) return value.map(forTypes);
  if (value === null || typeof value !== 'object') return value;
  if (typeof value.$ref === 'string') return { $ref: value.$ref };
  const copy = {};
  for (const [key, item] of Object.entries(value)) {
    if (PRIVATE_KEYWORDS.includes(key) || CONSTRAINT_KEYWORDS.includes(key)) continue;
    copy[key] = forTypes(item);
  }
  return copy;
}

function pascalCase(name) {
  return name.replace(/(?:^|[_\s-])([a-z0-9])/g, (_, letter) => letter.toUpperCase()).replace(/^[a-z]/, (letter) => letter.toUpperCase());
}

async function main() {
  for (const [output, source] of await generateAll()) {
    await mkdir(path.dirname(path.join(root, output)), { recursive: true });
    await writeFile(path.join(root, output), source);
    console.log(`wrote ${output}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((caught) => {
    console.error(caught instanceof Error ? caught.message : caught);
    process.exit(1);
  });
}
