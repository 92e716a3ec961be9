import type { Loc } from '../diagnostics/diagnostic.js';
import type { PolicySet, RuleDef } from '../model/policy.js';
import type { Provenance, ResolvedModel } from './model.js';
import { compareText } from './scalars.js';

/**
 * Per-subject facts that do not depend on the user, built once per resolved model on the first
 * `subjectAccess` call: which groups are granted each subject, and its rules sorted by name
 * with their `applies_to` lists as sets. Kept outside the model so the model's shape stays the
 * shared contract.
 */
export interface SubjectIndex {
  /** subject -> granting group -> position of the grant in the group's `subjects`. */
  grants: Map<string, Map<string, Loc>>;
  /** subject -> its rules, sorted by rule name. */
  rules: Map<string, IndexedRule[]>;
  /** Why an unrestricted subject is open (shared by every user: subject access is not enforced). */
  openReason: Provenance[];
}

export interface IndexedRule {
  def: RuleDef;
  /** Absent: the rule applies to everyone. */
  appliesTo?: { users: Set<string>; groups: string[] };
}

const cache = new WeakMap<ResolvedModel, SubjectIndex>();

export function subjectIndex(model: ResolvedModel): SubjectIndex {
  let index = cache.get(model);
  if (!index) cache.set(model, (index = buildIndex(model.policy)));
  return index;
}

function buildIndex(policy: PolicySet): SubjectIndex {
  const grants = new Map<string, Map<string, Loc>>();
  for (const name of [...policy.groups.keys()].sort(compareText)) {
    for (const ref of policy.groups.get(name)!.subjects) {
      let byGroup = grants.get(ref.value);
      if (!byGroup) grants.set(ref.value, (byGroup = new Map()));
      if (!byGroup.has(name)) byGroup.set(name, ref.loc);
    }
  }
  const rules = new Map<string, IndexedRule[]>();
  for (const name of [...policy.rules.keys()].sort(compareText)) {
    const def = policy.rules.get(name)!;
    let list = rules.get(def.subject.value);
    if (!list) rules.set(def.subject.value, (list = []));
    const indexed: IndexedRule = { def };
    if (def.appliesTo) {
      indexed.appliesTo = { users: new Set(def.appliesTo.users.map((u) => u.value)), groups: def.appliesTo.groups.map((g) => g.value) };
    }
    list.push(indexed);
  }
  const openReason: Provenance[] = [{ source: 'setting', setting: 'enforce_subject_access', loc: policy.settings.locs.enforceSubjectAccess }];
  return { grants, rules, openReason };
}
