import { describe, expect, it } from 'vitest';
import { shiftLocs, shiftUserDef } from './shift-locs.js';

describe('shiftLocs', () => {
  it('moves the positions of one file from a line on, in copies, through arrays, maps and objects', () => {
    const at = (file: string, line: number) => ({ file, line, column: 3 });
    const empty = new Map();
    const def = {
      login: 'u',
      loc: at('a.yaml', 10),
      groups: [{ value: 'g', loc: at('a.yaml', 11) }],
      attributes: new Map([['x', { attribute: 'x', loc: at('a.yaml', 12), raw: [{ value: 1, loc: { ...at('a.yaml', 12), endLine: 13, endColumn: 2 } }] }]]),
      elsewhere: at('b.yaml', 50),
      before: at('a.yaml', 2),
      none: empty,
    };
    const moved = shiftLocs(def, 'a.yaml', 10, 3);
    expect(moved.loc).toEqual(at('a.yaml', 13));
    expect(moved.groups[0].loc).toEqual(at('a.yaml', 14));
    expect(moved.attributes.get('x')!.raw[0].loc).toEqual({ file: 'a.yaml', line: 15, column: 3, endLine: 16, endColumn: 2 });
    expect(moved.elsewhere).toEqual(at('b.yaml', 50));
    expect(moved.before).toEqual(at('a.yaml', 2));
    expect(moved.none).toBe(empty);
    // The original is untouched and shares no position with the copy.
    expect(def.loc).toEqual(at('a.yaml', 10));
    expect(moved.elsewhere).not.toBe(def.elsewhere);
  });
});

describe('shiftUserDef', () => {
  it('moves what shiftLocs moves, for every field of a user definition', () => {
    const at = (line: number) => ({ file: 'a.yaml', line, column: 5 });
    const def = {
      login: 'u',
      loc: at(10),
      name: 'U',
      email: 'u@x',
      groups: [{ value: 'g', loc: at(11) }],
      attributes: new Map([['x', { attribute: 'x', loc: at(12), values: { kind: 'values' as const, values: [1] }, raw: [{ value: 1, loc: at(12) }] }]]),
      admin: false,
      disabled: false,
      apiKeys: { value: 'enabled' as const, loc: at(13) },
      home: { value: { dashboard: 'd' }, loc: at(14) },
      dbRole: { value: 'r', loc: at(15) },
      directRoles: [{ value: 'analyst', loc: at(16) }],
    };
    expect(shiftUserDef(def, 'a.yaml', 10, -2)).toEqual(shiftLocs(def, 'a.yaml', 10, -2));
    expect(shiftUserDef(def, 'a.yaml', 10, -2).home!.loc.line).toBe(12);
    // A field it does not know: the generic walk, which moves it too.
    const extra = { ...def, future: { loc: at(20) } } as typeof def;
    expect((shiftUserDef(extra, 'a.yaml', 10, 1) as unknown as { future: { loc: { line: number } } }).future.loc.line).toBe(21);
  });
});
