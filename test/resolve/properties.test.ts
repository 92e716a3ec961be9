import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttributeValues } from '../../src/model/policy.js';
import { subjectAccess } from '../../src/resolve/access.js';
import { explainJson, formatExplainJson } from '../../src/resolve/explain-json.js';
import { explainText } from '../../src/resolve/explain-text.js';
import type { ResolvedModel } from '../../src/resolve/model.js';
import { resolve } from '../../src/resolve/resolve.js';
import { buildPolicy, type PolicySpec } from '../helpers/policy-builder.js';
import { resolveYaml } from '../helpers/resolve-yaml.js';
import { ATTRIBUTES, arbitraryPolicy, toDocuments } from './fixtures/arbitrary-policy.js';

const NOW = new Date('2026-01-15T00:00:00Z');

/** Every user's `explain --format json`, as printed. */
function explainAll(model: ResolvedModel): string {
  return [...model.users.keys()]
    .map((login) => {
      const result = explainJson(model, login);
      if (!result.ok) throw new Error(result.diagnostics[0].message);
      return formatExplainJson(result.value);
    })
    .join('');
}

/** A deterministic pseudo-random sequence (mulberry32), so fast-check can shrink the seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Mapping keys in another order at every depth; sequences keep their order (it can mean something). */
function shuffleKeys(value: unknown, next: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, next));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(shuffle(Object.entries(value), next).map(([k, v]) => [k, shuffleKeys(v, next)]));
}

/**
 * The policy as 1-3 YAML files (JSON is YAML), each section's definitions spread over the
 * files, with files, definitions and keys in an order chosen by `seed`.
 */
function toFiles(spec: PolicySpec, seed: number): Array<[string, string]> {
  const next = random(seed);
  const count = 1 + Math.floor(next() * 3);
  const files: Record<string, Record<string, unknown>>[] = Array.from({ length: count }, () => ({}));
  for (const [section, definitions] of shuffle(Object.entries(toDocuments(spec)), next)) {
    const entries = Object.entries(definitions);
    if (entries.length === 0) continue;
    if (section === 'settings') {
      files[Math.floor(next() * count)].settings = shuffleKeys(definitions, next) as Record<string, unknown>;
      continue;
    }
    for (const [name, def] of shuffle(entries, next)) {
      const file = files[Math.floor(next() * count)];
      (file[section] ??= {})[name] = shuffleKeys(def, next);
    }
  }
  const named = files.filter((f) => Object.keys(f).length > 0).map((doc, i): [string, string] => [`policies/p${i}.yaml`, JSON.stringify(doc, null, 1)]);
  return shuffle(named, next);
}

const sameSet = (outer: AttributeValues, inner: AttributeValues) =>
  outer.kind === 'all' || (inner.kind === 'values' && inner.values.every((v) => outer.values.includes(v)));

describe('resolver properties', () => {
  it('gives the same result whatever the order of files, definitions and keys (and the builder agrees with YAML)', () => {
    fc.assert(
      fc.property(arbitraryPolicy(), fc.nat(), fc.nat(), (spec, seed1, seed2) => {
        const one = explainAll(resolveYaml(toFiles(spec, seed1), { now: NOW }));
        const two = explainAll(resolveYaml(toFiles(spec, seed2), { now: NOW }));
        expect(two).toBe(one);
        expect(explainAll(resolve(buildPolicy(spec).policy, { now: NOW }))).toBe(one);
      }),
      { numRuns: 60 },
    );
  });

  it('never removes access when a user joins a group (optimistic)', () => {
    fc.assert(
      fc.property(arbitraryPolicy({ defaultsNoneOnly: true }), fc.nat(), fc.nat(), (spec, userPick, groupPick) => {
        const logins = Object.keys(spec.users!);
        const login = logins[userPick % logins.length];
        const groupNames = Object.keys(spec.groups!);
        const group = groupNames[groupPick % groupNames.length];
        const own = spec.users![login];
        const joined: PolicySpec = { ...spec, users: { ...spec.users, [login]: { ...own, groups: [...(own.groups ?? []).filter((g) => g !== group), group] } } };
        const before = resolve(buildPolicy(spec).policy, { now: NOW });
        const after = resolve(buildPolicy(joined).policy, { now: NOW });
        const b = before.users.get(login)!;
        const a = after.users.get(login)!;
        for (const g of b.groups.keys()) expect(a.groups.has(g)).toBe(true);
        for (const r of b.roles.keys()) expect(a.roles.has(r)).toBe(true);
        for (const p of b.permissions) expect(a.permissions).toContain(p);
        if (b.bypassRowRules.value) expect(a.bypassRowRules.value).toBe(true);
        for (const subject of Object.keys(spec.subjects!)) {
          if (subjectAccess(before, login, subject).access) expect(subjectAccess(after, login, subject).access).toBe(true);
        }
        for (const attribute of ATTRIBUTES) {
          expect(sameSet(a.attributes.get(attribute)!.value, b.attributes.get(attribute)!.value)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("gives a user exactly their own attribute value", () => {
    fc.assert(
      fc.property(arbitraryPolicy(), (spec) => {
        const model = resolve(buildPolicy(spec).policy, { now: NOW });
        for (const [login, user] of Object.entries(spec.users!)) {
          if (user.disabled) continue;
          for (const [attribute, own] of Object.entries(user.attributes ?? {})) {
            const expected: AttributeValues = own === 'all' ? { kind: 'all' } : { kind: 'values', values: [...new Set(own)].sort() };
            expect(model.users.get(login)!.attributes.get(attribute)!.value).toEqual(expected);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives a disabled user nothing', () => {
    fc.assert(
      fc.property(arbitraryPolicy(), (spec) => {
        const login = Object.keys(spec.users!)[0];
        const disabled: PolicySpec = { ...spec, users: { ...spec.users, [login]: { ...spec.users![login], disabled: true } } };
        const model = resolve(buildPolicy(disabled).policy, { now: NOW });
        const result = explainJson(model, login);
        if (!result.ok) throw new Error('unknown user');
        const json = result.value;
        expect(json).toMatchObject({ enabled: false, groups: [], roles: [], permissions: [], bypass_row_rules: false, home: null });
        for (const values of Object.values(json.attributes)) expect(values).toEqual([]);
        for (const access of Object.values(json.subjects)) expect(access).toEqual({ access: false, filters: [] });
        expect(model.users.get(login)!.apiKeysEnabled.value).toBe(false);
        for (const members of model.groupMembers.values()) expect(members).not.toContain(login);
      }),
      { numRuns: 200 },
    );
  });

  it('does not change its input (resolution is a pure function)', () => {
    fc.assert(
      fc.property(arbitraryPolicy(), (spec) => {
        const { policy } = buildPolicy(spec);
        const before = structuredClone(policy);
        const model = resolve(policy, { now: NOW });
        explainAll(model);
        void model.groupMembers;
        expect(policy).toEqual(before);
      }),
      { numRuns: 50 },
    );
  });

  it('prints byte-identical explanations across runs', () => {
    fc.assert(
      fc.property(arbitraryPolicy(), (spec) => {
        const first = resolve(buildPolicy(spec).policy, { now: NOW });
        const second = resolve(buildPolicy(spec).policy, { now: NOW });
        expect(explainAll(second)).toBe(explainAll(first));
        for (const login of first.users.keys()) expect(explainText(second, login)).toEqual(explainText(first, login));
      }),
      { numRuns: 100 },
    );
  });
});
