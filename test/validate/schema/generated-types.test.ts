import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED, generateAll } from '../../../scripts/generate-policy-types.mjs';

/**
 * The TypeScript types of policy documents and warden.yaml are generated from the JSON Schemas;
 * a schema change without `npm run gen:types` fails here.
 */
describe('generated types', () => {
  it('are what the schemas generate today', async () => {
    const fresh = await generateAll();
    expect([...fresh.keys()].sort()).toEqual(GENERATED.map((g) => g.output).sort());
    for (const [output, source] of fresh) {
      const committed = readFileSync(new URL(`../../../${output}`, import.meta.url), 'utf8');
      expect(committed, `${output} is stale: run npm run gen:types`).toBe(source);
    }
  });
});
