import { describe, expect, it } from 'vitest';
import { countAs, parsePlan, useProjectEngines, type Project } from './helpers.js';

/**
 * SPEC 6 on both engines, through the CLI: apply converges, a one-user edit shows exactly that
 * user's access change and touches only their rows, drift of every kind is shown and reverted.
 */

const engines = useProjectEngines();
const USERS = 'policies/people/users.yaml';

async function applied(p: Project): Promise<void> {
  const r = await p.cli('apply', '--auto-approve');
  expect(r.code, r.stderr).toBe(0);
  const again = await p.cli('plan', '--detailed-exitcode');
  expect(again.code, again.stdout + again.stderr).toBe(0);
}

async function planJson(p: Project) {
  const r = await p.cli('plan', '--format', 'json', '--detailed-exitcode');
  expect([0, 2], r.stderr).toContain(r.code);
  return { code: r.code, plan: parsePlan(r.stdout) };
}

describe.each(engines)('plan and apply on $name', (engine) => {
  it('plans everything on an empty target, applies it, then has no changes', async () => {
    const p = await engine.project();
    const first = await p.cli('plan', '--detailed-exitcode');
    expect(first.code, first.stderr).toBe(2);
    expect(first.stdout).toContain('+   schema warden');
    expect(first.stdout).toContain('+   policy warden_rule_sales-by-country on "public"."sales"');
    expect(first.stdout).toMatch(/Plan: \d+ to create/);
    await applied(p);
    await p.db(async (db) => {
      expect(await countAs(db, 'vn.manager@acme.com', 'public.sales')).toBe(2);
      expect(await countAs(db, 'leaver@acme.com', 'public.sales')).toBe(0);
      expect(await countAs(db, 'nobody@acme.com', 'public.stores')).toBe(0);
    });
  });

  it("shows exactly one user's access diff for a one-user edit, and replaces only that principal's rows", async () => {
    const p = await engine.project();
    await applied(p);
    const xminBefore = await p.db((db) => db.queryText("SELECT login, xmin::text FROM warden.principals WHERE login <> 'sg.manager@acme.com' ORDER BY login"));
    p.edit(USERS, 'groups: [singapore]', 'groups: [malaysia]');
    const { code, plan } = await planJson(p);
    expect(code).toBe(2);
    expect(plan.access!.users.map((u) => u.login)).toEqual(['sg.manager@acme.com']);
    const user = plan.access!.users[0];
    const sales = user.subjects.find((s) => s.subject === 'sales')!;
    expect(sales.change).toBe('filters');
    // Full replacement: both complete filter sets are in the plan.
    expect(JSON.stringify(sales.before)).toContain('Singapore');
    expect(JSON.stringify(sales.after)).toContain('Malaysia');
    expect(JSON.stringify(sales.after)).toContain('store_id');
    expect(plan.changes.map((c) => `${c.action} ${c.object}`)).toEqual(['update entitlements']);
    const deletes = plan.operations.filter((o) => o.op === 'delete_entitlements');
    expect(deletes).toHaveLength(1);
    expect(deletes[0].principalIds).toHaveLength(1);
    const text = await p.cli('plan');
    expect(text.stdout).toContain('sg.manager@acme.com');
    expect(text.stdout).toMatch(/country.*Malaysia/);
    await applied(p);
    await p.db(async (db) => {
      expect(await countAs(db, 'sg.manager@acme.com', 'public.sales')).toBe(1);
      const xminAfter = await db.queryText("SELECT login, xmin::text FROM warden.principals WHERE login <> 'sg.manager@acme.com' ORDER BY login");
      expect(xminAfter.rows).toEqual(xminBefore.rows);
    });
  });

  const drifts: { name: string; sql: string; expect: (plan: ReturnType<typeof parsePlan>) => void }[] = [
    {
      name: 'a policy edited by hand',
      sql: 'ALTER POLICY "warden_rule_sales-by-country" ON public.sales USING (true)',
      expect: (plan) => expect(plan.changes).toContainEqual(expect.objectContaining({ action: 'replace', address: 'policy warden_rule_sales-by-country on "public"."sales"', drift: true })),
    },
    {
      name: 'a policy dropped by hand',
      sql: 'DROP POLICY warden_access ON public.stores',
      expect: (plan) => expect(plan.changes).toContainEqual(expect.objectContaining({ action: 'create', address: 'policy warden_access on "public"."stores"', drift: true })),
    },
    {
      name: 'row level security disabled',
      sql: 'ALTER TABLE public.sales DISABLE ROW LEVEL SECURITY',
      expect: (plan) => expect(plan.changes).toContainEqual(expect.objectContaining({ action: 'update', object: 'rls', drift: true })),
    },
    {
      name: 'a permissive policy added by hand',
      sql: 'CREATE POLICY open_all ON public.sales USING (true)',
      expect: (plan) => expect(plan.changes).toContainEqual(expect.objectContaining({ action: 'delete', address: 'policy open_all on "public"."sales"', drift: true })),
    },
    {
      name: 'an entitlement row inserted by hand',
      sql: "INSERT INTO warden.values_string SELECT id, 'sales-by-country', 0, 'Germany' FROM warden.principals WHERE login = 'vn.manager@acme.com'",
      expect: (plan) => {
        expect(plan.access!.users.map((u) => u.login)).toEqual(['vn.manager@acme.com']);
        expect(JSON.stringify(plan.access!.users[0].subjects[0].before)).toContain('Germany');
      },
    },
    {
      name: 'an entitlement row deleted by hand',
      sql: "DELETE FROM warden.subject_access WHERE subject = 'sales' AND principal_id = (SELECT id FROM warden.principals WHERE login = 'ceo@acme.com')",
      expect: (plan) => {
        expect(plan.access!.users).toEqual([expect.objectContaining({ login: 'ceo@acme.com' })]);
        expect(plan.access!.users[0].subjects).toEqual([expect.objectContaining({ subject: 'sales', change: 'gained' })]);
      },
    },
    {
      name: 'an orphan entitlement row',
      sql: "INSERT INTO warden.subject_access VALUES (9999, 'sales')",
      expect: (plan) => expect(plan.changes).toContainEqual(expect.objectContaining({ action: 'delete', object: 'entitlements', drift: true })),
    },
    {
      // What `enter` reads: an edit here would change what a user sees without touching the other tables.
      name: 'an entry_settings row edited by hand',
      sql: `UPDATE warden.entry_settings SET settings = settings || '{"c_sales$by$country_0": "open"}' WHERE login = 'vn.manager@acme.com'`,
      expect: (plan) => expect(plan.changes).toContainEqual(expect.objectContaining({ action: 'update', object: 'entitlements', details: ['vn.manager@acme.com'] })),
    },
    {
      name: 'the signing key made readable',
      sql: 'GRANT SELECT ON SEQUENCE warden.key_a TO PUBLIC',
      expect: (plan) => expect(plan.changes).toContainEqual(expect.objectContaining({ action: 'update', object: 'key', drift: true })),
    },
    {
      name: 'the signing key changed',
      sql: "SELECT setval('warden.key_b', 12345)",
      expect: (plan) => expect(plan.changes).toContainEqual(expect.objectContaining({ action: 'update', object: 'key', drift: true })),
    },
    {
      name: 'a function body replaced by hand',
      sql: "CREATE OR REPLACE FUNCTION warden.access_key(p_subject text) RETURNS text LANGUAGE plpgsql IMMUTABLE SECURITY DEFINER SET search_path = pg_catalog, warden, pg_temp AS $$ BEGIN RETURN 'x'; END $$",
      expect: (plan) => expect(plan.changes).toContainEqual(expect.objectContaining({ address: 'function warden.access_key(text)', drift: true })),
    },
  ];

  it.each(drifts)('shows and reverts drift: $name', async (drift) => {
    const p = await engine.project();
    await applied(p);
    const rowsBefore = await p.db(async (db) => [await countAs(db, 'vn.manager@acme.com', 'public.sales'), await countAs(db, 'ceo@acme.com', 'public.sales')]);
    await p.db((db) => db.exec(drift.sql));
    const { code, plan } = await planJson(p);
    expect(code).toBe(2);
    drift.expect(plan);
    await applied(p);
    await p.db(async (db) => {
      expect([await countAs(db, 'vn.manager@acme.com', 'public.sales'), await countAs(db, 'ceo@acme.com', 'public.sales')]).toEqual(rowsBefore);
    });
  });

  it('upgrades a database from before entry_settings without showing access changes', async () => {
    const p = await engine.project();
    await applied(p);
    const rowsBefore = await p.db(async (db) => [await countAs(db, 'vn.manager@acme.com', 'public.sales'), await countAs(db, 'ceo@acme.com', 'public.sales')]);
    // What a database written by the previous version lacks.
    await p.db((db) => db.exec('DROP TABLE warden.entry_settings; DROP SEQUENCE warden.key_a, warden.key_b;'));
    const { code, plan } = await planJson(p);
    expect(code).toBe(2);
    expect(plan.changes).toContainEqual(expect.objectContaining({ action: 'create', address: 'table "warden"."entry_settings"' }));
    expect(plan.changes).toContainEqual(expect.objectContaining({ action: 'create', object: 'key' }));
    // The other entitlement tables are read: every principal is rewritten, nobody's access changes.
    expect(plan.changes).toContainEqual(expect.objectContaining({ action: 'update', object: 'entitlements' }));
    expect(plan.access!.users).toEqual([]);
    await applied(p);
    await p.db(async (db) => {
      expect([await countAs(db, 'vn.manager@acme.com', 'public.sales'), await countAs(db, 'ceo@acme.com', 'public.sales')]).toEqual(rowsBefore);
    });
  });

  it('works in principal: role mode, warning about user roles that do not exist', async () => {
    const p = await engine.project();
    p.edit('warden.yaml', 'principal: session', 'principal: role');
    const first = await p.cli('plan'); // also creates the embedded database
    expect(first.stderr).toContain('W-PG-ROLE-MISSING');
    expect(first.stderr).toContain('vn.manager@acme.com');
    await p.db((db) => db.exec('CREATE ROLE "vn.manager@acme.com" NOLOGIN; GRANT SELECT ON public.sales TO "vn.manager@acme.com"'));
    expect((await p.cli('plan')).stderr).not.toMatch(/W-PG-ROLE-MISSING.*vn\.manager/);
    await applied(p);
    await p.db(async (db) => {
      await db.query('BEGIN');
      await db.query('SET LOCAL ROLE "vn.manager@acme.com"');
      const r = await db.queryText('SELECT count(*)::text FROM public.sales');
      await db.query('ROLLBACK');
      expect(r.rows[0][0]).toBe('2');
      await db.exec('DROP OWNED BY "vn.manager@acme.com"; DROP ROLE "vn.manager@acme.com"');
    });
  });

  it('grants SELECT to grant_to roles and shows a revoked grant as drift', async () => {
    const p = await engine.project();
    await p.cli('plan'); // creates the embedded database
    await p.db((db) => db.exec("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app') THEN CREATE ROLE app NOLOGIN; END IF; END $$"));
    p.edit('warden.yaml', 'principal: session', 'principal: session\n    grant_to: [app]');
    await applied(p);
    await p.db((db) => db.exec('REVOKE SELECT ON public.stores FROM app'));
    const { code, plan } = await planJson(p);
    expect(code).toBe(2);
    expect(plan.changes).toContainEqual(expect.objectContaining({ object: 'grant', address: 'select on "public"."stores"', drift: true }));
    await applied(p);
  });
});
