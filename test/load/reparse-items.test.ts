import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseYamlDocuments } from '../../src/load/parse-yaml.js';
import { reparseItems } from '../../src/load/reparse-items.js';
import type { LoadedDocument, YamlValue } from '../../src/load/types.js';

/**
 * The incremental re-parse must give exactly what a parse of the whole new text gives: values,
 * and the position of every collection, key, value and item. Random edit sequences (in items,
 * between them, of structure, of indentation, with anchors, syntax errors, duplicate keys)
 * run against both; where the re-parse declines (null), the whole file is parsed, as watch does.
 */

/** Every position of a document, as plain data: collection path -> self, entries and items. */
function positions(doc: LoadedDocument): unknown[] {
  const out: unknown[] = [['doc', doc.loc]];
  const walk = (node: YamlValue, path: string) => {
    if (node === null || typeof node !== 'object') return;
    const locs = doc.locs.get(node);
    out.push([path, 'self', locs?.self]);
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        out.push([path, i, locs?.items?.[i]]);
        walk(item, `${path}/${i}`);
      });
    } else {
      const entries = locs?.entries;
      for (const key of Object.keys(node)) {
        out.push([path, key, entries?.get(key)]);
        walk(node[key]!, `${path}/${key}`);
      }
    }
  };
  walk(doc.value, '');
  return out;
}

const users = (n: number) =>
  `users:\n${Array.from({ length: n }, (_, i) => `  user${i}@example.com:\n    groups: [g${i % 3}, g${(i + 1) % 3}]\n${i % 3 === 0 ? `    attributes: { region: [r${i}] }\n` : ''}`).join('')}`;

const START = `# people\n${users(8)}groups:\n  g0: { roles: [user] }\n  g1:\n    inherits: [g0]\n`;

/** Edits as (what, where, payload); `where` picks a line. */
type Edit = [kind: number, where: number, payload: number];

const SNIPPETS = [
  '    name: Ann\n',
  '  new@example.com:\n    groups: [g1]\n',
  '    disabled: true\n',
  '  user1@example.com:\n    groups: [g2]\n', // a duplicate key, once user1 exists elsewhere
  '    groups: [g9, g8, g7]\n',
  '\n',
  '  # a comment\n',
  '# a comment at column 1\n',
  '  x: &a [1]\n  y: *a\n',
  '   misindented: 1\n',
  '    bad: [unclosed\n',
  '    home: { dashboard: d }\n',
  'settings:\n  default_group: g0\n',
  '  "quoted key":\n    groups: []\n',
  '    note: |\n      line one\n      line two\n',
  '  empty@example.com:\n',
  '\t  tab: 1\n',
  '  ---\n',
];

function apply(text: string, edit: Edit, eol: string): string {
  return applyLf(text, edit).replace(/\r?\n/g, eol);
}

function applyLf(text: string, [kind, where, payload]: Edit): string {
  const lines = text.split('\n');
  const at = where % Math.max(1, lines.length);
  const pos = lines.slice(0, at).join('\n').length + (at > 0 ? 1 : 0);
  switch (kind % 6) {
    case 0: // insert a snippet before a line
      return text.slice(0, pos) + SNIPPETS[payload % SNIPPETS.length] + text.slice(pos);
    case 1: // delete a line
      return [...lines.slice(0, at), ...lines.slice(at + 1)].join('\n');
    case 2: {
      // change a character inside a line
      const line = lines[at] ?? '';
      if (line.length === 0) return text;
      const c = payload % line.length;
      lines[at] = line.slice(0, c) + 'xyz:, '[payload % 6] + line.slice(c + 1);
      return lines.join('\n');
    }
    case 3: // replace a group name (the benchmark's kind of edit)
      return text.replace(/\[g\d/, `[g${payload % 10}`);
    case 4: // delete a run of characters
      return text.slice(0, pos) + text.slice(Math.min(text.length, pos + (payload % 40)));
    default: // append at the end
      return text + SNIPPETS[payload % SNIPPETS.length];
  }
}

describe('reparseItems', () => {
  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('gives what a parse of the whole new text gives, after every edit of random sequences (%s)', (_, eol) => {
    let incremental = 0;
    let steps = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 12 }), (edits) => {
        let text = START.replace(/\n/g, eol);
        let full = parseYamlDocuments('u.yaml', text);
        let docs = full.documents;
        let clean = full.diagnostics.length === 0 && docs.length === 1;
        for (const edit of edits) {
          const next = apply(text, edit, eol);
          const reference = parseYamlDocuments('u.yaml', next);
          const reparsed = clean && next !== text ? reparseItems(text, next, docs[0]) : null;
          steps++;
          if (reparsed) {
            incremental++;
            // Declining is always allowed; answering means the whole parse has nothing to say either.
            expect(reference.diagnostics).toEqual([]);
            expect(reference.documents.length).toBe(1);
            expect(reparsed.document.value).toEqual(reference.documents[0].value);
            expect(JSON.stringify(Object.keys(reparsed.document.value as object))).toBe(JSON.stringify(Object.keys(reference.documents[0].value as object)));
            expect(positions(reparsed.document)).toEqual(positions(reference.documents[0]));
            docs = [reparsed.document];
          } else {
            full = reference;
            docs = full.documents;
          }
          clean = reparsed !== null || (reference.diagnostics.length === 0 && docs.length === 1);
          text = next;
        }
      }),
      { numRuns: Number(process.env.REPARSE_RUNS ?? 300) },
    );
    // The test must exercise the incremental path, not only its refusals.
    expect(incremental).toBeGreaterThan(steps / 10);
  });

  it('re-parses only the edited user of a users file and reports the edit', () => {
    const text = users(5);
    const [doc] = parseYamlDocuments('u.yaml', text).documents;
    const next = text.replace('user2@example.com:\n    groups: [g2, g0]', 'user2@example.com:\n    groups: [g1]\n    name: Bo');
    const result = reparseItems(text, next, doc)!;
    expect(result.edit).toEqual({
      section: 'users',
      removed: ['user2@example.com'],
      added: ['user2@example.com'],
      lineDelta: 1,
      after: ['user3@example.com', 'user4@example.com'],
      sectionsAfter: false,
    });
    expect(positions(result.document)).toEqual(positions(parseYamlDocuments('u.yaml', next).documents[0]));
  });

  it('gives a line added at the end of a user to that user', () => {
    const text = users(4);
    const next = text.replace('    groups: [g1, g2]\n', '    groups: [g1, g2]\n    name: Al\n');
    const result = reparseItems(text, next, parseYamlDocuments('u.yaml', text).documents[0])!;
    expect(result.edit.removed).toEqual(['user1@example.com', 'user2@example.com']);
    expect(result.edit.added).toEqual(['user1@example.com', 'user2@example.com']);
    expect(positions(result.document)).toEqual(positions(parseYamlDocuments('u.yaml', next).documents[0]));
  });

  it('declines edits it cannot prove local: structure, anchors, indentation, duplicates, errors', () => {
    const text = users(4);
    const doc = () => parseYamlDocuments('u.yaml', text).documents[0];
    expect(reparseItems(text, text.replace('users:', 'people:'), doc())).toBeNull();
    expect(reparseItems(text, text.replace('[g1, g2]', '&x [g1, g2]'), doc())).toBeNull();
    expect(reparseItems(text, text.replace('  user1@example.com:', 'user1@example.com:'), doc())).toBeNull();
    expect(reparseItems(text, text.replace('user1@example.com', 'user2@example.com'), doc())).toBeNull();
    expect(reparseItems(text, text.replace('[g1, g2]', '[g1, g2'), doc())).toBeNull();
    expect(reparseItems(text, `${text}---\nusers: {}\n`, doc())).toBeNull();
    // An empty key takes its mapping's position: the section's first key in the whole file.
    expect(reparseItems(text, text.replace('    groups: [g2, g0]', '  : groups: [g2, g0]'), doc())).toBeNull();
  });

  it('applies the nesting limit as the whole parse does', () => {
    const text = users(4);
    // Up to the limit the items are re-parsed; past it, the whole parse reports it.
    for (let depth = 1; depth <= 66; depth += depth < 58 ? 19 : 1) {
      const next = text.replace('    groups: [g1, g2]', `    groups: [g1, g2]\n    deep: ${'['.repeat(depth)}${']'.repeat(depth)}`);
      const whole = parseYamlDocuments('u.yaml', next);
      const result = reparseItems(text, next, parseYamlDocuments('u.yaml', text).documents[0]);
      if (whole.diagnostics.length > 0) expect(result).toBeNull();
      else expect(positions(result!.document)).toEqual(positions(whole.documents[0]));
    }
  });
});
