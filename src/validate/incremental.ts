import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ItemsEdit } from '../load/reparse-items.js';
import type { LoadedDocument, LoadResult, YamlValue } from '../load/types.js';
import type { PolicySet, UserDef } from '../model/policy.js';
import { changeInPlace } from '../util/past-map.js';
import { mergeDocuments, mergeUserEntries } from './merge.js';
import { shiftLocs, shiftUserDef } from './shift-locs.js';
import type { ValidationContext, ValidationRule } from './rule.js';
import { apiKeyUsers } from './rules/api-key-users.js';
import { checkDefinitionValueTypes, checkUserValueTypes } from './rules/attribute-value-types.js';
import { conditionTypes } from './rules/condition-types.js';
import { groupCycles } from './rules/group-cycles.js';
import { operatorArity } from './rules/operator-arity.js';
import { roleCycles } from './rules/role-cycles.js';
import { ruleFields } from './rules/rule-fields.js';
import { scanDocument, scanEntry } from './rules/secrets.js';
import { checkDefinitionReferences, checkUserReferences, SUGGESTION_BUDGET, type SuggestionBudget } from './rules/unknown-references.js';
import { unmappedSubjects } from './rules/unmapped-subjects.js';
import { unusedAttributes } from './rules/unused-attributes.js';
import { checkUnusedGroups } from './rules/unused-groups.js';
import { unusedRoles } from './rules/unused-roles.js';
import { checkUserDirectRoles } from './rules/user-direct-roles.js';
import { allRules } from './rules/index.js';
import { checkDocumentSchema, mapSchemaErrors, policyValidator } from './schema-check.js';
import { dedupe, validatePolicies, type ValidationResult } from './validate.js';

/**
 * Validation for watch mode: the answer of `validatePolicies` for the current documents, worked
 * out from the previous answer and what changed.
 *
 * - Schema check: kept per document; a document whose file changed only in some items (see
 *   load/reparse-items.ts) has just those items checked.
 * - Merge and rules: when only user definitions changed since the last merge (items of `users`
 *   sections), only those users are merged again, and the semantic rules keep what they found
 *   per user: the secrets in the user's entry, unknown groups and attributes, direct roles and
 *   value types are checked again for the changed users only; users that only moved (lines
 *   added or removed above them) keep their definitions and findings with the lines moved
 *   (shift-locs.ts). The rules that look at all users
 *   at once are kept exact: unused groups from a count of how many users list each group, API
 *   keys of disabled users checked again (a few keys), references to users checked again when
 *   the set of logins changed, and did-you-mean hints computed for every reference as long as
 *   the whole check's comparison budget would have covered them all (else the whole check runs).
 *   Everything else — settings, attributes, subjects, roles, groups, API keys or rules changed, a
 *   file re-parsed whole, a duplicate definition anywhere — runs the whole validation.
 *
 * The differential test (test/authoring/watch-incremental.test.ts) compares every answer with
 * a validation from scratch.
 */

export type FileChange = { file: string; kind: 'whole' } | { file: string; kind: 'items'; edit: ItemsEdit };

export interface IncrementalValidation extends ValidationResult {
  /** The merged set even when rules found errors (null when the schema check or merge failed). */
  merged: PolicySet | null;
  /**
   * Logins whose definitions may differ from the previous merged set's (added, removed, changed
   * or moved), or 'all' after a whole merge; null when nothing was merged.
   */
  changedUsers: Set<string> | 'all' | null;
  /** Whether this answer was worked out incrementally. */
  incremental: boolean;
}

/** Sections that are maps of independent items, which the schema checks one item at a time. */
const ITEM_SECTIONS = new Set(['attributes', 'subjects', 'roles', 'groups', 'users', 'api_keys', 'rules']);

/** The rules no user edit can change (with the definition halves of the split ones, below). */
const DEFINITION_RULES: readonly ValidationRule[] = [groupCycles, roleCycles, ruleFields, conditionTypes, operatorArity, unusedRoles, unusedAttributes, unmappedSubjects];

interface RuleState {
  /** What the rules found that no user edit can change. */
  fixed: Diagnostic[];
  /** Per login, what the per-user parts found (only logins with findings). */
  perUser: Map<string, Diagnostic[]>;
  /** Did-you-mean comparisons spent per login (only logins that spent any), and in total. */
  userCost: Map<string, number>;
  totalUserCost: number;
  /** References of definitions (groups' members, API keys', rules' applies_to users among them). */
  definitionRefs: Diagnostic[];
  definitionCost: number;
  /** How many times users list each group. */
  groupRefs: Map<string, number>;
}

interface Base {
  policy: PolicySet;
  rules: RuleState;
}

const UNLIMITED = Number.MAX_SAFE_INTEGER;

export class IncrementalValidator {
  private schema = new Map<string, { doc: LoadedDocument; diagnostics: Diagnostic[] }>();
  /** Per file, the items (by section) changed since its documents' schema results were kept. */
  private pendingSchema = new Map<string, Map<string, Set<string>> | 'all'>();
  private base: Base | null = null;
  /** Logins changed since `base` was merged, or 'all'. */
  private dirty: Set<string> | 'all' = 'all';
  /** Of those, the logins written anew (which may now be defined twice); the others are where they were, or gone. */
  private written = new Set<string>();
  /** Logins whose items were parsed again (added or removed); the other changed ones only moved. */
  private rewritten = new Set<string>();
  /** Logins that only moved (lines added or removed above them), with their file and how many lines in all. */
  private moved = new Map<string, { file: string; delta: number }>();

  /** Records what the load changed; call for every load, whether validated or not. */
  note(changes: readonly FileChange[]): void {
    for (const change of changes) {
      if (change.kind === 'whole') {
        this.pendingSchema.set(change.file, 'all');
        this.dirty = 'all';
        continue;
      }
      const { edit } = change;
      let pending = this.pendingSchema.get(change.file);
      if (pending !== 'all') {
        if (pending === undefined) this.pendingSchema.set(change.file, (pending = new Map()));
        let names = pending.get(edit.section);
        if (names === undefined) pending.set(edit.section, (names = new Set()));
        for (const name of edit.added) names.add(name);
      }
      if (this.dirty === 'all') continue;
      // Moved lines move the positions of what follows: users of the section are re-merged, other sections are not.
      if (edit.section !== 'users' || (edit.lineDelta !== 0 && edit.sectionsAfter)) {
        this.dirty = 'all';
        continue;
      }
      for (const login of edit.removed) {
        this.dirty.add(login);
        this.rewritten.add(login);
      }
      for (const login of edit.added) {
        this.dirty.add(login);
        this.written.add(login);
        this.rewritten.add(login);
      }
      if (edit.lineDelta !== 0) {
        for (const login of edit.after) {
          this.dirty.add(login);
          const moved = this.moved.get(login);
          this.moved.set(login, { file: change.file, delta: (moved?.delta ?? 0) + edit.lineDelta });
        }
      }
    }
  }

  /** Forgets everything: the next validation is a whole one. */
  reset(): void {
    this.schema.clear();
    this.pendingSchema.clear();
    this.base = null;
    this.forgetChanges();
    this.dirty = 'all';
  }

  private forgetChanges(): void {
    this.dirty = new Set();
    this.written = new Set();
    this.rewritten = new Set();
    this.moved = new Map();
  }

  validate(load: LoadResult): IncrementalValidation {
    const schemaDiagnostics = this.checkSchema(load.documents);
    if (hasErrors(schemaDiagnostics)) return { policy: null, merged: null, diagnostics: sortDiagnostics(schemaDiagnostics), changedUsers: null, incremental: true };
    if (this.base !== null && this.dirty !== 'all') {
      const result = this.validateUsers(load, this.base, this.dirty, schemaDiagnostics);
      if (result !== null) return result;
    }
    return this.validateWhole(load, schemaDiagnostics);
  }

  // ---- schema --------------------------------------------------------------------------------

  private checkSchema(documents: readonly LoadedDocument[]): Diagnostic[] {
    const next = new Map<string, { doc: LoadedDocument; diagnostics: Diagnostic[] }>();
    const all: Diagnostic[] = [];
    for (const doc of documents) {
      const key = `${doc.file}\u0000${doc.index}`;
      const kept = this.schema.get(key);
      let diagnostics: Diagnostic[];
      if (kept?.doc === doc) diagnostics = kept.diagnostics;
      else {
        const pending = this.pendingSchema.get(doc.file);
        diagnostics = kept !== undefined && kept.diagnostics.length === 0 && pending instanceof Map ? checkItemsSchema(doc, pending) : checkDocumentSchema(doc);
      }
      next.set(key, { doc, diagnostics });
      all.push(...diagnostics);
    }
    this.schema = next;
    this.pendingSchema.clear();
    return all;
  }

  // ---- users only ------------------------------------------------------------------------------

  private validateUsers(load: LoadResult, base: Base, dirty: Set<string>, schemaDiagnostics: Diagnostic[]): IncrementalValidation | null {
    const before = base.policy;
    // Where each changed login is defined now (schema-valid: a `users` section is a mapping).
    const sections: Array<{ doc: LoadedDocument; entries: Record<string, YamlValue> }> = [];
    for (const doc of load.documents) {
      const users = (doc.value as Record<string, YamlValue> | null)?.users;
      if (users !== undefined && users !== null && typeof users === 'object' && !Array.isArray(users)) sections.push({ doc, entries: users });
    }
    const byDocument = new Map<number, string[]>();
    let sameLogins = true;
    // Users that only moved keep their definition and findings, with the line numbers moved.
    const shifted = new Map<string, UserDef>();
    for (const login of dirty) {
      const moved = this.rewritten.has(login) ? undefined : this.moved.get(login);
      const old = moved === undefined ? undefined : before.users.get(login);
      if (moved !== undefined && old !== undefined) {
        if (moved.delta !== 0) shifted.set(login, shiftUserDef(old, moved.file, old.loc.line, moved.delta));
        continue;
      }
      let at = -1;
      // Only a login written anew can be defined twice (the last merge had no duplicates).
      const anew = this.written.has(login);
      for (let i = 0; i < sections.length; i++) {
        if (!Object.prototype.hasOwnProperty.call(sections[i].entries, login)) continue;
        if (at !== -1) return null; // defined twice: the whole merge reports it
        at = i;
        if (!anew) break;
      }
      if (at !== -1) {
        let list = byDocument.get(at);
        if (list === undefined) byDocument.set(at, (list = []));
        list.push(login);
      }
      if ((at !== -1) !== before.users.has(login)) sameLogins = false;
    }
    const merged = new Map<string, UserDef>();
    for (const [i, logins] of byDocument) for (const [login, def] of mergeUserEntries(before, sections[i].doc, sections[i].entries, logins)) merged.set(login, def);
    const defs = new Map<string, UserDef>([...merged, ...shifted]);
    let users: Map<string, UserDef>;
    if (sameLogins) {
      // Same logins, same order (source order): the changed definitions are set in place, and the
      // previous set (still read by the previous model, for the access diff) reads as it was.
      users = before.users;
      const past = changeInPlace(users, defs);
      if (past !== null) before.users = past;
      else {
        users = new Map(before.users);
        for (const [login, def] of defs) users.set(login, def);
      }
    } else {
      users = new Map();
      for (const { entries } of sections) for (const login in entries) users.set(login, defs.get(login) ?? before.users.get(login)!);
    }
    const policy: PolicySet = { ...before, users };

    const rules = base.rules;
    const found: Diagnostic[] = [];
    const context: ValidationContext = { policy, documents: load.documents, report: (d) => found.push(d) };
    try {
      for (const login of shifted.keys()) {
        // Same groups, same hint costs; the findings move with the user's lines.
        const findings = rules.perUser.get(login);
        const moved = this.moved.get(login)!;
        if (findings !== undefined) rules.perUser.set(login, shiftLocs(findings, moved.file, before.users.get(login)!.loc.line, moved.delta));
      }
      for (const login of dirty) {
        if (shifted.has(login) || (!this.rewritten.has(login) && this.moved.has(login))) continue;
        const old = before.users.get(login);
        if (old !== undefined) for (const ref of old.groups) rules.groupRefs.set(ref.value, rules.groupRefs.get(ref.value)! - 1);
        rules.perUser.delete(login);
        rules.totalUserCost -= rules.userCost.get(login) ?? 0;
        rules.userCost.delete(login);
      }
      const sectionOf = new Map<string, number>();
      for (const [i, logins] of byDocument) for (const login of logins) sectionOf.set(login, i);
      for (const [login, def] of merged) {
        const { doc, entries } = sections[sectionOf.get(login)!];
        this.checkUser(context, rules, found, doc, entries, def);
      }
      if (!sameLogins) {
        found.length = 0;
        const budget: SuggestionBudget = { remaining: UNLIMITED };
        checkDefinitionReferences(context, budget, 'all');
        rules.definitionRefs = found.splice(0);
        rules.definitionCost = UNLIMITED - budget.remaining;
      }
    } catch {
      // A crashing check: the whole validation reports it (E-INTERNAL) the way it always does.
      return null;
    }
    if (rules.definitionCost + rules.totalUserCost > SUGGESTION_BUDGET) return null;
    this.base = { policy, rules };
    this.forgetChanges();
    return this.answer(policy, load, schemaDiagnostics, [], rules, dirty, true);
  }

  /** Runs the per-user parts of the rules for one user and keeps what they find. */
  private checkUser(context: ValidationContext, rules: RuleState, found: Diagnostic[], doc: LoadedDocument, entries: Record<string, YamlValue>, def: UserDef): void {
    found.length = 0;
    const budget: SuggestionBudget = { remaining: UNLIMITED };
    scanEntry(context, doc, entries, def.login);
    checkUserReferences(context, def, budget);
    checkUserDirectRoles(context, def);
    checkUserValueTypes(context, def);
    if (found.length > 0) rules.perUser.set(def.login, found.splice(0));
    const cost = UNLIMITED - budget.remaining;
    if (cost > 0) {
      rules.userCost.set(def.login, cost);
      rules.totalUserCost += cost;
    }
    for (const ref of def.groups) rules.groupRefs.set(ref.value, (rules.groupRefs.get(ref.value) ?? 0) + 1);
  }

  // ---- whole -----------------------------------------------------------------------------------

  private validateWhole(load: LoadResult, schemaDiagnostics: Diagnostic[]): IncrementalValidation {
    this.base = null;
    this.forgetChanges();
    const merged = mergeDocuments(load.documents);
    const rules = merged.diagnostics.length === 0 ? this.wholeRules(merged.policy, load) : null;
    if (rules === null) {
      // Duplicates, a crashing check or suggestions beyond the budget: exactly what validate does, nothing kept.
      this.dirty = 'all';
      const result = validatePolicies(load, allRules);
      return { ...result, merged: merged.policy, changedUsers: 'all', incremental: false };
    }
    this.base = { policy: merged.policy, rules };
    return this.answer(merged.policy, load, schemaDiagnostics, merged.diagnostics, rules, 'all', false);
  }

  private wholeRules(policy: PolicySet, load: LoadResult): RuleState | null {
    const rules: RuleState = { fixed: [], perUser: new Map(), userCost: new Map(), totalUserCost: 0, definitionRefs: [], definitionCost: 0, groupRefs: new Map() };
    const found: Diagnostic[] = [];
    const context: ValidationContext = { policy, documents: load.documents, report: (d) => found.push(d) };
    try {
      for (const doc of load.documents) scanDocument(context, doc, true);
      for (const rule of DEFINITION_RULES) rule.check(context);
      checkDefinitionValueTypes(context);
      rules.fixed = found.splice(0);
      const budget: SuggestionBudget = { remaining: UNLIMITED };
      checkDefinitionReferences(context, budget, 'all');
      rules.definitionRefs = found.splice(0);
      rules.definitionCost = UNLIMITED - budget.remaining;
      for (const doc of load.documents) {
        const users = (doc.value as Record<string, YamlValue> | null)?.users;
        if (users === undefined || users === null || typeof users !== 'object' || Array.isArray(users)) continue;
        for (const login in users) this.checkUser(context, rules, found, doc, users, policy.users.get(login)!);
      }
    } catch {
      return null;
    }
    return rules.definitionCost + rules.totalUserCost > SUGGESTION_BUDGET ? null : rules;
  }

  /** All diagnostics from the kept parts plus the rules that look at every user at once (cheap). */
  private answer(
    policy: PolicySet,
    load: LoadResult,
    schemaDiagnostics: Diagnostic[],
    mergeDiagnostics: Diagnostic[],
    rules: RuleState,
    changedUsers: Set<string> | 'all',
    incremental: boolean,
  ): IncrementalValidation {
    const found: Diagnostic[] = [];
    const context: ValidationContext = { policy, documents: load.documents, report: (d) => found.push(d) };
    apiKeyUsers.check(context);
    const listed: string[] = [];
    for (const [group, count] of rules.groupRefs) if (count > 0) listed.push(group);
    checkUnusedGroups(context, listed);
    const diagnostics = [...schemaDiagnostics, ...mergeDiagnostics, ...rules.fixed, ...rules.definitionRefs, ...found];
    for (const list of rules.perUser.values()) diagnostics.push(...list);
    const sorted = sortDiagnostics(dedupe(diagnostics));
    return { policy: hasErrors(sorted) ? null : policy, merged: policy, diagnostics: sorted, changedUsers, incremental };
  }
}

/** The schema check of the given items of a document whose other items were valid before. */
function checkItemsSchema(doc: LoadedDocument, pending: Map<string, Set<string>>): Diagnostic[] {
  const root = doc.value;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) return checkDocumentSchema(doc);
  const partial: Record<string, YamlValue> = {};
  for (const [section, names] of pending) {
    const items = root[section];
    if (!ITEM_SECTIONS.has(section) || items === null || typeof items !== 'object' || Array.isArray(items)) return checkDocumentSchema(doc);
    const part: Record<string, YamlValue> = {};
    let any = false;
    for (const name of names) {
      if (!Object.prototype.hasOwnProperty.call(items, name)) continue;
      part[name] = items[name]!;
      any = true;
    }
    if (any) partial[section] = part;
  }
  const validate = policyValidator();
  // The paths of the errors (/users/<login>/...) are the same in the whole document, where they are located.
  if (validate(partial)) return [];
  return mapSchemaErrors(doc, validate.errors ?? []);
}
