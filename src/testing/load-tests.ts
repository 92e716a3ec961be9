import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { locate } from '../load/locate.js';
import { discoverFiles, readPolicyText } from '../load/load-files.js';
import { parseYamlDocuments } from '../load/parse-yaml.js';
import type { LoadedDocument } from '../load/types.js';
import { createAjv, mapSchemaErrors } from '../validate/schema-check.js';
import type { AccessTest, AccessTestFile } from './types.js';

/**
 * Reads the access-test files (the project's `tests` folders), checks each document against
 * `schemas/access-tests.schema.json` with diagnostics at the offending node, and returns the
 * tests with their positions. A file with errors contributes no tests.
 */

export const ACCESS_TESTS_SCHEMA_URL = new URL('../../schemas/access-tests.schema.json', import.meta.url);

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= createAjv().compile(JSON.parse(readFileSync(ACCESS_TESTS_SCHEMA_URL, 'utf8')));
  return compiled;
}

export function loadAccessTests(root: string, folders: readonly string[]): { files: AccessTestFile[]; diagnostics: Diagnostic[]; sources: Map<string, string> } {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const files: AccessTestFile[] = [];
  // A project without a tests folder simply has no tests (the folder is optional, SPEC 2).
  const present = folders.filter((f) => /[*?[]/.test(f) || existsSync(path.join(root, f)));
  for (const file of discoverFiles(root, present, diagnostics)) {
    const text = readPolicyText(root, file, diagnostics);
    if (text === null) continue;
    sources.set(file, text);
    const parsed = parseYamlDocuments(file, text);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.diagnostics.some((d) => d.severity === 'error')) continue;
    for (const doc of parsed.documents) {
      if (doc.value === null) continue;
      const read = readDocument(doc);
      diagnostics.push(...read.diagnostics);
      if (read.file) files.push(read.file);
    }
  }
  return { files, diagnostics, sources };
}

export function readDocument(doc: LoadedDocument): { file?: AccessTestFile; diagnostics: Diagnostic[] } {
  const validate = validator();
  if (!validate(doc.value)) return { diagnostics: mapSchemaErrors(doc, validate.errors ?? []) };
  const value = doc.value as { fixtures?: string[]; tests: Omit<AccessTest, 'file' | 'loc'>[] };
  const diagnostics: Diagnostic[] = [];
  const fixtures = (value.fixtures ?? []).map((path, i) => ({ path, loc: locate(doc, ['fixtures', i]) }));
  for (const fixture of fixtures) {
    if (fixture.path.startsWith('/') || fixture.path.split('/').includes('..')) {
      diagnostics.push(error('E-TEST-FIXTURE', `fixture "${fixture.path}" must be a path inside the project`, fixture.loc));
    }
  }
  const tests = value.tests.map((t, i) => ({ ...t, file: doc.file, loc: locate(doc, ['tests', i]) }));
  return { file: diagnostics.length > 0 ? undefined : { file: doc.file, fixtures, tests }, diagnostics };
}
