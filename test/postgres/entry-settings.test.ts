import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttributeType } from '../../src/model/policy.js';
import { conditionSettingName, EntrySettingsBuilder, entrySettingsText, subjectSettingName } from '../../src/targets/postgres/entry-settings.js';
import { useEngines } from './harness.js';

/**
 * The payloads `enter` signs and the look-ups cast back with `::<type>[]`: every value must come
 * back exactly, whatever PostgreSQL's array reader would make of it bare (NULL in any case, empty,
 * blanks, braces, commas, quotes, backslashes), and in the type's order (between reads elements 1, 2).
 */

/** A principal's settings from rows like warden's tables hold, as an object in the order of the text warden writes. */
function entrySettings(
  subjects: string[],
  conditions: { rule: string; cond: number; state: string }[],
  values: { type: AttributeType; rule: string; cond: number; text: string }[],
): Record<string, string> {
  const settings = new EntrySettingsBuilder();
  for (const s of subjects) settings.subject(s);
  for (const c of conditions) {
    const own = values.filter((v) => v.rule === c.rule && v.cond === c.cond);
    settings.condition(c.rule, c.cond, c.state, own[0]?.type ?? 'string', own.map((v) => v.text));
  }
  return JSON.parse(settings.text()) as Record<string, string>;
}

const TRICKY = ['null', 'NuLl', 'NULL', '', ' lead', 'trail ', 'a b', '{', '}', 'x,y', '"', '\\', '\\"', 'é', '😀', 'tab\there', 'plain-value'];

describe('entry settings', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = new PGlite();
  });
  afterAll(async () => {
    await db.close();
  });

  it('names settings so that no two subjects, rules or conditions meet', () => {
    expect(subjectSettingName('sales-eu')).toBe('a_sales$eu');
    expect(conditionSettingName('by-store', 0)).toBe('c_by$store_0');
    // The condition number is what follows the last underscore, and rule names cannot hold `$`.
    expect(conditionSettingName('x_1', 0)).not.toBe(conditionSettingName('x', 10));
    expect(conditionSettingName('a-b', 0)).not.toBe(conditionSettingName('a_b', 0));
  });

  it('writes grants, states and sorted values, with keys in order', () => {
    const settings = entrySettings(
      ['sales'],
      [
        { rule: 'by-store', cond: 0, state: 'values' },
        { rule: 'by-day', cond: 1, state: 'open' },
        { rule: 'hide', cond: 0, state: 'deny' },
        { rule: 'none', cond: 0, state: 'values' },
      ],
      [
        { type: 'integer', rule: 'by-store', cond: 0, text: '10' },
        { type: 'integer', rule: 'by-store', cond: 0, text: '9' },
        { type: 'integer', rule: 'by-store', cond: 0, text: '-3' },
      ],
    );
    expect(settings).toEqual({ a_sales: '', c_by$day_1: 'open', c_by$store_0: '{-3,9,10}', c_hide_0: 'deny', c_none_0: '{}' });
    // jsonb's order: shortest key first, then bytes.
    expect(Object.keys(settings)).toEqual(['a_sales', 'c_hide_0', 'c_none_0', 'c_by$day_1', 'c_by$store_0']);
  });

  it('round-trips every string through the array reader exactly', async () => {
    const settings = entrySettings([], [{ rule: 'r', cond: 0, state: 'values' }], TRICKY.map((text) => ({ type: 'string' as const, rule: 'r', cond: 0, text })));
    const back = await db.query<{ v: string[] }>('SELECT $1::text[] AS v', [settings.c_r_0]);
    expect([...back.rows[0].v].sort()).toEqual([...TRICKY].sort());
  });

  it('orders numbers, dates and integers beyond 2^53 by value, and reads them typed', async () => {
    const values = (type: 'number' | 'date' | 'integer', texts: string[]) =>
      entrySettings([], [{ rule: 'r', cond: 0, state: 'values' }], texts.map((text) => ({ type, rule: 'r', cond: 0, text }))).c_r_0;
    expect(values('number', ['10.5', '-2', '3'])).toBe('{-2,3,10.5}');
    expect(values('date', ['2026-03-01', '2025-12-31'])).toBe('{2025-12-31,2026-03-01}');
    expect(values('integer', ['9007199254740993', '9007199254740992'])).toBe('{9007199254740992,9007199254740993}');
    // Dates are read as ISO whatever the session's DateStyle.
    await db.query("SET datestyle = 'SQL, DMY'");
    const back = await db.query<{ v: string }>("SELECT (($1::date[])[1] = DATE '2025-12-31')::text AS v", [values('date', ['2026-03-01', '2025-12-31'])]);
    expect(back.rows[0].v).toBe('true');
  });
});

/** plan digests entry_settings rows as the text jsonb prints: warden must write exactly that text. */
for (const engine of useEngines()) {
  describe(`entry settings text on ${engine.name}`, () => {
    it('is the text jsonb prints back, for tricky payloads and keys of different lengths', async () => {
      const db = await engine.fresh();
      const settings = {
        c_long$rule$name_12: 'deny',
        a_x: '',
        c_r_0: entrySettings([], [{ rule: 'r', cond: 0, state: 'values' }], TRICKY.map((text) => ({ type: 'string' as const, rule: 'r', cond: 0, text }))).c_r_0!,
        c_ctl_1: 'a\u0001b\u001fc\u007fd\b\f\n\r\t"\\/é😀\u2028',
        a_b: 'x',
      };
      const text = entrySettingsText(Object.entries(settings).sort(([a], [b]) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)));
      const back = await db.queryText('SELECT ($1::jsonb)::text', [text]);
      expect(back.rows[0]![0]).toBe(text);
      expect(JSON.parse(text)).toEqual(settings);
    });
  });
}
