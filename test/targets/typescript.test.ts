import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { subjectAccess } from '../../src/resolve/access.js';
import type { ResolvedModel } from '../../src/resolve/model.js';
import { generateAccessModule, typescriptTarget } from '../../src/targets/typescript/index.js';
import { compileWith, loadModel, projects, repo, targetConfig } from './compile-target.js';

/**
 * The generated module type-checks under the strictest options an application might use, its
 * union types reject names the project does not have, and, executed, it returns exactly the
 * resolved model's access (so the embedded data cannot drift from `explain`).
 */

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  noUnusedParameters: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts'],
  types: [],
  noEmit: true,
};

/** Type-checks in-memory files (lib files come from the installed TypeScript). */
function typeCheck(files: Record<string, string>): string[] {
  const host = ts.createCompilerHost(OPTIONS, true);
  const inMemory = (name: string): string | undefined => (name.startsWith('/virtual/') ? files[name.slice('/virtual/'.length)] : undefined);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError) => {
    const text = inMemory(name);
    return text !== undefined ? ts.createSourceFile(name, text, language, true) : getSourceFile(name, language, onError);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => inMemory(name) !== undefined || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => inMemory(name) ?? readFile(name);
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (name) => name === '/virtual' || (directoryExists?.(name) ?? false);
  host.writeFile = () => undefined;
  const program = ts.createProgram(Object.keys(files).map((f) => `/virtual/${f}`), OPTIONS, host);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

/** A consumer of the module: uses every export, and names that must NOT type-check. */
function consumer(model: ResolvedModel): string {
  const group = [...model.policy.groups.keys()].sort()[0];
  const login = [...model.users.keys()][0];
  return [
    "import { accessOf, holisticsDecision, holisticsPayload, USERS, type GroupName, type RoleName, type SubjectName, type AttributeName, type UserAccess } from './warden-access';",
    `const group: GroupName = ${JSON.stringify(group)};`,
    "const role: RoleName = 'user';",
    '// @ts-expect-error: not a group of the project',
    "const badGroup: GroupName = 'no-such-group-x';",
    '// @ts-expect-error: not a subject of the project',
    "const badSubject: SubjectName = 'no-such-subject-x';",
    '// @ts-expect-error: not an attribute of the project',
    "const badAttribute: AttributeName = 'no-such-attribute-x';",
    `const user: UserAccess | null = accessOf(${JSON.stringify(login)});`,
    'const payload = holisticsPayload(user?.login ?? "");',
    'const decision = holisticsDecision("x");',
    'const reason: string = decision.allowed ? "" : decision.reason;',
    '// @ts-expect-error: the data is read-only',
    'USERS[0]!.groups.push(group);',
    'export const used = [group, role, badGroup, badSubject, badAttribute, user, payload, reason];',
    '',
  ].join('\n');
}

const temp = mkdtempSync(path.join(os.tmpdir(), 'warden-ts-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

interface GeneratedModule {
  USERS: readonly { login: string; groups: readonly string[]; subjects: Record<string, unknown> }[];
  accessOf(login: string): Record<string, unknown> | null;
  holisticsPayload(login: string, dataset?: string): { permissions: { row_based: { path: Record<string, string>; operator: string; values: unknown[] }[] } } | null;
  holisticsDecision(login: string, dataset?: string): { allowed: boolean; reason?: string };
}

async function load(code: string, name: string): Promise<GeneratedModule> {
  const js = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
  const file = path.join(temp, `${name}.mjs`);
  writeFileSync(file, js);
  return (await import(pathToFileURL(file).href)) as GeneratedModule;
}

describe.each(projects())('$name', ({ name, root }) => {
  it('generates a module that type-checks strictly, with unions that reject unknown names', () => {
    const { model } = loadModel(root);
    const { code } = generateAccessModule(model);
    expect(typeCheck({ 'warden-access.ts': code, 'consumer.ts': consumer(model) })).toEqual([]);
  });

  it('returns exactly the resolved access when executed', async () => {
    const { model } = loadModel(root);
    const generated = await load(generateAccessModule(model).code, name);
    expect(generated.USERS.map((u) => u.login)).toEqual([...model.users.keys()]);
    expect(Object.isFrozen(generated.USERS)).toBe(true);
    for (const user of model.users.values()) {
      const access = generated.accessOf(user.login)!;
      expect(Object.isFrozen(access.groups)).toBe(true);
      expect(access.groups).toEqual([...user.groups.keys()].sort());
      expect(access.enabled).toBe(user.enabled);
      for (const attribute of model.policy.attributes.keys()) {
        const values = user.attributes.get(attribute)?.value;
        expect((access.attributes as Record<string, unknown>)[attribute], `${user.login} / ${attribute}`).toEqual(values?.kind === 'all' ? 'all' : (values?.values ?? []));
      }
      for (const subject of model.policy.subjects.keys()) {
        const expected = subjectAccess(model, user.login, subject);
        const actual = (access.subjects as Record<string, { access: boolean; filters: { rule: string }[] }>)[subject];
        expect(actual.access, `${user.login} / ${subject}`).toBe(expected.access);
        expect(actual.filters.map((f) => f.rule)).toEqual(expected.filters.map((f) => f.rule));
      }
      if (!user.enabled) expect(generated.holisticsPayload(user.login)).toBeNull();
    }
    expect(generated.accessOf('nobody-by-this-login')).toBeNull();
    expect(generated.holisticsPayload('nobody-by-this-login')).toBeNull();
    expect(generated.holisticsDecision('nobody-by-this-login')).toEqual({ allowed: false, reason: 'unknown user' });
  });
});

describe('holistics-ecommerce (seed 001)', () => {
  const root = path.join(repo, 'examples/holistics-ecommerce');

  it('restricts the Vietnam manager to Vietnam and adds the city for the consultant', async () => {
    const { model } = loadModel(root);
    const generated = await load(generateAccessModule(model).code, 'seed-001');
    const rows = (login: string) => generated.holisticsPayload(login, 'ecommerce')!.permissions.row_based;
    const country = (login: string) => rows(login).filter((r) => r.path.field === 'country_name' && r.operator === 'is');
    expect(country('vn.manager@ecommerce.example').map((r) => [r.path.model, r.values])).toEqual([['ecommerce_countries', ['Vietnam']]]);
    const consultant = rows('consultant@ecommerce.example');
    expect(consultant.find((r) => r.path.field === 'city_name')).toMatchObject({ operator: 'is', values: ['Ha Noi'] });
    // Never an empty list meaning "deny": every emitted condition has values.
    for (const login of model.users.keys()) {
      const payload = generated.holisticsPayload(login);
      for (const row of payload?.permissions.row_based ?? []) expect(row.values.length, login).toBeGreaterThan(0);
    }
  });

  it('writes the module where the target config says', () => {
    const { model, targets } = loadModel(path.join(repo, 'test/targets/fixtures/edge-cases'));
    const result = compileWith(typescriptTarget, model, targetConfig(targets, 'typescript'));
    expect(result.artifacts.map((a) => a.path)).toEqual(['generated/access.ts']);
  });
});
