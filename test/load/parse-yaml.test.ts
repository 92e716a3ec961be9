import { describe, expect, it } from 'vitest';
import { parseYamlDocuments } from '../../src/load/parse-yaml.js';
import { locate, locateKey } from '../../src/load/locate.js';

const codes = (text: string) => parseYamlDocuments('p.yaml', text).diagnostics.map((d) => [d.code, d.loc.line, d.loc.column]);

describe('parseYamlDocuments', () => {
  it('builds plain values with core-schema scalars and keeps dates as text', () => {
    const { documents, diagnostics } = parseYamlDocuments('p.yaml', 'a: 1\nb: 1.5\nc: true\nd: ~\ne: 2027-06-30\nf: "1"\ng: 0x1f\n');
    expect(diagnostics).toEqual([]);
    expect(documents[0].value).toEqual({ a: 1, b: 1.5, c: true, d: null, e: '2027-06-30', f: '1', g: 31 });
  });

  it('keeps the position of every key, value and item', () => {
    const { documents } = parseYamlDocuments('p.yaml', 'groups:\n  apac:\n    inherits: [staff, ops]\n');
    const doc = documents[0];
    expect(locate(doc, ['groups', 'apac', 'inherits', 1])).toMatchObject({ file: 'p.yaml', line: 3, column: 23 });
    expect(locateKey(doc, ['groups', 'apac'])).toMatchObject({ line: 2, column: 3 });
    // A path past what exists falls back to the deepest node that does.
    expect(locate(doc, ['groups', 'apac', 'members', 0])).toMatchObject({ line: 3, column: 5 });
  });

  it('reads several documents per file, each with its own positions', () => {
    const { documents } = parseYamlDocuments('p.yaml', 'a: 1\n---\nb: [x]\n');
    expect(documents.map((d) => d.value)).toEqual([{ a: 1 }, { b: ['x'] }]);
    expect(locate(documents[1], ['b', 0])).toMatchObject({ line: 3, column: 5 });
  });

  it('reports duplicate keys at the second key, pointing at the first', () => {
    const [d] = parseYamlDocuments('p.yaml', 'a: 1\nb: 2\na: 3\n').diagnostics;
    expect(d).toMatchObject({ code: 'E-YAML-DUPLICATE-KEY', loc: { line: 3, column: 1 } });
    expect(d.related?.[0].loc).toMatchObject({ line: 1, column: 1 });
  });

  it('refuses prototype-polluting keys', () => {
    expect(codes('a:\n  __proto__: {x: 1}\n  constructor: 1\n')).toEqual([
      ['E-YAML-FORBIDDEN-KEY', 2, 3],
      ['E-YAML-FORBIDDEN-KEY', 3, 3],
    ]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses unknown tags but accepts the core ones', () => {
    expect(codes('a: !foo bar\n')).toEqual([['E-YAML-UNKNOWN-TAG', 1, 4]]);
    expect(parseYamlDocuments('p.yaml', 'a: !!str 12\nb: !!int "7"\n').documents[0].value).toEqual({ a: '12', b: 7 });
    expect(codes('a: !!int x\n')).toEqual([['E-YAML-UNKNOWN-TAG', 1, 4]]);
  });

  it('stops alias bombs within the budget', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 7; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    const result = parseYamlDocuments('p.yaml', levels.join('\n'));
    expect(result.documents).toEqual([]);
    expect(result.diagnostics[0].code).toBe('E-YAML-ALIAS-BOMB');
  });

  it('copies aliased values instead of sharing them', () => {
    const { documents } = parseYamlDocuments('p.yaml', 'a: &l [x]\nb: *l\n');
    const value = documents[0].value as { a: string[]; b: string[] };
    expect(value.b).toEqual(['x']);
    expect(value.b).not.toBe(value.a);
  });

  it('refuses deep nesting, flow and block', () => {
    expect(codes(`a: ${'['.repeat(10_000)}${']'.repeat(10_000)}`)[0][0]).toBe('E-YAML-TOO-DEEP');
    const block = Array.from({ length: 100 }, (_, i) => `${' '.repeat(i * 2)}k:`).join('\n');
    expect(codes(block)[0][0]).toBe('E-YAML-TOO-DEEP');
  });

  it('reports syntax errors with positions, also after a BOM and with CRLF line ends', () => {
    expect(codes('a: [1, 2\nb: 3')).toEqual([['E-YAML-SYNTAX', 2, 1]]);
    expect(codes('\ufeffa: 1\r\nb: [1\r\nc: 2')).toEqual([['E-YAML-SYNTAX', 3, 1]]);
    expect(parseYamlDocuments('p.yaml', '\ufeffa: 1\r\nb: x\r\n').documents[0].value).toEqual({ a: 1, b: 'x' });
  });

  it('refuses complex keys and binary junk', () => {
    expect(codes('? [a]\n: 1\n')).toEqual([['E-YAML-COMPLEX-KEY', 1, 3]]);
    expect(codes('a: 1\nb: \u0000\u0001')).toEqual([['E-YAML-BINARY', 2, 4]]);
  });
});
