import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { countAs, parsePlan, useProjectEngines } from './helpers.js';

/** Saved plans (SPEC 6): applied exactly, refused when stale, diagnosed when corrupted. */

const engines = useProjectEngines();
const USERS = 'policies/people/users.yaml';

describe.each(engines)('saved plans on $name', (engine) => {
  it('applies exactly the saved plan, even after the policies changed again', async () => {
    const p = await engine.project();
    const saved = await p.cli('plan', '--out', 'tfplan.json');
    expect(saved.code, saved.stderr).toBe(0);
    // An edit after the plan was saved is not part of it.
    p.edit(USERS, 'groups: [singapore]', 'groups: [malaysia]');
    const applied = await p.cli('apply', 'tfplan.json', '--auto-approve');
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Apply complete');
    await p.db(async (db) => expect(await countAs(db, 'sg.manager@acme.com', 'public.sales')).toBe(1));
    const next = await p.cli('plan', '--format', 'json', '--detailed-exitcode');
    expect(next.code).toBe(2);
    expect(parsePlan(next.stdout).access!.users.map((u) => u.login)).toEqual(['sg.manager@acme.com']);
  });

  it.each([
    ['an entitlement row inserted', "INSERT INTO warden.subject_access VALUES (9999, 'sales')"],
    ['an entitlement row deleted and put back', "DELETE FROM warden.subject_access WHERE principal_id = 1 AND subject = 'stores'; INSERT INTO warden.subject_access VALUES (1, 'stores')"],
    ['the change counter switched off', 'ALTER TABLE warden.values_string DISABLE TRIGGER warden_generation'],
  ])('refuses a saved plan after %s by hand', async (_name, sql) => {
    const p = await engine.project();
    expect((await p.cli('apply', '--auto-approve')).code).toBe(0);
    p.edit(USERS, 'groups: [singapore]', 'groups: [malaysia]');
    expect((await p.cli('plan', '--out', 'tfplan.json')).code).toBe(0);
    await p.db((db) => db.exec(sql));
    const stale = await p.cli('apply', 'tfplan.json', '--auto-approve');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('E-PLAN-STALE');
    // A fresh apply reverts the drift along with the policy change.
    expect((await p.cli('apply', '--auto-approve')).code).toBe(0);
    expect((await p.cli('plan', '--detailed-exitcode')).code).toBe(0);
  });

  it('refuses a plan whose target changed since it was made (E-PLAN-STALE) and changes nothing', async () => {
    const p = await engine.project();
    expect((await p.cli('apply', '--auto-approve')).code).toBe(0);
    p.edit(USERS, 'groups: [singapore]', 'groups: [malaysia]');
    expect((await p.cli('plan', '--out', 'tfplan.json')).code).toBe(0);
    await p.db((db) => db.exec('ALTER TABLE public.sales DISABLE ROW LEVEL SECURITY'));
    const stale = await p.cli('apply', 'tfplan.json', '--auto-approve');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('E-PLAN-STALE');
    await p.db(async (db) => {
      const rls = await db.queryText("SELECT relrowsecurity::text FROM pg_class WHERE oid = 'public.sales'::regclass");
      expect(rls.rows[0][0]).toMatch(/^f/);
      const groups = await db.queryText("SELECT count(*)::text FROM warden.values_string v JOIN warden.principals p ON p.id = v.principal_id WHERE p.login = 'sg.manager@acme.com' AND v.rule = 'sales-by-country' AND v.value = 'Singapore'");
      expect(groups.rows[0][0]).toBe('1');
    });
  });

  it.each([
    ['truncated', (t: string) => t.slice(0, Math.floor(t.length / 2))],
    ['edited', (t: string) => t.replace('"drift":false', '"drift":true')],
    ['not json', () => 'hello'],
    ['of another shape', (t: string) => t.replace('"operations":', '"operationz":')],
  ])('diagnoses a %s plan file (E-PLAN-INVALID)', async (_name, corrupt) => {
    const p = await engine.project();
    expect((await p.cli('plan', '--out', 'tfplan.json')).code).toBe(0);
    const file = path.join(p.dir, 'tfplan.json');
    writeFileSync(file, corrupt(readFileSync(file, 'utf8')));
    const r = await p.cli('apply', 'tfplan.json', '--auto-approve');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('E-PLAN-INVALID');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const plan = await p.cli('plan', '--detailed-exitcode');
    expect(plan.code).toBe(2); // nothing was applied
  });
});

describe('plan output', () => {
  const [pglite] = engines;

  it('prints json that validates against schemas/plan.schema.json, and markdown for a pull request', async () => {
    const p = await pglite.project();
    const json = await p.cli('plan', '--format', 'json');
    expect(json.code, json.stderr).toBe(0);
    const ajv = new Ajv2020({ strict: true });
    ajv.addSchema(JSON.parse(readFileSync('schemas/access-diff.schema.json', 'utf8')) as object);
    const validate = ajv.compile(JSON.parse(readFileSync('schemas/plan.schema.json', 'utf8')) as object);
    expect(validate(JSON.parse(json.stdout)), JSON.stringify(validate.errors)).toBe(true);
    const md = await p.cli('plan', '--format', 'markdown');
    expect(md.stdout).toMatch(/^### warden plan/);
    expect(md.stdout.indexOf('**Plan:')).toBeLessThan(md.stdout.indexOf('<details>'));
  });

  it('refuses to apply without a terminal or --auto-approve', async () => {
    const p = await pglite.project();
    const r = await p.cli('apply');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--auto-approve');
    expect((await p.cli('plan', '--detailed-exitcode')).code).toBe(2);
  });

  it('asks on a terminal and applies only on "yes"', async () => {
    const p = await pglite.project();
    const { main } = await import('../../src/cli/main.js');
    const run = async (answer: string) => {
      let out = '';
      const code = await main(['apply'], { stdout: (t) => (out += t), stderr: (t) => (out += t), env: {}, cwd: p.dir, isTTY: true, color: false, prompt: async () => answer });
      return { code, out };
    };
    expect((await run('no')).code).toBe(1);
    expect((await p.cli('plan', '--detailed-exitcode')).code).toBe(2);
    const yes = await run('yes');
    expect(yes.code, yes.out).toBe(0);
    expect(yes.out).toContain('Rows each user now sees');
    expect((await p.cli('plan', '--detailed-exitcode')).code).toBe(0);
  });

  it('never prints the password of the url', async () => {
    const [, postgres] = engines;
    const p = await postgres.project();
    const url = p.env.DATABASE_URL.replace('postgres@', 'postgres:s3cret-pw@');
    const { runCli } = await import('../helpers/run-cli.js');
    const r = await runCli(['plan'], p.dir, { DATABASE_URL: url });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('s3cret-pw');
    expect(r.stdout).toContain('postgres:***@');
  });

  it('reports a missing subject table, and a broken fixture leaves no half-made embedded database', async () => {
    const p = await pglite.project();
    const fixture = path.join(p.dir, 'fixtures', 'acme.sql');
    const good = readFileSync(fixture, 'utf8');
    writeFileSync(fixture, `${good}\nTHIS IS NOT SQL;\n`);
    const broken = await p.cli('plan');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('could not load the sample data');
    expect(existsSync(path.join(p.dir, '.warden', 'warehouse'))).toBe(false);
    writeFileSync(fixture, good);
    p.edit('policies/data/subjects.yaml', 'table: public.stores', 'table: public.nowhere');
    const missing = await p.cli('plan');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('E-PG-TABLE-MISSING');
    expect(missing.stderr).toContain('policies/data/subjects.yaml');
  });
});
