import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertiesDocument, propertiesValue } from '../../src/targets/incorta/properties.js';
import { csvDocument, csvField, looksLikeFormula, neutraliseFormula, parseCsv } from '../../src/util/csv.js';
import { mdCode, mdText } from '../../src/util/markdown.js';

describe('csv (RFC 4180)', () => {
  it('quotes only fields that need it, doubling inner quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvDocument(['a', 'b'], [['1', '2']])).toBe('a,b\r\n1,2\r\n');
  });

  it('round-trips any table', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', ' ', 'é', '=') });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }).chain((width) => fc.tuple(fc.array(cell, { minLength: width, maxLength: width }), fc.array(fc.array(cell, { minLength: width, maxLength: width })))), ([header, rows]) => {
        expect(parseCsv(csvDocument(header, rows))).toEqual([header, ...rows]);
      }),
    );
  });

  it('rejects a row of the wrong width instead of shifting columns', () => {
    expect(() => csvDocument(['a', 'b'], [['1']])).toThrow(/1 cells/);
  });

  it('treats = + - @ TAB CR as formula starts, but not plain numbers', () => {
    for (const value of ['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\tx', '\rx']) expect(looksLikeFormula(value), value).toBe(true);
    for (const value of ['-5', '-1.25', '1e5', 'a=b', '', 'Vietnam']) expect(looksLikeFormula(value), value).toBe(false);
    expect(neutraliseFormula("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    expect(neutraliseFormula('Sales')).toBe('Sales');
  });
});

/** java.util.Properties#load for one value (after the separator), for the round trip. */
function loadJavaValue(escaped: string): string {
  let out = '';
  for (let i = 0; i < escaped.length; i += 1) {
    const char = escaped[i];
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = escaped[++i];
    if (next === 'u') {
      out += String.fromCharCode(parseInt(escaped.slice(i + 1, i + 5), 16));
      i += 4;
    } else out += { t: '\t', n: '\n', r: '\r', f: '\f' }[next] ?? next;
  }
  return out;
}

describe('.properties (Java rules)', () => {
  it('escapes what java.util.Properties#store escapes', () => {
    expect(propertiesValue('GMT-08:00')).toBe('GMT-08\\:00');
    expect(propertiesValue(' lead')).toBe('\\ lead');
    expect(propertiesValue('a b')).toBe('a b');
    expect(propertiesValue('#!=\\')).toBe('\\#\\!\\=\\\\');
    expect(propertiesValue('Zoë')).toBe('Zo\\u00EB');
    expect(propertiesValue('line\nbreak')).toBe('line\\nbreak');
  });

  it('round-trips any value, on one line of printable ASCII', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const escaped = propertiesValue(value);
        expect(escaped).toMatch(/^[\x20-\x7e]*$/);
        expect(loadJavaValue(escaped)).toBe(value);
      }),
    );
  });

  it('writes one key=value line per entry', () => {
    expect(propertiesDocument(['title\nsecond'], [['Fullsync', 'true']])).toBe('# title second\nFullsync=true\n');
  });
});

describe('markdown', () => {
  it('keeps policy text inline and inert', () => {
    expect(mdText('a *b* [c](d)\n# e')).toBe('a \\*b\\* \\[c\\](d) \\# e');
    expect(mdText('<script>')).toBe('\\<script\\>');
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x')).toBe('`` `x ``');
  });
});
