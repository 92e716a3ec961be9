import type { Loc } from '../diagnostics/diagnostic.js';
import type { Provenance } from '../resolve/model.js';
import { indexMembersLists, membershipsOf } from '../resolve/membership.js';
import { formatHome } from './facts.js';
import { describeProvenance, formatLoc } from './provenance-text.js';
import type { AuditReport } from './types.js';

/**
 * The data the HTML report's script renders (html-model-script.ts reads it), embedded in the
 * page. It holds the FACTORS of access, not the 30 million cells of a 100,000-user matrix:
 *  - per group: the groups it inherits and its attribute values, each with why (shared by all
 *    its members);
 *  - per subject: who is granted it and its rules as condition templates;
 *  - the distinct value sets (`V`: [state 0 none / 1 some / 2 all, text]) and the unions of
 *    two value sets the users' groups need (`UP`: flat a, b, a∪b);
 *  - per user only what is the user's own: login, name, flags, direct groups and own
 *    attribute values with file:line, a roles entry, home, and the counts per colour.
 * The browser folds a user's values and computes a cell when it is shown, exactly as
 * access-profile.ts does on the server; the tests run that script against the resolver.
 * Every string goes once into the table `S` and is referred to by index.
 */

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

/** Yields the embedded JSON in chunks: the head, then users in batches. */
export function* htmlDataChunks(report: AuditReport): Generator<string> {
  const S = new StringTable();
  const profile = report.profile;
  const { policy, values, groupNames } = profile;
  // Provenance objects are shared by every user who got a fact the same way: describe each once.
  const described = new WeakMap<Provenance, number>();
  const why = (p: Provenance): number => {
    let id = described.get(p);
    if (id === undefined) described.set(p, (id = S.id(describeProvenance(p))));
    return id;
  };
  const locKey = (p: Provenance) => S.id('loc' in p && p.loc ? `${p.loc.file}:${p.loc.line}:${p.loc.column}` : JSON.stringify(p));
  const attributeIndex = new Map(profile.attributeNames.map((a, i) => [a, i]));

  const groups = groupNames.map((name) => {
    const ancestors: number[] = [];
    for (const [ancestor, via] of profile.graph.ancestors(name)) ancestors.push(profile.groupId.get(ancestor)!, why(via.because));
    const own: unknown[] = [];
    for (const [attribute, value] of profile.attributes.ofGroup(name)) {
      const i = attributeIndex.get(attribute);
      if (i === undefined) continue;
      own.push([i, values.id(value.value), value.because.flatMap((p) => [why(p), locKey(p)])]);
    }
    return [S.id(name), ancestors, own];
  });
  const attributes = profile.attributeNames.map((name) => {
    const def = policy.attributes.get(name);
    const system = !def;
    const reason = def ? why({ source: 'attribute-default', attribute: name, loc: def.defaultLoc }) : -1;
    return [S.id(name), profile.attributeDefaults[attributeIndex.get(name)!], reason, system ? 1 : 0];
  });
  const columns = profile.columns.map((column) => {
    const retype: number[] = [];
    if (column.retype) {
      const base = profile.attributeIds[attributeIndex.get(column.attribute)!];
      const seen = new Set<number>();
      for (let u = 0; u < profile.n; u++) {
        if (seen.has(base[u])) continue;
        seen.add(base[u]);
        retype.push(base[u], column.ids[u]);
      }
    }
    return [attributeIndex.get(column.attribute)!, column.retype ? retype : null];
  });
  const subjects = report.subjects.map((s, j) => {
    const plan = profile.subjects[j];
    return {
      n: s.name,
      d: s.description ?? '',
      r: s.restricted,
      o: plan.open,
      t: s.table ?? '',
      at: formatLoc(s.loc),
      g: s.grantedTo.map((g) => [g.group, formatLoc(g.loc)]),
      gr: plan.grants,
      ru: s.rules.map((r) => [r.name, r.text, formatLoc(r.loc)]),
      c: [s.counts.full, s.counts.filtered, s.counts.denied, s.counts.none],
      // The rules that filter, as the browser evaluates them (name order).
      p: plan.rules.map((rule) => {
        const def = rule.def;
        const applies = def.appliesTo ? [def.appliesTo.groups.map((g) => profile.groupId.get(g.value)!), def.appliesTo.users.map((u) => S.id(u.value))] : null;
        const conditions = rule.conditions.map((c) => {
          const modifier = c.condition.modifier?.value;
          const op = c.operator === 'in' || c.operator === 'eq' ? '' : `${c.operator} `;
          const text = modifier ? `${c.field} ${c.operator} ${modifier.amount} ${modifier.unit}` : `${c.field} ${op}`;
          return [c.column, c.staticId, c.effectClass, text];
        });
        return [def.name, def.isAny ? 1 : 0, applies, conditions];
      }),
    };
  });
  const unions: number[] = [];
  for (const [key, id] of profile.unions) unions.push(Math.floor(key / 0x100000000), key % 0x100000000, id);

  // Roles and permissions: users who got them the same way share one map; one entry each.
  const roleEntries: unknown[] = [];
  const roleIndex = new Map<object, number>();
  const rolesOf = (user: { roles: Map<string, Provenance[]>; permissions: string[] }): number => {
    let id = roleIndex.get(user.roles);
    if (id === undefined) {
      id = roleEntries.length;
      roleEntries.push([[...user.roles].map(([name, because]) => [S.id(name), because.map(why)]), user.permissions.map((p) => S.id(p))]);
      roleIndex.set(user.roles, id);
    }
    return id;
  };
  const homes = new WeakMap<object, number>();

  // The users, encoded before the head so that the head can hold the tables they fill.
  const membersIndex = indexMembersLists(policy);
  // `file,line` of a position, `-1,0` where formatLoc prints nothing (built-in facts).
  const loc = (l: Loc): string => (l.file === '<builtin>' || l.line <= 0 ? '-1,0' : `${S.id(l.file)},${l.line}`);
  const systemAttributes = profile.attributeNames.map((name, i) => (policy.attributes.has(name) ? -1 : i)).filter((i) => i >= 0);
  const users: string[] = [];
  let batch = '';
  const counts = report.userCounts;
  for (let row = 0; row < profile.n; row++) {
    const login = profile.logins[row];
    const user = report.model.users.get(login)!;
    const def = policy.users.get(login)!;
    const flags = (user.enabled ? 1 : 0) | (user.admin ? 2 : 0) | (user.bypassRowRules.value ? 4 : 0) | (user.apiKeysEnabled.value ? 8 : 0);
    // Direct groups with the user's own reasons: 0 = listed on the user, 1 = a group's members list.
    let direct = '';
    let own = '';
    let system = '';
    if (user.enabled) {
      for (const ref of def.groups) direct += `${direct ? ',' : ''}0,${profile.groupId.get(ref.value)},${loc(ref.loc)}`;
      for (const m of membershipsOf(membersIndex, login)) direct += `${direct ? ',' : ''}1,${profile.groupId.get(m.group)},${loc(m.loc)}`;
      if (def.attributes.size > 0) {
        for (const [name, assignment] of def.attributes) {
          const i = attributeIndex.get(name);
          if (i === undefined || !policy.attributes.has(name)) continue;
          own += `${own ? ',' : ''}${i},${profile.attributeIds[i][row]},${loc(assignment.loc)}`;
        }
      }
      for (const i of systemAttributes) system += `${system ? ',' : ''}${i},${profile.attributeIds[i][row]}`;
    }
    let home = -1;
    if (user.home) {
      const known = homes.get(user.home);
      home = known ?? S.id(formatHome(user.home.value));
      if (known === undefined) homes.set(user.home, home);
    }
    const at = row * 4;
    batch += `${row === 0 ? '' : ','}[${S.id(login)},${user.name === undefined ? -1 : S.id(user.name)},${flags},[${direct}],${rolesOf(user)},${home},[${counts[at]},${counts[at + 1]},${counts[at + 2]},${counts[at + 3]}],[${own}],[${system}]]`;
    if (batch.length > 1 << 16) {
      users.push(batch);
      batch = '';
    }
  }
  users.push(batch);

  const head = {
    date: report.date,
    counts: report.counts,
    findings: report.findings.map((f) => [f.severity, f.kind, f.target, f.message, formatLoc(f.loc)]),
    subjects,
    keys: report.apiKeys.map((k) => [k.name, k.user, k.expires ?? '', k.valid, k.problems.join('; '), k.description ?? '', formatLoc(k.loc)]),
    admins: report.admins,
    bypass: report.bypass,
    groups,
    defaultGroup: profile.groupId.get(policy.settings.defaultGroup)!,
    defaultReason: why({ source: 'default-group', group: policy.settings.defaultGroup, loc: policy.settings.locs.defaultGroup }),
    attributes,
    columns,
    V: values.values.map((_, id) => [values.state[id], values.text(id)]),
    UP: unions,
    R: roleEntries,
  };
  const headText = JSON.stringify(head);
  yield `${escapeScript(headText.slice(0, -1))},"users":[`;
  // Users are numbers only (their strings are in S): nothing to escape.
  yield* users;
  yield `],"S":${escapeScript(JSON.stringify(S.list))}}`;
}

/** JSON inside <script>: `<` never appears raw, so no string can close the script or open a comment. */
export function escapeScript(json: string): string {
  return json.replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
