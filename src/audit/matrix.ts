import type { ResolvedModel, ResolvedUser } from '../resolve/model.js';
import { resolveCondition } from '../resolve/conditions.js';
import { subjectIndex, type IndexedRule } from '../resolve/subject-index.js';
import { snapshotCondition } from '../plan/access-diff-snapshot.js';
import type { FilterCondition, FilterSnapshot } from '../plan/access-diff-types.js';
import type { Condition, SubjectDef } from '../model/policy.js';
import { describeFilters } from '../plan/access-diff-format.js';
import { filterEffect, filterSetKind } from './filter-kind.js';
import type { CellKind, FilterSet } from './types.js';

/**
 * The access matrix: for every user and subject, the filter set the user gets (or no access).
 *
 * 100,000 users x 300 subjects are 30 million cells, too many to ask `subjectAccess` for each.
 * A cell's filters depend only on which of the subject's rules apply to the user and on the
 * user's values of the attributes those rules compare with. So each cell is keyed by
 * (applicable rules, the value sets of their attributes), packed in a number or as a trie of
 * small integers, and each distinct key's filter set is built once and interned. The resolver stays the only place that decides what
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
  def: SubjectDef;
  rules: PlannedRule[];
  /** Cell keys as a trie over small integers: (rule), then the value id of each of its attributes. */
  trie: TrieNode;
  /**
   * When the key fits in a double exactly (few rules and attributes), it is packed into one
   * number instead: a bit per rule (applies or not), then 12 bits per attribute value id (a
   * larger id sends that one cell to the trie, a separate key space).
   */
  packed: Map<number, number> | null;
  /** The last packed key seen and its id: consecutive users very often share a key (no values at all). */
  lastKey: number;
  lastId: number;
}

interface PlannedRule {
  indexed: IndexedRule;
  /** Each condition with the index of the attribute it compares with (-1: static values or last/next). */
  conditions: { condition: Condition; attribute: number }[];
  /** The attribute indexes of the conditions, the part of the cell key this rule contributes. */
  attributes: number[];
}

interface TrieNode {
  next: Map<number, TrieNode> | undefined;
  /** Filter-set id of the key ending here; -1 until asked. */
  id: number;
}

const PACK_BITS = 12;
const PACK_LIMIT = 2 ** PACK_BITS;

function child(node: TrieNode, key: number): TrieNode {
  if (!node.next) node.next = new Map();
  let next = node.next.get(key);
  if (!next) node.next.set(key, (next = { next: undefined, id: -1 }));
  return next;
}

export function computeAccessMatrix(model: ResolvedModel): AccessMatrix {
  const policy = model.policy;
  const index = subjectIndex(model);
  const subjects = [...policy.subjects.keys()].sort(compare);
  const logins = [...model.users.keys()];
  const filterSets: FilterSet[] = [{ id: 0, subject: '', filters: [], kind: 'full', text: describeFilters([]) }];
  const uses: number[] = [0];

  // Attributes compared by some rule, numbered so a user's value ids fit in one typed array.
  const attributeIndex = new Map<string, number>();
  const plans: SubjectPlan[] = subjects.map((name) => {
    const def = policy.subjects.get(name)!;
    return {
      name,
      open: !def.restricted && !policy.settings.enforceSubjectAccess,
      grants: [...(index.grants.get(name)?.keys() ?? [])],
      def,
      rules: (index.rules.get(name) ?? []).map((indexed) => {
        const conditions = indexed.def.conditions.map((condition) => {
          if (!condition.attribute || condition.modifier) return { condition, attribute: -1 };
          const attribute = condition.attribute.value;
          let i = attributeIndex.get(attribute);
          if (i === undefined) attributeIndex.set(attribute, (i = attributeIndex.size));
          return { condition, attribute: i };
        });
        return { indexed, conditions, attributes: conditions.filter((c) => c.attribute >= 0).map((c) => c.attribute) };
      }),
      trie: { next: undefined, id: -1 },
      packed: null,
      lastKey: -1,
      lastId: -1,
    };
  });
  for (const plan of plans) {
    const bits = plan.rules.reduce((n, r) => n + 1 + PACK_BITS * r.attributes.length, 0);
    if (bits <= 52) plan.packed = new Map();
  }
  const attributeNames = [...attributeIndex.keys()];

  // Value sets are identified by content (the resolver may build a fresh value object per user),
  // with the object identity as a cache in front: users sharing an object skip the hashing.
  const byObject = new WeakMap<object, number>();
  const byText = new Map<string, number>();
  const valueIdOf = (user: ResolvedUser, attribute: string): number => {
    const value = user.attributes.get(attribute);
    if (value === undefined) return 0;
    let id = byObject.get(value.value);
    if (id === undefined) {
      const v = value.value;
      const text = v.kind === 'all' ? 'all' : v.values.map((x) => `${typeof x}:${String(x)}`).join('\u0001');
      id = byText.get(text);
      if (id === undefined) byText.set(text, (id = byText.size + 1));
      byObject.set(value.value, id);
    }
    return id;
  };
  const userValueIds = new Int32Array(attributeNames.length);
  /** The current user's value id of attribute `a`, computed once per user. */
  const valueIds = (user: ResolvedUser, a: number): number => {
    let id = userValueIds[a];
    if (id < 0) userValueIds[a] = id = valueIdOf(user, attributeNames[a]);
    return id;
  };

  /**
   * A user's filters on a subject, built from conditions resolved by the resolver
   * (`resolveCondition`) and memoized per condition and value set: the same composition as
   * `subjectAccess` (applicable rules in name order, `any` rules as lists), without asking it
   * for every one of the hundreds of thousands of distinct filter sets of a large organisation.
   * The tests check the two agree on every user and subject.
   */
  const pieces = new Map<Condition, Map<number, FilterCondition>>();
  const piece = (entry: { condition: Condition; attribute: number }, def: SubjectDef, user: ResolvedUser): FilterCondition => {
    const valueId = entry.attribute < 0 ? 0 : valueIds(user, entry.attribute);
    let byValue = pieces.get(entry.condition);
    if (!byValue) pieces.set(entry.condition, (byValue = new Map()));
    let snapshot = byValue.get(valueId);
    if (!snapshot) byValue.set(valueId, (snapshot = snapshotCondition(resolveCondition(entry.condition, def, user))));
    return snapshot;
  };
  const composeFilters = (plan: SubjectPlan, user: ResolvedUser): FilterSnapshot[] => {
    const filters: FilterSnapshot[] = [];
    for (const rule of plan.rules) {
      if (!applies(rule.indexed, user)) continue;
      const name = rule.indexed.def.name;
      if (rule.indexed.def.isAny) filters.push({ rule: name, any: rule.conditions.map((c) => piece(c, plan.def, user)) });
      else if (rule.conditions.length > 0) filters.push({ rule: name, ...piece(rule.conditions[0], plan.def, user) });
    }
    return filters;
  };

  const width = subjects.length;
  const cells = new Int32Array(logins.length * width).fill(-1);
  const counts = new Map<string, Record<CellKind, number>>(subjects.map((s) => [s, { full: 0, filtered: 0, denied: 0, none: 0 }]));

  for (let row = 0; row < logins.length; row++) {
    const user = model.users.get(logins[row])!;
    if (!user.enabled) continue;
    userValueIds.fill(-1);
    const base = row * width;
    const bypass = user.bypassRowRules.value;
    for (let col = 0; col < width; col++) {
      const plan = plans[col];
      let access = user.admin || plan.open;
      for (let g = 0; !access && g < plan.grants.length; g++) access = user.groups.has(plan.grants[g]);
      if (!access) continue;
      if (bypass) {
        cells[base + col] = 0;
        uses[0]++;
        continue;
      }
      // The cell's key: packed in a number when the subject's rules allow it, else a trie node.
      const packed = plan.packed ? packedKey(plan, user, valueIds) : -1;
      let node: TrieNode | null = null;
      let id: number;
      if (packed === 0) id = 0;
      else if (packed === plan.lastKey) id = plan.lastId;
      else if (packed > 0) {
        id = plan.packed!.get(packed) ?? -1;
        if (id >= 0) {
          plan.lastKey = packed;
          plan.lastId = id;
        }
      }
      else {
        node = trieNode(plan, user, valueIds);
        id = node ? node.id : 0;
      }
      if (id < 0) {
        const filters = composeFilters(plan, user);
        if (filters.length === 0) id = 0;
        else {
          id = filterSets.length;
          filterSets.push({ id, subject: plan.name, filters, kind: filterSetKind(filters), text: describeFilters(filters) });
          uses.push(0);
        }
        if (packed > 0) plan.packed!.set(packed, id);
        else node!.id = id;
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

type ValueIds = (user: ResolvedUser, attribute: number) => number;

/** The cell's key packed in one number; 0 when no rule applies, -1 when a value id is too large to pack. */
function packedKey(plan: SubjectPlan, user: ResolvedUser, valueIds: ValueIds): number {
  let key = 1;
  let filtered = false;
  for (const rule of plan.rules) {
    const applying = applies(rule.indexed, user);
    filtered ||= applying;
    key = key * 2 + (applying ? 1 : 0);
    for (const a of rule.attributes) {
      const id = applying ? valueIds(user, a) : 0;
      if (id >= PACK_LIMIT) return -1;
      key = key * PACK_LIMIT + id;
    }
  }
  return filtered ? key : 0;
}

/** The cell's key as a trie node; null when no rule applies. */
function trieNode(plan: SubjectPlan, user: ResolvedUser, valueIds: ValueIds): TrieNode | null {
  let node = plan.trie;
  let filtered = false;
  for (let r = 0; r < plan.rules.length; r++) {
    const rule = plan.rules[r];
    if (!applies(rule.indexed, user)) continue;
    filtered = true;
    node = child(node, -1 - r);
    for (const a of rule.attributes) node = child(node, valueIds(user, a));
  }
  return filtered ? node : null;
}

function applies(rule: IndexedRule, user: ResolvedUser): boolean {
  if (!rule.appliesTo) return true;
  if (rule.appliesTo.users.has(user.login)) return true;
  return rule.appliesTo.groups.some((g) => user.groups.has(g));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
