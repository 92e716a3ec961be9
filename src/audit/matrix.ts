import type { Condition, SubjectDef } from '../model/policy.js';
import { describeFilters } from '../plan/access-diff-format.js';
import { snapshotCondition } from '../plan/access-diff-snapshot.js';
import type { FilterCondition, FilterSnapshot } from '../plan/access-diff-types.js';
import { resolveCondition } from '../resolve/conditions.js';
import type { ResolvedModel, ResolvedUser } from '../resolve/model.js';
import { subjectIndex, type IndexedRule } from '../resolve/subject-index.js';
import { filterEffect, filterSetKind } from './filter-kind.js';
import { KeyTable } from './key-table.js';
import type { CellKind, FilterSet } from './types.js';

/**
 * The access matrix: for every user and subject, the filter set the user gets (or no access).
 *
 * 100,000 users x 300 subjects are 30 million cells, too many to ask `subjectAccess` for each.
 * A cell's filters depend only on which of the subject's rules apply to the user and on the
 * user's values of the attributes those rules compare with. So the matrix is filled a subject
 * (column) at a time from flat per-user arrays (flags, group membership, value-set ids), each
 * cell keyed by (applicable rules, value sets compared) in an allocation-free hash table
 * (key-table.ts), and each distinct key's filter set is
 * built once, from conditions resolved by the resolver (`resolveCondition`), and interned.
 * Which users may see a subject and which rules apply to them follow SPEC 4 exactly as
 * `subjectAccess` does; the tests check the two agree on every user and subject.
 */

export interface AccessMatrix {
  subjects: string[];
  logins: string[];
  filterSets: FilterSet[];
  /** Row-major, -1 = no access, else a filter-set id. */
  cells: Int32Array;
  /** subject -> users per colour. */
  counts: Map<string, Record<CellKind, number>>;
  /** rule -> users it applies to (with access, not bypassing) and how many of them it admits no row. */
  ruleUse: Map<string, { applied: number; denied: number }>;
}

interface PlannedRule {
  indexed: IndexedRule;
  /** Each condition with the index of the attribute it compares with (-1: static values or last/next). */
  conditions: { condition: Condition; attribute: number }[];
  /** The attribute indexes of the conditions: the part of the cell key this rule contributes. */
  attributes: number[];
}

export function computeAccessMatrix(model: ResolvedModel): AccessMatrix {
  const policy = model.policy;
  const index = subjectIndex(model);
  const subjects = [...policy.subjects.keys()].sort(compare);
  const logins = [...model.users.keys()];
  const users: ResolvedUser[] = logins.map((login) => model.users.get(login)!);
  const n = users.length;
  const filterSets: FilterSet[] = [{ id: 0, subject: '', filters: [], kind: 'full', text: describeFilters([]) }];
  const uses: number[] = [0];

  // Per-user flags, one pass.
  const enabled = new Uint8Array(n);
  const admin = new Uint8Array(n);
  const bypass = new Uint8Array(n);
  for (let u = 0; u < n; u++) {
    enabled[u] = users[u].enabled ? 1 : 0;
    admin[u] = users[u].admin ? 1 : 0;
    bypass[u] = users[u].bypassRowRules.value ? 1 : 0;
  }

  // Membership of the groups that matter (granted a subject, or named by an `applies_to`), one pass.
  const wanted = new Set<string>();
  for (const grants of index.grants.values()) for (const group of grants.keys()) wanted.add(group);
  for (const rules of index.rules.values()) for (const rule of rules) for (const group of rule.appliesTo?.groups ?? []) wanted.add(group);
  const members = new Map<string, Uint8Array>([...wanted].map((g) => [g, new Uint8Array(n)]));
  for (let u = 0; u < n; u++) {
    for (const group of users[u].groups.keys()) {
      const mask = members.get(group);
      if (mask) mask[u] = 1;
    }
  }
  const rowOf = new Map(logins.map((login, u) => [login, u]));
  const anyOf = (groups: Iterable<string>, extraUsers: Iterable<string> = []): Uint8Array => {
    const mask = new Uint8Array(n);
    for (const group of groups) {
      const m = members.get(group);
      if (m) for (let u = 0; u < n; u++) mask[u] |= m[u];
    }
    for (const login of extraUsers) {
      const u = rowOf.get(login);
      if (u !== undefined) mask[u] = 1;
    }
    return mask;
  };

  // Value-set ids per compared attribute and user: by content (the resolver may build a fresh
  // value object per user), with the object identity as a cache in front.
  const attributeIndex = new Map<string, number>();
  const attributeOf = (name: string) => {
    let i = attributeIndex.get(name);
    if (i === undefined) attributeIndex.set(name, (i = attributeIndex.size));
    return i;
  };
  const plan = (name: string) => {
    const def = policy.subjects.get(name)!;
    const rules: PlannedRule[] = (index.rules.get(name) ?? []).map((indexed) => {
      const conditions = indexed.def.conditions.map((condition) => ({
        condition,
        attribute: condition.attribute && !condition.modifier ? attributeOf(condition.attribute.value) : -1,
      }));
      return { indexed, conditions, attributes: conditions.filter((c) => c.attribute >= 0).map((c) => c.attribute) };
    });
    return { name, def, rules };
  };
  const plans = subjects.map(plan);
  const attributeNames = [...attributeIndex.keys()];
  const byObject = new WeakMap<object, number>();
  const byText = new Map<string, number>();
  const valueIds: Int32Array[] = attributeNames.map((attribute) => {
    const ids = new Int32Array(n);
    for (let u = 0; u < n; u++) {
      if (!enabled[u] || bypass[u]) continue;
      const value = users[u].attributes.get(attribute);
      if (value === undefined) continue;
      let id = byObject.get(value.value);
      if (id === undefined) {
        const v = value.value;
        const text = v.kind === 'all' ? 'all' : v.values.map((x) => `${typeof x}:${String(x)}`).join('\u0001');
        id = byText.get(text);
        if (id === undefined) byText.set(text, (id = byText.size + 1));
        byObject.set(value.value, id);
      }
      ids[u] = id;
    }
    return ids;
  });

  // A user's filters on a subject from memoized resolved conditions: the composition of
  // `subjectAccess` (applicable rules in name order, `any` rules as lists).
  const pieces = new Map<Condition, Map<number, FilterCondition>>();
  const piece = (entry: { condition: Condition; attribute: number }, def: SubjectDef, u: number): FilterCondition => {
    const valueId = entry.attribute < 0 ? 0 : valueIds[entry.attribute][u];
    let byValue = pieces.get(entry.condition);
    if (!byValue) pieces.set(entry.condition, (byValue = new Map()));
    let snapshot = byValue.get(valueId);
    if (!snapshot) byValue.set(valueId, (snapshot = snapshotCondition(resolveCondition(entry.condition, def, users[u]))));
    return snapshot;
  };

  // A one-condition rule's filter, shared by every filter set it appears in.
  const singles = new Map<Condition, Map<number, FilterSnapshot>>();
  const single = (rule: PlannedRule, def: SubjectDef, u: number): FilterSnapshot => {
    const entry = rule.conditions[0];
    const valueId = entry.attribute < 0 ? 0 : valueIds[entry.attribute][u];
    let byValue = singles.get(entry.condition);
    if (!byValue) singles.set(entry.condition, (byValue = new Map()));
    let filter = byValue.get(valueId);
    if (!filter) byValue.set(valueId, (filter = { rule: rule.indexed.def.name, ...piece(entry, def, u) }));
    return filter;
  };

  const width = subjects.length;
  const cells = new Int32Array(n * width).fill(-1);
  const counts = new Map<string, Record<CellKind, number>>();
  const all = new Uint8Array(n).fill(1);

  for (let col = 0; col < width; col++) {
    const { name, def, rules } = plans[col];
    const open = !def.restricted && !policy.settings.enforceSubjectAccess;
    const granted = open ? all : anyOf(index.grants.get(name)?.keys() ?? []);
    const applying = rules.map((r) => (r.indexed.appliesTo ? anyOf(r.indexed.appliesTo.groups, r.indexed.appliesTo.users) : all));
    const columns = rules.map((r) => r.attributes.map((a) => valueIds[a]));
    // The key of a cell: per rule, 1 if it applies (else 0), then the value-set id of each of its
    // attributes (0 where the rule does not apply).
    const keyWidth = rules.reduce((w, r) => w + 1 + r.attributes.length, 0);
    const table = new KeyTable(keyWidth);
    const key = new Int32Array(keyWidth);
    const last = new Int32Array(keyWidth);
    let lastId = -1;
    const tally: Record<CellKind, number> = { full: 0, filtered: 0, denied: 0, none: 0 };

    for (let u = 0; u < n; u++) {
      if (!enabled[u] || !(admin[u] || granted[u])) {
        tally.none++;
        continue;
      }
      let id = 0;
      if (!bypass[u] && rules.length > 0) {
        let filtered = false;
        let k = 0;
        for (let r = 0; r < rules.length; r++) {
          const on = applying[r][u] === 1;
          filtered ||= on;
          key[k++] = on ? 1 : 0;
          for (const ids of columns[r]) key[k++] = on ? ids[u] : 0;
        }
        if (filtered) {
          // Consecutive users very often share a key (no values at all, say): compare with the last first.
          let same = lastId >= 0;
          for (let i = 0; same && i < keyWidth; i++) same = key[i] === last[i];
          id = same ? lastId : table.get(key);
          if (id < 0) {
            const filters: FilterSnapshot[] = [];
            for (let r = 0; r < rules.length; r++) {
              if (applying[r][u] !== 1) continue;
              const rule = rules[r];
              if (rule.indexed.def.isAny) filters.push({ rule: rule.indexed.def.name, any: rule.conditions.map((c) => piece(c, def, u)) });
              else if (rule.conditions.length > 0) filters.push(single(rule, def, u));
            }
            if (filters.length === 0) id = 0;
            else {
              id = filterSets.length;
              filterSets.push({ id, subject: name, filters, kind: filterSetKind(filters), text: describeFilters(filters) });
              uses.push(0);
            }
            table.set(key, id);
          }
          if (!same) {
            last.set(key);
            lastId = id;
          }
        }
      }
      cells[u * width + col] = id;
      uses[id]++;
      tally[filterSets[id].kind]++;
    }
    counts.set(name, tally);
  }

  const ruleUse = new Map<string, { applied: number; denied: number }>();
  for (const name of [...policy.rules.keys()].sort(compare)) ruleUse.set(name, { applied: 0, denied: 0 });
  for (const set of filterSets) {
    for (const filter of set.filters) {
      const use = ruleUse.get(filter.rule);
      if (!use) continue;
      use.applied += uses[set.id];
      if (filterEffect(filter) === 'nothing') use.denied += uses[set.id];
    }
  }
  return { subjects, logins, filterSets, cells, counts, ruleUse };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
