import { mkdirSync, mkdtempSync, rmSync, writeFileSync, unlinkSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { compileProjectSync } from '../../src/pipeline.js';
import { explainJson } from '../../src/resolve/explain-json.js';
import type { ResolvedModel } from '../../src/resolve/model.js';
import { accessDiff } from '../../src/plan/access-diff.js';
import { IncrementalProject, type ProjectState } from '../../src/watch/incremental.js';
import { withUsers } from '../../src/watch/report.js';

/**
 * The contract of watch mode's incremental work: after every step of random edit sequences
 * (users changed, added, removed, renamed, duplicated, made invalid and fixed again, lines
 * inserted, files deleted and created, groups, roles, rules and settings edited), the
 * incremental project's diagnostics (codes, messages, positions, hints, related positions) and
 * resolved model (explain JSON of every user) equal a from-scratch compile of the same files.
 * Every earlier model must still read as it did (users' maps are changed in place, leaving
 * past versions). It also checks that the incremental paths were taken, so the test cannot pass
 * by falling back.
 */

const NOW = new Date('2026-06-01T00:00:00Z');
const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const BASE: Record<string, string> = {
  'warden.yaml': 'version: 1\npolicies: [policies]\n',
  'policies/model.yaml': `attributes:
  region: { type: string }
  level: { type: integer }
subjects:
  sales:
    restricted: true
    table: public.sales
    fields:
      region: { column: region, type: string }
      level: { column: level, type: integer }
  hr:
    table: public.hr
    fields:
      region: { column: region, type: string }
roles:
  analyst: { permissions: [catalog.share] }
rules:
  sales-by-region: { subject: sales, field: region, operator: in, attribute: region }
  hr-by-region: { subject: hr, field: region, operator: in, attribute: region }
  sales-level: { subject: sales, field: level, operator: le, attribute: level }
api_keys:
  k1: { user: u2@acme.com, expires: 2027-01-01 }
`,
  'policies/groups.yaml': `groups:
  emea:
    subjects: [sales]
    attributes: { region: [EMEA] }
  france:
    inherits: [emea]
    attributes: { region: [France], level: [2] }
  apac:
    subjects: [sales]
    roles: [analyst]
    api_keys: enabled
    attributes: { region: [APAC] }
  spare: {}
  solo: {}
${Array.from({ length: 12 }, (_, i) => `  team${String(i + 1).padStart(2, '0')}: {}\n`).join('')}`,
  'policies/users-a.yaml': users(0, 6),
  'policies/users-b.yaml': users(6, 12),
};

function users(from: number, to: number): string {
  let text = 'users:\n';
  for (let i = from; i < to; i++) {
    text += `  u${i}@acme.com:\n    groups: [${i === 0 ? 'solo' : ['emea', 'france', 'apac', 'team03'][i % 4]}]\n`;
    if (i % 4 === 1) text += `    attributes: { region: [R${i}] }\n`;
  }
  return text;
}

const USER_FILES = ['policies/users-a.yaml', 'policies/users-b.yaml', 'policies/users-c.yaml'];

/** One edit: (kind, which file or user, payload). Returns the file changed. */
type Step = [kind: number, pick: number, payload: number];

const GROUPS = ['emea', 'france', 'apac', 'spare', 'emae', 'nowhere', 'solo', 'team07', 'taem07'];
const USER_LINES = [
  (g: string) => `    groups: [${g}]\n`,
  (g: string) => `    groups: [${g}, apac]\n`,
  () => `    attributes: { region: [X1, X2] }\n`,
  () => `    attributes: { level: [1, 2] }\n`, // several values for an `le` rule: a resolver error
  () => `    attributes: { level: ["3"] }\n`, // text for an integer attribute
  () => `    attributes: { regoin: [X] }\n`, // unknown attribute
  () => `    disabled: true\n`,
  () => `    roles: [analyst]\n`, // direct roles
  () => `    name: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n`, // a secret
  () => `    admin: true\n`,
  () => `    colour: blue\n`, // unknown key
  () => `    groups: [emea\n`, // YAML syntax error
  () => `    api_keys: disabled\n`,
  () => `\n`,
  () => `    # a note\n`,
];

function applyStep(root: string, [kind, pick, payload]: Step): string[] {
  const read = (file: string) => (existsSync(path.join(root, file)) ? readFileSync(path.join(root, file), 'utf8') : null);
  const write = (file: string, text: string) => writeFileSync(path.join(root, file), text);
  const group = GROUPS[payload % GROUPS.length];
  switch (kind % 10) {
    case 0:
    case 1:
    case 2: {
      // Replace or insert a line inside a user (most edits in watch are this).
      const file = USER_FILES[pick % 2];
      const text = read(file);
      if (text === null) return [];
      const lines = text.split('\n');
      const userLines = lines.map((line, i) => (/^ {2}\S/.test(line) ? i : -1)).filter((i) => i >= 0);
      if (userLines.length === 0) return [];
      const at = userLines[Math.floor(pick / 2) % userLines.length] + 1;
      const line = USER_LINES[payload % USER_LINES.length](group).replace(/\n$/, '');
      if (kind % 10 === 2 || /^ {4}groups/.test(lines[at] ?? '') === false) lines.splice(at, 0, line);
      else lines[at] = line;
      write(file, lines.join('\n'));
      return [file];
    }
    case 3: {
      // Add a user (new login, or one that exists elsewhere: a duplicate) to the end or the start.
      const file = USER_FILES[pick % 3];
      const text = read(file) ?? 'users:\n';
      const login = payload % 3 === 0 ? `u${payload % 12}@acme.com` : `new${payload % 7}@acme.com`;
      const entry = `  ${login}:\n    groups: [${group}]\n`;
      write(file, pick % 2 === 0 ? text.replace(/^users:\n/, `users:\n${entry}`) : `${text.endsWith('\n') ? text : `${text}\n`}${entry}`);
      return [file];
    }
    case 4: {
      // Remove a user (its key line and the lines under it).
      const file = USER_FILES[pick % 2];
      const text = read(file);
      if (text === null) return [];
      const entries = text.split(/(?=^ {2}\S)/m);
      if (entries.length <= 2) return [];
      entries.splice(1 + (payload % (entries.length - 1)), 1);
      write(file, entries.join(''));
      return [file];
    }
    case 5: {
      // Rename a user.
      const file = USER_FILES[pick % 2];
      const text = read(file);
      if (text === null) return [];
      write(file, text.replace(/u(\d+)@acme\.com/, (_, n) => `renamed${n}x${payload % 3}@acme.com`));
      return [file];
    }
    case 6: {
      // Delete or recreate a users file.
      const file = USER_FILES[1 + (pick % 2)];
      if (existsSync(path.join(root, file))) unlinkSync(path.join(root, file));
      else write(file, users(20 + (payload % 5), 23 + (payload % 5)));
      return [file];
    }
    case 7: {
      // A group edit: inherits, roles, a rename that users still list.
      const file = 'policies/groups.yaml';
      const text = read(file)!;
      const variants = [
        (t: string) => t.replace('  spare: {}', `  spare: { inherits: [${group}] }`),
        (t: string) => t.replace('roles: [analyst]', 'roles: [analyst, user]'),
        (t: string) => t.replace('  france:', '  francia:'),
        (t: string) => t.replace(/  spare: .*\n/, ''),
        (t: string) => t.replace('api_keys: enabled', 'api_keys: disabled'),
      ];
      write(file, variants[payload % variants.length](text));
      return [file];
    }
    case 8: {
      // A rule or setting edit.
      const file = 'policies/model.yaml';
      const text = read(file)!;
      const variants = [
        (t: string) => t.replace('operator: in, attribute: region }\n  hr', 'operator: not_in, attribute: region }\n  hr'),
        (t: string) => `${t}settings:\n  default_group: ${group}\n`,
        (t: string) => t.replace('k1: { user: u2@acme.com', `k1: { user: u${payload % 12}@acme.com`),
        (t: string) => t.replace('restricted: true', 'restricted: false'),
      ];
      write(file, variants[payload % variants.length](text));
      return [file];
    }
    default: {
      // Restore a file as it was at the start (an error fixed, a deletion undone).
      const file = [...USER_FILES.slice(0, 2), 'policies/groups.yaml', 'policies/model.yaml'][payload % 4];
      write(file, BASE[file]);
      return [file];
    }
  }
}

const comparable = (diagnostics: readonly Diagnostic[]) => diagnostics.map((d) => JSON.parse(JSON.stringify(d)) as unknown);

function definitions(model: ResolvedModel): unknown {
  return JSON.parse(JSON.stringify([...model.policy.users], (_, value: unknown) => (value instanceof Map ? [...value] : value)));
}

function everyUser(model: ResolvedModel | null): unknown {
  if (model === null) return null;
  // explain JSON, and the facts with their provenance (positions included), which explain's text form prints.
  return [...model.users.values()].map((user) =>
    JSON.parse(
      JSON.stringify([explainJson(model, user.login), user.loc, user.groups, user.roles, user.home, user.apiKeysEnabled, user.bypassRowRules, user.attributes], (_, value: unknown) =>
        value instanceof Map ? [...value] : value,
      ),
    ),
  );
}

/** What a model said when it was made: every earlier model must keep saying it (watch diffs against the last valid one). */
type Said = { model: ResolvedModel; users: unknown; members: unknown; definitions: unknown };

function said(model: ResolvedModel): Said {
  return { model, users: everyUser(model), members: model.groupMembers, definitions: [...model.policy.users.entries()].map(([login, def]) => [login, def.loc, def.groups]) };
}

function expectStillSays(earlier: readonly Said[]): void {
  for (const before of earlier) expect(said(before.model)).toEqual(before);
}

function expectSameAsScratch(root: string, state: ProjectState): void {
  const scratch = compileProjectSync(root, { now: NOW });
  expect(comparable(state.diagnostics)).toEqual(comparable(scratch.diagnostics));
  expect(state.model === null).toBe(scratch.model === null);
  expect(everyUser(state.model)).toEqual(everyUser(scratch.model));
  if (state.model !== null && scratch.model !== null) {
    // Definitions with every position (provenance and code frames read them), in source order.
    expect(definitions(state.model)).toEqual(definitions(scratch.model));
    expect([...state.model.apiKeys.values()]).toEqual([...scratch.model.apiKeys.values()]);
    expect(state.model.groupMembers).toEqual(scratch.model.groupMembers);
  }
}

describe('IncrementalProject (watch): incremental answers equal a compile from scratch', () => {
  it('after every step of random edit sequences', () => {
    const taken = { itemFiles: 0, usersValidated: 0, usersResolved: 0, narrowDiffs: 0, steps: 0 };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 14 }), (steps) => {
        const root = mkdtempSync(path.join(tmpdir(), 'warden-watch-inc-'));
        roots.push(root);
        mkdirSync(path.join(root, 'policies'));
        for (const [file, text] of Object.entries(BASE)) writeFileSync(path.join(root, file), text);
        const project = new IncrementalProject(root, ['policies'], { now: () => NOW });
        const first = project.update();
        expectSameAsScratch(root, first);
        const earlier: Said[] = first.model ? [said(first.model)] : [];
        for (const step of steps) {
          const changed = applyStep(root, step);
          const state = project.update(changed);
          taken.steps++;
          if (state.work?.itemFiles) taken.itemFiles++;
          if (state.work?.usersValidated) taken.usersValidated++;
          if (state.work?.usersResolved !== null && state.work?.usersResolved !== undefined) taken.usersResolved++;
          expectSameAsScratch(root, state);
          expectStillSays(earlier);
          if (state.model) {
            // Watch diffs only the users changed since the last valid state, when nothing else changed.
            const lastValid = earlier[earlier.length - 1]?.model;
            const only = lastValid ? state.usersChangedSince?.(lastValid) : null;
            if (lastValid && only) {
              taken.narrowDiffs++;
              expect(accessDiff(withUsers(lastValid, only), withUsers(state.model, only))).toEqual(accessDiff(lastValid, state.model));
            }
            earlier.push(said(state.model));
          }
        }
        rmSync(root, { recursive: true, force: true });
      }),
      { numRuns: Number(process.env.WATCH_INCREMENTAL_RUNS ?? 150) },
    );
    // The incremental paths must carry a good share of the steps, not only the fallbacks.
    expect(taken.itemFiles).toBeGreaterThan(taken.steps / 5);
    expect(taken.usersValidated).toBeGreaterThan(taken.steps / 10);
    expect(taken.usersResolved).toBeGreaterThan(taken.steps / 20);
    expect(taken.narrowDiffs).toBeGreaterThan(taken.steps / 20);
  }, 300_000);

  it('keeps every earlier model as it was across one-user edits made in place', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'warden-watch-inc-'));
    roots.push(root);
    mkdirSync(path.join(root, 'policies'));
    writeFileSync(path.join(root, 'warden.yaml'), 'version: 1\npolicies: [policies]\n');
    writeFileSync(path.join(root, 'policies/groups.yaml'), 'groups:\n  a: {}\n  b: {}\n');
    const file = 'policies/users.yaml';
    const write = (u1: string, u2: string) => writeFileSync(path.join(root, file), `users:\n  u1:\n    groups: [${u1}]\n  u2:\n    groups: [${u2}]\n`);
    write('a', 'a');
    const project = new IncrementalProject(root, ['policies'], { now: () => NOW });
    const first = project.update();
    const earlier = [said(first.model!)];
    for (const [u1, u2] of [['b', 'a'], ['b', 'b'], ['a', 'b'], ['a', 'a']]) {
      write(u1, u2);
      const state = project.update([file]);
      expect(state.work).toEqual({ itemFiles: 1, usersValidated: true, usersResolved: 1 });
      expectSameAsScratch(root, state);
      expectStillSays(earlier);
      earlier.push(said(state.model!));
    }
    expect(explainJson(earlier[0].model, 'u2')).toMatchObject({ value: { groups: ['a', 'everyone'] } });
  });
});
