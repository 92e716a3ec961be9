import { describeProvenance, formatLoc } from './provenance-text.js';
import { formatHome } from './facts.js';
import type { Provenance } from '../resolve/model.js';
import type { AuditReport } from './types.js';

/**
 * The data the HTML report's script renders, encoded compactly because it is embedded in the
 * page: every string goes once into a table `S` and is referred to by index, and each user's
 * row of the access matrix is a short string with a fixed number of characters per subject.
 *
 * Access codes per subject: 0 = no access, 1 = filter set 0 (no row filters), 2 + k = the k-th
 * filter set of that subject (`subjects[j].sets[k]`), written in base 88 over ALPHABET with
 * `subjects[j].w` digits. The alphabet leaves out `"`, `\` and `<` so the strings need no
 * escaping in JSON or inside <script>.
 */
export const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+,-./:;=?@[]^_{|}~';
const BASE = ALPHABET.length;

export class StringTable {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  id(text: string): number {
    let id = this.index.get(text);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(text);
      this.index.set(text, id);
    }
    return id;
  }
}

const KIND_CODE = { full: 0, filtered: 1, denied: 2 } as const;

/** Yields the embedded JSON in chunks: the head, then users in batches. */
export function* htmlDataChunks(report: AuditReport): Generator<string> {
  const S = new StringTable();
  const width = report.subjects.length;

  // Per subject: which filter sets it uses, and the local code of each.
  const localOf = new Int32Array(report.filterSets.length);
  const subjectSets: number[][] = report.subjects.map(() => []);
  const columnOf = new Map(report.subjects.map((s, j) => [s.name, j]));
  for (const set of report.filterSets) {
    if (set.id === 0) continue;
    const j = columnOf.get(set.subject);
    if (j === undefined) continue;
    localOf[set.id] = 2 + subjectSets[j].length;
    subjectSets[j].push(set.id);
  }
  const widths = subjectSets.map((sets) => digits(sets.length + 2));
  // Every code of every subject, pre-encoded as bytes: encoding 30 million cells must be a
  // table look-up into one reused buffer per row, not a string concatenation per cell.
  const encoded: Uint8Array[] = subjectSets.map((sets, j) => {
    const w = widths[j];
    const table = new Uint8Array((sets.length + 2) * w);
    for (let code = 0; code < sets.length + 2; code++) {
      const text = encode(code, w);
      for (let k = 0; k < w; k++) table[code * w + k] = text.charCodeAt(k);
    }
    return table;
  });
  const rowBytes = widths.reduce((a, b) => a + b, 0);
  const rowBuffer = Buffer.alloc(rowBytes);
  const kindCode = new Uint8Array(report.filterSets.map((f) => KIND_CODE[f.kind]));

  const head = {
    date: report.date,
    counts: report.counts,
    findings: report.findings.map((f) => [f.severity, f.kind, f.target, f.message, formatLoc(f.loc)]),
    subjects: report.subjects.map((s, j) => ({
      n: s.name,
      d: s.description ?? '',
      r: s.restricted,
      o: s.openToEveryone,
      t: s.table ?? '',
      at: formatLoc(s.loc),
      g: s.grantedTo.map((g) => [g.group, formatLoc(g.loc)]),
      ru: s.rules.map((r) => [r.name, r.text, formatLoc(r.loc)]),
      c: [s.counts.full, s.counts.filtered, s.counts.denied, s.counts.none],
      sets: subjectSets[j],
      w: widths[j],
    })),
    sets: report.filterSets.map((f) => [KIND_CODE[f.kind], f.text]),
    keys: report.apiKeys.map((k) => [k.name, k.user, k.expires ?? '', k.valid, k.problems.join('; '), k.description ?? '', formatLoc(k.loc)]),
    admins: report.admins,
    bypass: report.bypass,
  };
  const headText = JSON.stringify(head);
  yield `${escapeScript(headText.slice(0, -1))},"users":[`;

  const users = report.model.users;
  // Users who got a fact the same way share the provenance object: describe each once.
  const described = new WeakMap<Provenance, number>();
  const why = (p: Provenance): number => {
    let id = described.get(p);
    if (id === undefined) described.set(p, (id = S.id(describeProvenance(p))));
    return id;
  };
  let batch = '';
  for (let row = 0; row < report.logins.length; row++) {
    const user = users.get(report.logins[row])!;
    const flags = (user.enabled ? 1 : 0) | (user.admin ? 2 : 0) | (user.bypassRowRules.value ? 4 : 0) | (user.apiKeysEnabled.value ? 8 : 0);
    let groups = '';
    for (const [name, because] of user.groups) groups += `${groups ? ',' : ''}${S.id(name)}:${because.map((p) => why(p)).join('.')}`;
    let roles = '';
    for (const [name, because] of user.roles) roles += `${roles ? ',' : ''}${S.id(name)}:${because.map((p) => why(p)).join('.')}`;
    const permissions = user.permissions.map((p) => S.id(p)).join(',');
    let attributes = '';
    if (user.enabled) {
      for (const [name, value] of user.attributes) {
        if (name.startsWith('user.')) continue;
        const v = value.value;
        if (v.kind === 'values' && v.values.length === 0) continue;
        const text = v.kind === 'all' ? 'all' : v.values.map(String).join(', ');
        attributes += `${attributes ? ',' : ''}${S.id(name)}=${S.id(text)}:${value.because.map((p) => why(p)).join('.')}`;
      }
    }
    const counts = [0, 0, 0, 0];
    const base = row * width;
    let at = 0;
    for (let j = 0; j < width; j++) {
      const id = report.matrix[base + j];
      const code = id < 0 ? 0 : id === 0 ? 1 : localOf[id];
      const w = widths[j];
      const table = encoded[j];
      for (let k = 0; k < w; k++) rowBuffer[at++] = table[code * w + k];
      counts[id < 0 ? 3 : kindCode[id]]++;
    }
    const access = rowBuffer.toString('latin1', 0, rowBytes);
    const record = [
      S.id(user.login),
      user.name === undefined ? -1 : S.id(user.name),
      flags,
      groups,
      roles,
      permissions,
      attributes,
      user.home ? S.id(formatHome(user.home.value)) : -1,
      access,
      counts.join(','),
    ];
    batch += `${row === 0 ? '' : ','}${JSON.stringify(record)}`;
    if (batch.length > 1 << 16) {
      yield escapeScript(batch);
      batch = '';
    }
  }
  yield escapeScript(batch);
  yield `],"S":${escapeScript(JSON.stringify(S.list))}}`;
}

function digits(count: number): number {
  let width = 1;
  while (BASE ** width < count) width++;
  return width;
}

function encode(code: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = ALPHABET[code % BASE] + out;
    code = Math.floor(code / BASE);
  }
  return out;
}

/** JSON inside <script>: `<` never appears raw, so no string can close the script or open a comment. */
export function escapeScript(json: string): string {
  return json.replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
