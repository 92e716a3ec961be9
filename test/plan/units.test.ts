import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PgliteDatabase } from '../../src/db/pglite.js';
import { applyLocked, advisoryLockKeys } from '../../src/plan/postgres/apply.js';
import { redactUrl } from '../../src/plan/postgres/connection.js';
import { writeOp } from '../../src/plan/postgres/op-writers.js';
import { RowDigest } from '../../src/plan/postgres/row-digest.js';
import { parsePlanFile, serializePlan } from '../../src/plan/plan-file.js';
import type { Plan } from '../../src/plan/plan-types.js';
import { renderPlanMarkdown } from '../../src/plan/render-plan-markdown.js';
import { renderPlanText } from '../../src/plan/render-plan-text.js';

const loc = { file: 'warden.yaml', line: 1, column: 1 };

function plan(operations: unknown[], extra: Partial<Plan> = {}): Plan {
  return {
    version: 1,
    target: { name: 'warehouse', type: 'postgres', location: 'test' },
    fingerprint: `sha256:${'0'.repeat(64)}`,
    desired: `sha256:${'1'.repeat(64)}`,
    changes: [{ action: 'create', object: 'schema', address: 'schema s', reason: 'does not exist', drift: false }],
    access: null,
    operations,
    probe: { schema: 's', tables: [], roles: [] },
    ...extra,
  };
}

describe('row digest', () => {
  it('does not depend on the order rows arrive in, and tells different row sets apart', () => {
    const row = fc.tuple(fc.string(), fc.string(), fc.string());
    fc.assert(
      fc.property(fc.uniqueArray(row, { selector: (r) => r.join('\u0000') }), fc.nat(), (rows, seed) => {
        const a = new RowDigest();
        const b = new RowDigest();
        for (const r of rows) a.add('v', ...r);
        const shuffled = [...rows].sort((x, y) => ((x.join().length * 31 + seed) % 7) - ((y.join().length * 31 + seed) % 7));
        for (const r of shuffled) b.add('v', ...r);
        expect(a.value()).toBe(b.value());
        if (rows.length > 0) {
          const c = new RowDigest();
          for (const r of rows.slice(1)) c.add('v', ...r);
          c.add('v', rows[0][0], rows[0][1], `${rows[0][2]}x`);
          expect(c.value()).not.toBe(a.value());
        }
      }),
    );
  });

  it('keeps field boundaries: moving text between fields changes the digest', () => {
    const a = new RowDigest();
    a.add('v', 'ab', 'c');
    const b = new RowDigest();
    b.add('v', 'a', 'bc');
    expect(a.value()).not.toBe(b.value());
  });
});

describe('saved plan files', () => {
  it('round-trip, and refuse any edit through the checksum', () => {
    const p = plan([{ op: 'drop_policy', table: { schema: 'public', name: 't' }, name: 'warden_x' }]);
    const text = serializePlan(p);
    const { saved, diagnostics } = parsePlanFile(text, 'plan.json');
    expect(diagnostics).toEqual([]);
    expect(saved!.plan.operations).toEqual(p.operations);
    expect(saved!.plan.fingerprint).toBe(p.fingerprint);
    const edited = parsePlanFile(text.replace('warden_x', 'warden_y'), 'plan.json');
    expect(edited.diagnostics.map((d) => d.code)).toEqual(['E-PLAN-INVALID']);
    expect(edited.diagnostics[0].message).toContain('checksum');
  });

  it('refuse operations outside the schema', () => {
    const p = plan([{ op: 'run_sql', sql: 'DROP TABLE x' }]);
    const { diagnostics } = parsePlanFile(serializePlan(p), 'plan.json');
    expect(diagnostics.map((d) => d.code)).toEqual(['E-PLAN-INVALID']);
  });
});

describe('operation writers', () => {
  it('quote every name', () => {
    const sql = writeOp({ op: 'drop_policy', table: { schema: 'pub"lic', name: "t'; DROP" }, name: 'p"x' });
    expect(sql).toBe(`DROP POLICY IF EXISTS "p""x" ON "pub""lic"."t'; DROP";`);
    expect(writeOp({ op: 'delete_entitlements', schema: 'w', principalIds: [3, 1] })).toContain(`ANY('{3,1}'::integer[])`);
    expect(() => writeOp({ op: 'delete_entitlements', schema: 'w', principalIds: [1.5] })).toThrow();
  });
});

describe('apply', () => {
  it('reports progress per operation and rolls everything back when one fails', async () => {
    const db = await PgliteDatabase.open();
    try {
      const ops = [
        { op: 'statement', statement: { kind: 'create_schema', schema: 's' } },
        { op: 'create_sequence', schema: 's', name: 'generation' },
      ];
      const seen: [number, number][] = [];
      await applyLocked(db, { schema: 's', lockTimeoutMs: 0, statementTimeoutMs: 0, loc, onProgress: (d, t) => seen.push([d, t]) }, async () => plan(ops));
      expect(seen).toEqual([
        [1, 2],
        [2, 2],
      ]);
      const failing = [{ op: 'statement', statement: { kind: 'create_schema', schema: 'other' } }, { op: 'statement', statement: { kind: 'create_policy', name: 'p', table: { schema: 's', name: 'missing' }, restrictive: false, using: 'true' } }];
      await expect(applyLocked(db, { schema: 's', lockTimeoutMs: 0, statementTimeoutMs: 0, loc }, async () => plan(failing))).rejects.toThrow();
      const schemas = await db.queryText("SELECT count(*)::text FROM pg_namespace WHERE nspname = 'other'");
      expect(schemas.rows[0][0]).toBe('0');
    } finally {
      await db.close();
    }
  });

  it('uses a per-schema advisory lock', () => {
    expect(advisoryLockKeys('warden')).toEqual(advisoryLockKeys('warden'));
    expect(advisoryLockKeys('warden')[1]).not.toBe(advisoryLockKeys('other')[1]);
  });
});

describe('rendering', () => {
  it('never prints a password, and escapes names in markdown', () => {
    expect(redactUrl('postgres://app:s3cret@db.example:5432/prod?password=x')).toBe('postgres://app:***@db.example:5432/prod');
    const p = plan([], { changes: [{ action: 'replace', object: 'policy', address: 'policy `x` | <b>', reason: 'edited by hand', drift: true }] });
    const md = renderPlanMarkdown(p);
    // Inside a code span (fence longer than any backtick run) GitHub prints markup literally; the pipe is escaped for the table.
    expect(md).toContain('``policy `x` \\| <b>``');
    expect(md).toContain('**drift**');
    expect(renderPlanText(p)).toContain('-/+ policy `x` | <b> [drift]');
  });
});
