import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { directGroupNames } from '../../src/targets/http/direct-groups.js';
import { desiredHolistics } from '../../src/targets/holistics/desired.js';
import { holisticsValue } from '../../src/targets/holistics/entries.js';
import { loadProject } from './helpers.js';

/**
 * For random group hierarchies, group values, users' own values and attribute defaults, the
 * entries warden writes make Holistics (own manual/all, else the union of the user's groups)
 * compute exactly the values the resolver gives (SPEC section 4).
 */
const VALUES = ['a', 'b', 'c', 'd'];
const value = fc.oneof(fc.constant<'all'>('all'), fc.subarray(VALUES));
const yamlValue = (v: 'all' | string[]) => (v === 'all' ? 'all' : `[${v.join(', ')}]`);

const policy = fc.record({
  groups: fc.array(fc.record({ parents: fc.subarray([0, 1, 2, 3, 4]), value: fc.option(value, { nil: undefined }) }), { minLength: 1, maxLength: 5 }),
  users: fc.array(fc.record({ groups: fc.subarray([0, 1, 2, 3, 4]), own: fc.option(value, { nil: undefined }), disabled: fc.boolean() }), { minLength: 1, maxLength: 5 }),
  fallback: fc.option(value, { nil: undefined }),
});

describe('holistics entries (property)', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'warden-holistics-property-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reproduce the resolved attribute values', () => {
    let run = 0;
    fc.assert(
      fc.property(policy, (p) => {
        const dir = path.join(root, String(run++));
        mkdirSync(path.join(dir, 'policies'), { recursive: true });
        writeFileSync(path.join(dir, 'warden.yaml'), 'version: 1\ntargets:\n  holistics: { type: holistics }\n');
        const lines = ['attributes:', `  region: { type: string${p.fallback === undefined ? '' : `, default: ${yamlValue(p.fallback)}`} }`, 'groups:'];
        p.groups.forEach((g, i) => {
          // Parents only among earlier groups: no cycles.
          const parents = g.parents.filter((x) => x < i).map((x) => `g${x}`);
          lines.push(`  g${i}:`, `    inherits: [${parents.join(', ')}]`);
          if (g.value !== undefined) lines.push(`    attributes: { region: ${yamlValue(g.value)} }`);
        });
        lines.push('users:');
        p.users.forEach((u, i) => {
          const groups = u.groups.filter((x) => x < p.groups.length).map((x) => `g${x}`);
          lines.push(`  u${i}@x.example:`, `    groups: [${groups.join(', ')}]`, `    disabled: ${u.disabled}`);
          if (u.own !== undefined) lines.push(`    attributes: { region: ${yamlValue(u.own)} }`);
        });
        writeFileSync(path.join(dir, 'policies', 'all.yaml'), `${lines.join('\n')}\n`);
        const { model } = loadProject(dir);
        const entries = desiredHolistics(model).entries;
        for (const user of model.users.values()) {
          if (!user.enabled) continue;
          const resolved = user.attributes.get('region')!.value;
          const expected = resolved.kind === 'all' ? 'all' : resolved.values.map(String).sort();
          expect(holisticsValue(entries, user.login, directGroupNames(user), 'region')).toEqual(expected);
        }
      }),
      { numRuns: 60, seed: 20261123 },
    );
  });
});
