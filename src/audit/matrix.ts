import type { ResolvedModel, ResolvedUser } from '../resolve/model.js';
import { subjectAccess } from '../resolve/access.js';
import { subjectIndex, type IndexedRule } from '../resolve/subject-index.js';
import { snapshotFilters, snapshotsKey } from '../plan/access-diff-snapshot.js';
import { describeFilters } from '../plan/access-diff-format.js';
import { filterEffect, filterSetKind } from './filter-kind.js';
import type { CellKind, FilterSet } from './types.js';

/**
 * The access matrix: for every user and subject, the filter set the user gets (or no access).
 *
 * 100,000 users x 300 subjects are 30 million cells, too many to ask `subjectAccess` for each.
 * A cell's filters depend only on which of the subject's rules apply to the user and on the
 * user's values of the attributes those rules compare with, and the resolver shares one value
 * object among users who got their values the same way. So each cell is keyed by (applicable
 * rules, identity of those value objects); the resolver's `subjectAccess` is asked once per
 * distinct key, and the answer is interned. The resolver stays the only place that decides what
 * a filter is; this module only decides when two users must get the same answer.
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

interface SubjectPlan {
  name: string;
  /** Accessible to every enabled user. */
  open: boolean;
  grants: string[];
  rules: { indexed: IndexedRule; attributes: string[] }[];
  /** cell key -> filter-set id */
  interned: Map<string, number>;
}

export function computeAccessMatrix(model: ResolvedModel): AccessMatrix {
  const policy = model.policy;
  const index = subjectIndex(model);
  const subjects = [...policy.subjects.keys()].sort(compare);
  const logins = [...model.users.keys()];
  const filterSets: FilterSet[] = [{ id: 0, subject: '', filters: [], kind: 'full', text: describeFilters([]) }];
  const byContent = new Map<string, number>([['[]', 0]]);
  const uses: number[] = [0];

  const plans: SubjectPlan[] = subjects.map((name) => {
    const def = policy.subjects.get(name)!;
    return {
      name,
      open: !def.restricted && !policy.settings.enforceSubjectAccess,
      grants: [...(index.grants.get(name)?.keys() ?? [])],
      rules: (index.rules.get(name) ?? []).map((indexed) => ({
        indexed,
        attributes: indexed.def.conditions.filter((c) => c.attribute).map((c) => c.attribute!.value),
      })),
      interned: new Map(),
    };
  });

  const valueIds = new WeakMap<object, number>();
  let nextValueId = 1;
  const valueId = (user: ResolvedUser, attribute: string): number => {
    const value = user.attributes.get(attribute);
    if (value === undefined) return 0;
    let id = valueIds.get(value);
    if (id === undefined) valueIds.set(value, (id = nextValueId++));
    return id;
  };

  const width = subjects.length;
  const cells = new Int32Array(logins.length * width).fill(-1);
  const counts = new Map<string, Record<CellKind, number>>(subjects.map((s) => [s, { full: 0, filtered: 0, denied: 0, none: 0 }]));

  for (let row = 0; row < logins.length; row++) {
    const user = model.users.get(logins[row])!;
    if (!user.enabled) continue;
    const base = row * width;
    for (let col = 0; col < width; col++) {
      const plan = plans[col];
      if (!(user.admin || plan.open || plan.grants.some((g) => user.groups.has(g)))) continue;
      if (user.bypassRowRules.value) {
        cells[base + col] = 0;
        uses[0]++;
        continue;
      }
      let key = '';
      for (let r = 0; r < plan.rules.length; r++) {
        const rule = plan.rules[r];
        if (!applies(rule.indexed, user)) continue;
        key += `${r}:`;
        for (const attribute of rule.attributes) key += `${valueId(user, attribute)},`;
        key += ';';
      }
      let id = key === '' ? 0 : plan.interned.get(key);
      if (id === undefined) {
        const access = subjectAccess(model, user.login, plan.name);
        // The resolver is authoritative: if it disagrees about access, trust it and do not intern.
        if (!access.access) continue;
        const filters = snapshotFilters(access.filters);
        const content = `${plan.name}\u0000${snapshotsKey(filters)}`;
        id = filters.length === 0 ? 0 : byContent.get(content);
        if (id === undefined) {
          id = filterSets.length;
          filterSets.push({ id, subject: plan.name, filters, kind: filterSetKind(filters), text: describeFilters(filters) });
          byContent.set(content, id);
          uses.push(0);
        }
        plan.interned.set(key, id);
      }
      cells[base + col] = id;
      uses[id]++;
    }
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
  for (let col = 0; col < width; col++) {
    const tally = counts.get(subjects[col])!;
    for (let row = 0; row < logins.length; row++) {
      const id = cells[row * width + col];
      tally[id < 0 ? 'none' : filterSets[id].kind]++;
    }
  }
  return { subjects, logins, filterSets, cells, counts, ruleUse };
}

function applies(rule: IndexedRule, user: ResolvedUser): boolean {
  if (!rule.appliesTo) return true;
  if (rule.appliesTo.users.has(user.login)) return true;
  return rule.appliesTo.groups.some((g) => user.groups.has(g));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
