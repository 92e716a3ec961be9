import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseYamlDocuments } from '../../../src/load/parse-yaml.js';
import { createAjv, mapSchemaErrors } from '../../../src/validate/schema-check.js';

/**
 * The schemas are what editors show users: the project's own warden.yaml files (the demo
 * project, the examples, test fixtures) must be valid against them, so that an editor never
 * flags a file that warden accepts.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function findConfigs(folder: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, folder)).sort()) {
    if (name.startsWith('.') || name === 'node_modules' || name === 'dist') continue;
    const relative = folder === '.' ? name : `${folder}/${name}`;
    if (statSync(path.join(root, relative)).isDirectory()) out.push(...findConfigs(relative));
    else if (name === 'warden.yaml') out.push(relative);
  }
  return out;
}

const configs = ['.', 'examples', 'test'].flatMap((folder) => (folder === '.' ? ['warden.yaml'].filter((f) => statSync(path.join(root, f), { throwIfNoEntry: false })) : findConfigs(folder)));
const validateConfig = createAjv().compile(JSON.parse(readFileSync(path.join(root, 'schemas/warden-config.schema.json'), 'utf8')));

describe('warden.yaml files of this repository', () => {
  it('exist', () => {
    expect(configs.length).toBeGreaterThan(0);
  });

  it.each(configs)('%s is valid against schemas/warden-config.schema.json', (file) => {
    const parsed = parseYamlDocuments(file, readFileSync(path.join(root, file), 'utf8'));
    expect(parsed.diagnostics).toEqual([]);
    const [doc] = parsed.documents;
    const valid = validateConfig(doc.value);
    const problems = valid ? [] : mapSchemaErrors(doc, validateConfig.errors ?? []).map((d) => `${d.loc.line}:${d.loc.column} ${d.message}`);
    expect(problems).toEqual([]);
  });
});
