import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from '../../src/db/database.js';
import type { DesiredState, Entitlements } from '../../src/targets/postgres/desired-state.js';
import { DEFAULT_OPTIONS } from '../../src/targets/postgres/options.js';
import { entitlementStatements, entryRowCells } from '../../src/targets/postgres/script.js';
import { EntrySettingsBuilder } from '../../src/targets/postgres/entry-settings.js';
import { writeStatement } from '../../src/targets/postgres/writers.js';
import { settingPrefix } from '../../src/targets/postgres/desired-state.js';

/**
 * Entitlement load: 100,000 users x 5 attributes (1-3 values each) through warden's statements
 * (truncate + batched unnest inserts, in one transaction) against a raw COPY of exactly the same
 * rows into the same tables, files read by the server. The two alternate, five rounds, medians
 * (alternating spreads the noise of a shared machine over both).
 */
const USERS = 100_000;
const RULES = ['by-a1', 'by-a2', 'by-a3', 'by-a4', 'by-a5'];

function entitlements(): Entitlements {
  const e: Entitlements = { principals: [], subjectAccess: [], conditions: [], values: { boolean: [], date: [], integer: [], number: [], string: [] }, entries: [] };
  for (let id = 1; id <= USERS; id++) {
    e.principals.push({ id, login: `user${id}@example.com`, dbRole: `user${id}@example.com`, enabled: true, bypass: false, admin: false });
    e.subjectAccess.push({ principalId: id, subject: 'facts' });
    const settings = new EntrySettingsBuilder().subject('facts');
    RULES.forEach((rule, r) => {
      e.conditions.push({ principalId: id, rule, cond: 0, state: 'values' });
      const values = Array.from({ length: 1 + ((id + r) % 3) }, (_, k) => `value-${(id * 7 + k * 13 + r) % 5000}`);
      for (const value of values) e.values.string.push({ principalId: id, rule, cond: 0, value });
      settings.condition(rule, 0, 'values', 'string', values);
    });
    e.entries.push({ login: `user${id}@example.com`, principalId: id, text: settings.text() });
  }
  return e;
}

const csv = (cells: (string | number | boolean)[]) => cells.map((c) => (typeof c === 'string' ? `"${c.replaceAll('"', '""')}"` : String(c))).join(',');

export async function entitlementBench(db: Database): Promise<string[]> {
  const e = entitlements();
  const state: DesiredState = { options: DEFAULT_OPTIONS, settingPrefix: settingPrefix('warden'), subjects: [], entitlements: e };
  const script = ['BEGIN;', ...entitlementStatements(state).map(writeStatement), 'COMMIT;'].join('\n');
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-copy-'));
  chmodSync(dir, 0o755);
  const files: [string, string][] = [
    ['principals', e.principals.map((p) => csv([p.id, p.login, p.dbRole, p.enabled, p.bypass, p.admin])).join('\n')],
    ['subject_access', e.subjectAccess.map((a) => csv([a.principalId, a.subject])).join('\n')],
    ['conditions', e.conditions.map((c) => csv([c.principalId, c.rule, c.cond, c.state])).join('\n')],
    ['values_string', e.values.string.map((v) => csv([v.principalId, v.rule, v.cond, v.value as string])).join('\n')],
    ['entry_settings', e.entries.map((r) => csv(entryRowCells(r) as (string | number)[])).join('\n')],
  ];
  for (const [name, text] of files) {
    writeFileSync(path.join(dir, `${name}.csv`), `${text}\n`);
    chmodSync(path.join(dir, `${name}.csv`), 0o644);
  }
  const copy = [
    'BEGIN;',
    'TRUNCATE warden.principals, warden.subject_access, warden.conditions, warden.values_boolean, warden.values_date, warden.values_integer, warden.values_number, warden.values_string, warden.entry_settings;',
    ...files.map(([name]) => `COPY warden.${name} FROM '${path.join(dir, `${name}.csv`)}' WITH (FORMAT csv);`),
    'COMMIT;',
  ].join('\n');
  const time = async (sql: string) => {
    const start = performance.now();
    await db.exec(sql);
    return performance.now() - start;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  try {
    const rows = e.principals.length + e.subjectAccess.length + e.conditions.length + e.values.string.length + e.principals.filter((p) => p.enabled).length;
    const wardenTimes: number[] = [];
    const rawTimes: number[] = [];
    for (let round = 0; round < 5; round++) {
      wardenTimes.push(await time(script));
      rawTimes.push(await time(copy));
    }
    const warden = median(wardenTimes);
    const raw = median(rawTimes);
    return [
      `Entitlement load, ${USERS.toLocaleString('en-US')} users x ${RULES.length} attributes (${rows.toLocaleString('en-US')} rows, ${(script.length / 1e6).toFixed(1)} MB of SQL), alternating, median of 5:`,
      '',
      '| load | ms | ratio |',
      '|---|---:|---:|',
      `| warden (truncate, unnest inserts, primary keys rebuilt; one transaction) | ${warden.toFixed(0)} | ${(warden / raw).toFixed(2)} |`,
      `| raw COPY of the same rows (server-side CSV files) | ${raw.toFixed(0)} | 1.00 |`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
