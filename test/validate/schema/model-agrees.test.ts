import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type * as Doc from '../../../src/model/generated/policy-document.js';
import type { AttributeType, DurationUnit, Operator, Permission, RoleDef } from '../../../src/model/policy.js';

/**
 * The hand-written PolicySet model (src/model/policy.ts) names the same closed sets as the
 * schema: operators, permissions, attribute types, duration units, row-rule modes. These
 * assignments stop type-checking (`npm test` runs tsc first) when the two drift apart; the
 * runtime checks below keep the test meaningful when run on its own.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const agree: [
  Same<Doc.Operator, Operator>,
  Same<Doc.Permission, Permission>,
  Same<Doc.Attribute['type'], AttributeType>,
  Same<Doc.Field['type'], AttributeType>,
  Same<keyof Doc.Modifier, DurationUnit>,
  Same<NonNullable<Doc.Role['row_rules']>, RoleDef['rowRules']>,
] = [true, true, true, true, true, true];

type Schema = { $defs: Record<string, { enum?: string[]; properties?: Record<string, { enum?: string[] }> }> };
const schema = JSON.parse(readFileSync(new URL('../../../schemas/policy.schema.json', import.meta.url), 'utf8')) as Schema;

describe('the PolicySet model and the schema', () => {
  it('name the same closed sets', () => {
    expect(agree.every(Boolean)).toBe(true);
    const operators: Record<Operator, true> = { in: true, not_in: true, eq: true, ne: true, lt: true, le: true, gt: true, ge: true, between: true, last: true, next: true };
    expect([...schema.$defs.operator.enum!].sort()).toEqual(Object.keys(operators).sort());
    const types: Record<AttributeType, true> = { string: true, integer: true, number: true, date: true, boolean: true };
    expect([...schema.$defs.attribute.properties!.type.enum!].sort()).toEqual(Object.keys(types).sort());
    const units: Record<DurationUnit, true> = { days: true, weeks: true, months: true, years: true };
    expect(Object.keys(schema.$defs.modifier.properties!).sort()).toEqual(Object.keys(units).sort());
    const objects = ['catalog', 'schema', 'data', 'security'];
    const actions = ['view', 'share', 'manage'];
    expect([...schema.$defs.permission.enum!].sort()).toEqual(objects.flatMap((o) => actions.map((a) => `${o}.${a}`)).sort());
  });
});
