import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a synthetic organisation as a warden project, for benchmarks: by default the size
 * issue 2 names (100,000 users in 10 files, 2,000 groups with inheritance chains, 300 subjects,
 * 50 attributes, 1,000 rules). Deterministic: the same options give the same bytes.
 */
export interface OrgSize {
  users: number;
  userFiles: number;
  groups: number;
  subjects: number;
  attributes: number;
  rules: number;
}

export const FULL_ORG: OrgSize = { users: 100_000, userFiles: 10, groups: 2_000, subjects: 300, attributes: 50, rules: 1_000 };

/** Small deterministic PRNG (mulberry32), so runs are comparable. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const attributeName = (i: number) => `attr_${String(i).padStart(2, '0')}`;
const groupName = (i: number) => `group_${String(i).padStart(4, '0')}`;
const subjectName = (i: number) => `subject_${String(i).padStart(3, '0')}`;
const valueOf = (attribute: number, v: number) => (attribute % 5 === 0 ? String(v) : `value_${v}`);

export function generateOrg(root: string, size: OrgSize = FULL_ORG, seed = 42): { files: string[]; bytes: number } {
  const random = prng(seed);
  const pick = (n: number) => Math.floor(random() * n);
  /** Two draws, without repeats (lists in policies must not repeat an item). */
  const distinct = (draw: () => string) => [...new Set([draw(), draw()])].join(', ');
  const policies = path.join(root, 'policies');
  mkdirSync(policies, { recursive: true });
  const files: string[] = [];
  let bytes = 0;
  const write = (name: string, text: string) => {
    writeFileSync(path.join(policies, name), text);
    files.push(`policies/${name}`);
    bytes += Buffer.byteLength(text);
  };
  writeFileSync(path.join(root, 'warden.yaml'), 'version: 1\npolicies: [policies]\n');

  // Attributes: every fifth is an integer, the rest strings.
  let text = 'attributes:\n';
  for (let a = 0; a < size.attributes; a++) text += `  ${attributeName(a)}: { type: ${a % 5 === 0 ? 'integer' : 'string'} }\n`;
  write('attributes.yaml', text);

  // Subjects with a field per attribute they are filtered on.
  text = 'subjects:\n';
  for (let s = 0; s < size.subjects; s++) {
    text += `  ${subjectName(s)}:\n    restricted: ${s % 3 === 0}\n    table: public.${subjectName(s)}\n    fields:\n`;
    for (let f = 0; f < 3; f++) {
      const a = (s + f * 7) % size.attributes;
      text += `      ${attributeName(a)}: { column: c_${attributeName(a)}, type: ${a % 5 === 0 ? 'integer' : 'string'} }\n`;
    }
  }
  write('subjects.yaml', text);

  // Groups in chains of up to 10: group i inherits group i-1 unless it starts a chain.
  text = 'groups:\n';
  for (let g = 0; g < size.groups; g++) {
    text += `  ${groupName(g)}:\n`;
    if (g % 10 !== 0) text += `    inherits: [${groupName(g - 1)}]\n`;
    if (g % 4 === 0) text += `    subjects: [${distinct(() => subjectName(pick(size.subjects)))}]\n`;
    if (g % 2 === 0) {
      const a = pick(size.attributes);
      text += `    attributes: { ${attributeName(a)}: [${distinct(() => valueOf(a, pick(100)))}] }\n`;
    }
  }
  write('groups.yaml', text);

  // Rules: one per subject field up to the count, in/not_in against attributes.
  text = 'rules:\n';
  for (let r = 0; r < size.rules; r++) {
    const s = r % size.subjects;
    const f = Math.floor(r / size.subjects) % 3;
    const a = (s + f * 7) % size.attributes;
    text += `  rule_${String(r).padStart(4, '0')}:\n    subject: ${subjectName(s)}\n    field: ${attributeName(a)}\n    operator: ${r % 10 === 9 ? 'not_in' : 'in'}\n    attribute: ${attributeName(a)}\n`;
  }
  write('rules.yaml', text);

  // Users spread over files; each in 1-3 groups, some with their own attribute values.
  const perFile = Math.ceil(size.users / size.userFiles);
  for (let file = 0; file < size.userFiles; file++) {
    text = 'users:\n';
    for (let u = file * perFile; u < Math.min(size.users, (file + 1) * perFile); u++) {
      const groups = Array.from({ length: 1 + pick(3) }, () => groupName(pick(size.groups)));
      text += `  user${u}@example.com:\n    groups: [${[...new Set(groups)].join(', ')}]\n`;
      if (u % 7 === 0) {
        const a = pick(size.attributes);
        text += `    attributes: { ${attributeName(a)}: ${u % 49 === 0 ? 'all' : `[${valueOf(a, pick(100))}]`} }\n`;
      }
      if (u % 997 === 0) text += '    disabled: true\n';
    }
    write(`users-${String(file).padStart(2, '0')}.yaml`, text);
  }
  return { files, bytes };
}
