import { describe, expect, it } from 'vitest';
import { locate, locateKey } from './locate.js';
import { parseYamlDocuments } from './parse-yaml.js';
import { itemLocIn, keyLocIn, valueLocIn } from './positions.js';

const parse = (text: string) => {
  const { documents, diagnostics } = parseYamlDocuments('p.yaml', text);
  expect(diagnostics).toEqual([]);
  return documents[0];
};
const at = (line: number, column: number) => ({ file: 'p.yaml', line, column });

describe('packed positions', () => {
  it('gives the same positions through the NodeLocs view and the single look-ups', () => {
    const doc = parse('a:\n  b: [x, "y"]\n  c: 1\n');
    const a = (doc.value as { a: { b: string[] } }).a;
    const locs = doc.locs.get(a)!;
    expect(locs.self).toEqual(at(2, 3));
    expect([...locs.entries!]).toEqual([
      ['b', { key: at(2, 3), value: at(2, 6) }],
      ['c', { key: at(3, 3), value: at(3, 6) }],
    ]);
    expect(keyLocIn(doc.locs, a, 'c')).toEqual(at(3, 3));
    expect(valueLocIn(doc.locs, a, 'c')).toEqual(at(3, 6));
    expect(keyLocIn(doc.locs, a, 'missing')).toBeUndefined();
    expect(doc.locs.get(a.b)!.items).toEqual([at(2, 7), at(2, 10)]);
    expect(itemLocIn(doc.locs, a.b, 1)).toEqual(at(2, 10));
    expect(itemLocIn(doc.locs, a.b, 2)).toBeUndefined();
  });

  it('finds keys of large mappings (indexed look-up) in source order', () => {
    const names = Array.from({ length: 50 }, (_, i) => `k${i}`);
    const doc = parse(names.map((name) => `${name}: v\n`).join(''));
    expect(locateKey(doc, ['k37'])).toEqual(at(38, 1));
    expect(locate(doc, ['k37'])).toEqual(at(38, 6));
    expect([...doc.locs.get(doc.value as object)!.entries!.keys()]).toEqual(names);
  });

  it('gives the same answers whether a large mapping is read in order, backwards or with misses', () => {
    const names = Array.from({ length: 30 }, (_, i) => `k${i}`);
    const doc = parse(names.map((name) => `${name}: v\n`).join(''));
    const root = doc.value as object;
    const expected = names.map((_, i) => at(i + 1, 1));
    expect(names.map((name) => keyLocIn(doc.locs, root, name))).toEqual(expected);
    expect([...names].reverse().map((name) => keyLocIn(doc.locs, root, name))).toEqual([...expected].reverse());
    expect(keyLocIn(doc.locs, root, 'k30')).toBeUndefined();
    expect(names.map((name) => valueLocIn(doc.locs, root, name))).toEqual(names.map((name, i) => at(i + 1, name.length + 3)));
  });

  it('places an empty value just after its key, on the key line even when the key text is folded', () => {
    expect(locate(parse('a:\nbb:\n'), ['bb'])).toEqual(at(2, 3));
    expect(locate(parse('"a\\tb":\n'), ['a\tb'])).toEqual(at(1, 4));
    // The flow key "a b" is written over two lines: its value's column stays on line 1.
    expect(locate(parse('{ a\n  b: }\n'), ['a b'])).toEqual(at(1, 6));
  });

  it('points a duplicate key back at the first one', () => {
    const { diagnostics } = parseYamlDocuments('p.yaml', 'a: 1\nb: 2\na: 3\n');
    expect(diagnostics.map((d) => [d.code, d.loc.line, d.related?.[0]?.loc.line])).toEqual([['E-YAML-DUPLICATE-KEY', 3, 1]]);
  });
});
