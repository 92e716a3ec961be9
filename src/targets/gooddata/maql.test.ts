import { describe, expect, it } from 'vitest';
import { attributeRef, comparison, conjunction, DENY_ALL, elementRef, labelRef, MaqlError, stringLiteral } from './maql.js';
import { defaultCloudUserId } from './user-ids.js';

describe('MAQL quoting', () => {
  it('quotes string values with escaped quotes and backslashes', () => {
    expect(stringLiteral('Vietnam').text).toBe('"Vietnam"');
    expect(stringLiteral('O"Brien').text).toBe('"O\\"Brien"');
    expect(stringLiteral('a\\b').text).toBe('"a\\\\b"');
    expect(stringLiteral('a\\"} OR 1 = 1 {').text).toBe('"a\\\\\\"} OR 1 = 1 {"');
  });

  it('keeps an injected quote inside the literal', () => {
    const text = comparison(labelRef('country.name'), 'eq', [stringLiteral('x" OR "1" = "1')]).replace(/\\\\|\\"/g, '');
    // With every escape removed, exactly the two delimiting quotes are left.
    expect(text.match(/"/g)).toHaveLength(2);
  });

  it('refuses control characters, which MAQL cannot escape', () => {
    expect(() => stringLiteral('line\nbreak')).toThrow(MaqlError);
    expect(() => stringLiteral('nul\u0000')).toThrow(MaqlError);
  });

  it('accepts only valid label ids and URIs as identifiers', () => {
    expect(labelRef('region.name').text).toBe('{label/region.name}');
    expect(() => labelRef('region} OR {label/x')).toThrow(MaqlError);
    expect(() => labelRef('.hidden')).toThrow(MaqlError);
    expect(() => labelRef('x'.repeat(256))).toThrow(MaqlError);
    expect(attributeRef('/gdc/md/abc123/obj/1049').text).toBe('[/gdc/md/abc123/obj/1049]');
    expect(() => attributeRef('/gdc/md/abc123/obj/1049] OR [x')).toThrow(MaqlError);
    expect(elementRef('/gdc/md/abc123/obj/1049/elements?id=3').text).toBe('[/gdc/md/abc123/obj/1049/elements?id=3]');
    expect(() => elementRef('/gdc/md/abc123/obj/1049/elements?id=3]')).toThrow(MaqlError);
  });

  it('writes the four comparisons and AND, with deny-all and no OR', () => {
    const country = labelRef('country');
    expect(comparison(country, 'eq', [stringLiteral('VN')])).toBe('{label/country} = "VN"');
    expect(comparison(country, 'ne', [stringLiteral('VN')])).toBe('{label/country} <> "VN"');
    expect(comparison(country, 'in', [stringLiteral('SG'), stringLiteral('VN')])).toBe('{label/country} IN ("SG", "VN")');
    expect(comparison(country, 'not_in', [stringLiteral('SG'), stringLiteral('VN')])).toBe('{label/country} NOT IN ("SG", "VN")');
    expect(() => comparison(country, 'in', [])).toThrow(MaqlError);
    expect(() => comparison(country, 'eq', [stringLiteral('a'), stringLiteral('b')])).toThrow(MaqlError);
    expect(conjunction([])).toBeNull();
    expect(conjunction(['a = b'])).toBe('a = b');
    expect(conjunction(['a = b', 'c <> d'])).toBe('(a = b) AND (c <> d)');
    expect(DENY_ALL).toBe('1 <> 1');
  });
});

describe('GoodData Cloud user ids', () => {
  it('escapes logins into the id alphabet without collisions', () => {
    expect(defaultCloudUserId('ops@acme.com')).toBe('ops_40acme.com');
    expect(defaultCloudUserId('a_b')).toBe('a__b');
    expect(defaultCloudUserId('a_40')).not.toBe(defaultCloudUserId('a@'));
    expect(defaultCloudUserId('.x')).toBe('_2ex');
    expect(defaultCloudUserId('zoë')).toBe('zo_c3_ab');
    expect(defaultCloudUserId('ops@acme.com')).toMatch(/^(?!\.)[.A-Za-z0-9_-]{1,255}$/);
  });
});
