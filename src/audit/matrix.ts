import { describeFilters } from '../plan/access-diff-format.js';
import type { FilterCondition, FilterSnapshot } from '../plan/access-diff-types.js';
import { inMask, ruleApplies, type AccessProfile, type ProfileCondition } from './access-profile.js';
import { filterSetKind } from './filter-kind.js';
import { KeyTable } from './key-table.js';
import type { FilterSet } from './types.js';

/**
 * The access matrix, materialised: for every user and subject, the id of the filter set the
 * user gets (or -1 without access), with every distinct filter set built once. Only the
 * markdown, CSV and JSON reports need it (they print every cell); the HTML report computes its
 * cells in the browser and its counts come from access-counts.ts.
 *
 * A cell's filters depend only on which of the subject's rules apply to the user and on the
 * value ids the rules compare with (access-profile.ts), so cells are keyed by those integers
 * in an allocation-free hash table (key-table.ts), a subject (column) at a time, and each
 * distinct key's filters are composed from shared per-condition pieces. Which users may see a
 * subject and which rules apply follow SPEC 4 as `subjectAccess` does; the tests check the two
 * agree on every user and subject.
 */

export interface AccessMatrix {
  filterSets: FilterSet[];
  /** Row-major users x subjects (profile order), -1 = no access, else a filter-set id. */
  cells: Int32Array;
}

export function computeAccessMatrix(profile: AccessProfile): AccessMatrix {
  const { n, enabled, admin, bypass, values } = profile;
  const filterSets: FilterSet[] = [{ id: 0, subject: '', filters: [], kind: 'full', text: describeFilters([]) }];

  // One snapshot per condition and value set, shared by every filter set it appears in.
  const pieces = new Map<ProfileCondition, Map<number, FilterCondition>>();
  const piece = (c: ProfileCondition, u: number): FilterCondition => {
    const id = c.column >= 0 ? profile.columns[c.column].ids[u] : c.staticId;
    let byValue = pieces.get(c);
    if (!byValue) pieces.set(c, (byValue = new Map()));
    let snapshot = byValue.get(id);
    if (!snapshot) {
      // The key order of access-diff-snapshot.ts: field, operator, values, modifier, attribute.
      snapshot = { field: c.field, operator: c.operator };
      if (id >= 0) snapshot.values = values.values[id];
      const modifier = c.condition.modifier?.value;
      if (modifier) snapshot.modifier = { unit: modifier.unit, amount: modifier.amount };
      if (c.column >= 0) snapshot.attribute = profile.columns[c.column].attribute;
      byValue.set(id, snapshot);
    }
    return snapshot;
  };
  const singles = new Map<FilterCondition, FilterSnapshot>();

  const width = profile.subjects.length;
  const cells = new Int32Array(n * width).fill(-1);
  for (let col = 0; col < width; col++) {
    const subject = profile.subjects[col];
    const rules = subject.rules;
    const columns = rules.map((r) => r.conditions.filter((c) => c.column >= 0).map((c) => profile.columns[c.column].ids));
    // The key of a cell: per rule, 1 if it applies (else 0), then the value id of each of its
    // attribute conditions (0 where the rule does not apply).
    const keyWidth = rules.reduce((w, _r, i) => w + 1 + columns[i].length, 0);
    const table = new KeyTable(Math.max(1, keyWidth));
    const key = new Int32Array(Math.max(1, keyWidth));
    const last = new Int32Array(Math.max(1, keyWidth));
    let lastId = -1;
    for (let u = 0; u < n; u++) {
      if (!enabled[u]) continue;
      if (!subject.open && !admin[u] && !inMask(profile, subject.grantMask, u)) continue;
      let id = 0;
      if (!bypass[u] && rules.length > 0) {
        let k = 0;
        let filtered = false;
        for (let r = 0; r < rules.length; r++) {
          const on = ruleApplies(profile, rules[r], u);
          filtered ||= on;
          key[k++] = on ? 1 : 0;
          for (const ids of columns[r]) key[k++] = on ? ids[u] : 0;
        }
        if (filtered) {
          // Consecutive users often share a key (no values at all, say): compare with the last first.
          let same = lastId >= 0;
          for (let i = 0; same && i < keyWidth; i++) same = key[i] === last[i];
          id = same ? lastId : table.get(key);
          if (id < 0) {
            const filters: FilterSnapshot[] = [];
            for (const rule of rules) {
              if (!ruleApplies(profile, rule, u)) continue;
              if (rule.def.isAny) filters.push({ rule: rule.def.name, any: rule.conditions.map((c) => piece(c, u)) });
              else {
                const p = piece(rule.conditions[0], u);
                let single = singles.get(p);
                if (!single) singles.set(p, (single = { rule: rule.def.name, ...p }));
                filters.push(single);
              }
            }
            id = filterSets.length;
            filterSets.push({ id, subject: subject.name, filters, kind: filterSetKind(filters), text: describeFilters(filters) });
            table.set(key, id);
          }
          if (!same) {
            last.set(key);
            lastId = id;
          }
        }
      }
      cells[u * width + col] = id;
    }
  }
  return { filterSets, cells };
}
