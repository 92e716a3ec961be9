import { error, type Diagnostic, type Loc } from '../diagnostics/diagnostic.js';
import { itemLocIn, keyLocIn, mapItemsWithLocs, valueLocIn } from '../load/positions.js';
import type { LoadedDocument } from '../load/types.js';
import type * as Doc from '../model/generated/policy-document.js';
import type {
  ApiKeyDef,
  AttributeAssignment,
  AttributeDef,
  Condition,
  DurationUnit,
  FieldDef,
  GroupDef,
  Home,
  Located,
  Permission,
  PolicySet,
  Ref,
  RoleDef,
  RuleDef,
  Settings,
  SubjectDef,
  UserDef,
} from '../model/policy.js';
import { BUILTIN_LOC, builtinRoles } from './merge-builtins.js';
import { typedValues } from './merge-values.js';

/**
 * Merges schema-valid policy documents (any number of files, several documents per file) into
 * one PolicySet: defaults, built-in roles, the implicit default group, typed attribute values.
 * A name defined twice is an error at the second definition pointing back at the first; the
 * first definition is kept so that later checks still see a consistent set.
 *
 * Documents must have passed the schema check: their shape is trusted here (the generated
 * types of the schema describe it).
 */

export interface MergeResult {
  policy: PolicySet;
  diagnostics: Diagnostic[];
}

export const DEFAULT_SETTINGS = { enforceSubjectAccess: false, defaultGroup: 'everyone', baseRole: 'user' } as const;

/** Assignments are typed once every attribute definition (from any file) is known. */
interface PendingAssignment {
  assignment: AttributeAssignment;
  raw: Located<unknown>[] | 'all';
}

type Section = 'attributes' | 'subjects' | 'roles' | 'groups' | 'users' | 'api_keys' | 'rules';

const KIND: Record<Section, string> = {
  attributes: 'attribute',
  subjects: 'subject',
  roles: 'role',
  groups: 'group',
  users: 'user',
  api_keys: 'API key',
  rules: 'rule',
};

/**
 * The assignments of every user and group that has none: one shared map instead of a map per
 * user (most of 100,000 users assign nothing). Sharing is safe because it refuses changes.
 */
class NoAssignments extends Map<string, AttributeAssignment> {
  override set(): never {
    throw new Error('the shared empty attribute assignments cannot be changed');
  }
  override delete(): never {
    throw new Error('the shared empty attribute assignments cannot be changed');
  }
  override clear(): never {
    throw new Error('the shared empty attribute assignments cannot be changed');
  }
}
const NO_ASSIGNMENTS: Map<string, AttributeAssignment> = new NoAssignments();

function located<T>(value: T, loc: Loc): Located<T> {
  return { value, loc };
}

export function mergeDocuments(documents: readonly LoadedDocument[]): MergeResult {
  return new Merger().merge(documents);
}

/**
 * Watch mode: the definitions of some users of one document (a schema-valid `users` section),
 * built as `mergeDocuments` builds them, with values typed by `policy`'s attributes.
 */
export function mergeUserEntries(policy: PolicySet, doc: LoadedDocument, entries: object, logins: Iterable<string>): Map<string, UserDef> {
  return new Merger().users(policy, doc, entries as Record<string, Doc.User>, logins);
}

class Merger {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly settings: Settings = { ...DEFAULT_SETTINGS, locs: {} };
  private readonly policy: PolicySet = {
    settings: this.settings,
    attributes: new Map(),
    subjects: new Map(),
    roles: builtinRoles(),
    groups: new Map(),
    users: new Map(),
    apiKeys: new Map(),
    rules: new Map(),
  };
  private readonly pending: PendingAssignment[] = [];
  private doc!: LoadedDocument;

  merge(documents: readonly LoadedDocument[]): MergeResult {
    for (const doc of documents) {
      this.doc = doc;
      const value = doc.value as Doc.PolicyDocument;
      if (value === null || typeof value !== 'object') continue;
      if (value.settings !== undefined) this.mergeSettings(value.settings);
      this.section('attributes', value.attributes, this.policy.attributes, (name, def, loc) => this.attribute(name, def, loc));
      this.section('subjects', value.subjects, this.policy.subjects, (name, def, loc) => this.subject(name, def, loc));
      this.section('roles', value.roles, this.policy.roles, (name, def, loc) => this.role(name, def, loc));
      this.section('groups', value.groups, this.policy.groups, (name, def, loc) => this.group(name, def, loc));
      this.section('users', value.users, this.policy.users, (name, def, loc) => this.user(name, def, loc));
      this.section('api_keys', value.api_keys, this.policy.apiKeys, (name, def, loc) => this.apiKey(name, def, loc));
      this.section('rules', value.rules, this.policy.rules, (name, def, loc) => this.rule(name, def, loc, value.rules!));
    }
    this.addDefaultGroup();
    this.typeAssignments();
    return { policy: this.policy, diagnostics: this.diagnostics };
  }

  users(policy: PolicySet, doc: LoadedDocument, entries: Record<string, Doc.User>, logins: Iterable<string>): Map<string, UserDef> {
    this.doc = doc;
    const out = new Map<string, UserDef>();
    for (const login of logins) out.set(login, this.user(login, entries[login]!, this.keyAt(entries, login)));
    for (const { assignment, raw } of this.pending) assignment.values = typedValues(raw, policy.attributes.get(assignment.attribute)?.type);
    return out;
  }

  // ---- positions -------------------------------------------------------------------------
  // Positions are read from each node's own entry in the LocMap rather than by walking a path
  // from the document root: merge touches every node of 100,000-user files, so O(1) per node.

  /** Position of the value under `key` of a mapping. */
  private at(container: object, key: string): Loc {
    return valueLocIn(this.doc.locs, container, key) ?? this.doc.loc;
  }

  /** Position of the key itself (where a definition is named). */
  private keyAt(container: object, key: string): Loc {
    return keyLocIn(this.doc.locs, container, key) ?? this.doc.loc;
  }

  private located<T>(value: T, container: object, key: string): Located<T> {
    return { value, loc: this.at(container, key) };
  }

  /** Position of item `index` of a list, else `fallback`. */
  private itemAt(list: readonly unknown[], index: number, fallback: Loc): Loc {
    return itemLocIn(this.doc.locs, list, index) ?? fallback;
  }

  private refs(list: readonly string[] | undefined): Ref[] {
    if (list === undefined) return [];
    return mapItemsWithLocs(this.doc.locs, list, this.doc.loc, located);
  }

  private rawValues(list: readonly unknown[]): Located<unknown>[] {
    return mapItemsWithLocs(this.doc.locs, list, this.doc.loc, located);
  }

  // ---- sections --------------------------------------------------------------------------

  private section<D, T>(
    section: Section,
    entries: Record<string, D | undefined> | undefined,
    into: Map<string, T & { loc: Loc }>,
    build: (name: string, def: D, loc: Loc) => T & { loc: Loc },
  ): void {
    if (entries === undefined) return;
    // for…in rather than Object.entries: no [name, def] pair per definition (100,000 users).
    for (const name in entries) {
      const def = entries[name];
      if (def === undefined) continue;
      const loc = this.keyAt(entries, name);
      const first = into.get(name);
      if (first !== undefined) {
        this.reportRedefinition(section, name, loc, first as { loc: Loc; builtin?: boolean });
        continue;
      }
      into.set(name, build(name, def, loc));
    }
  }

  private reportRedefinition(section: Section, name: string, loc: Loc, first: { loc: Loc; builtin?: boolean }): void {
    if (section === 'roles' && first.builtin === true) {
      this.diagnostics.push(
        error('E-BUILTIN-ROLE-REDEFINED', `"${name}" is a built-in role and cannot be redefined`, loc, {
          hint: `built-in roles are immutable; define a new role with \`extends: [${name}]\` to add to it`,
        }),
      );
      return;
    }
    const what = `${KIND[section]} "${name}"`;
    this.diagnostics.push(
      error('E-DUPLICATE-DEFINITION', `${what} is defined twice`, loc, {
        hint: 'names are unique across all policy files and documents; merge the two definitions into one',
        related: [{ message: `first definition of ${what}`, loc: first.loc }],
      }),
    );
  }

  private mergeSettings(settings: Doc.Settings): void {
    const keys: Array<[keyof Doc.Settings, keyof Settings['locs']]> = [
      ['enforce_subject_access', 'enforceSubjectAccess'],
      ['default_group', 'defaultGroup'],
      ['base_role', 'baseRole'],
    ];
    for (const [key, field] of keys) {
      const value = settings[key];
      if (value === undefined) continue;
      const first = this.settings.locs[field];
      if (first !== undefined) {
        this.diagnostics.push(
          error('E-DUPLICATE-SETTING', `setting "${key}" is given twice`, this.keyAt(settings, key), {
            hint: 'each setting may be given once across all policy files',
            related: [{ message: `"${key}" is first given here`, loc: first }],
          }),
        );
        continue;
      }
      this.settings.locs[field] = this.at(settings, key);
      if (field === 'enforceSubjectAccess') this.settings.enforceSubjectAccess = value as boolean;
      else this.settings[field] = value as string;
    }
  }

  private attribute(name: string, def: Doc.Attribute, loc: Loc): AttributeDef {
    const out: AttributeDef = { name, loc, type: def.type, default: { kind: 'values', values: [] } };
    if (def.description !== undefined) out.description = def.description;
    if (def.default !== undefined) {
      out.defaultLoc = this.at(def, 'default');
      if (def.default === 'all') out.default = { kind: 'all' };
      else if (Array.isArray(def.default)) {
        out.defaultValues = this.rawValues(def.default);
        out.default = typedValues(out.defaultValues, def.type);
      }
    }
    return out;
  }

  private subject(name: string, def: Doc.Subject, loc: Loc): SubjectDef {
    const fields = new Map<string, FieldDef>();
    if (def.fields !== undefined) {
      for (const [field, spec] of Object.entries(def.fields)) {
        if (spec !== undefined) fields.set(field, { name: field, loc: this.keyAt(def.fields, field), column: spec.column ?? field, type: spec.type });
      }
    }
    const platforms: SubjectDef['platforms'] = {};
    if (def.platforms !== undefined) {
      for (const [platform, ids] of Object.entries(def.platforms)) {
        if (ids !== undefined) platforms[platform] = this.located(ids as Record<string, unknown>, def.platforms, platform);
      }
    }
    const out: SubjectDef = { name, loc, restricted: def.restricted ?? false, fields, platforms };
    if (def.description !== undefined) out.description = def.description;
    if (def.table !== undefined) out.table = this.located(def.table, def, 'table');
    return out;
  }

  private role(name: string, def: Doc.Role, loc: Loc): RoleDef {
    const permissions = def.permissions ?? [];
    const out: RoleDef = {
      name,
      builtin: false,
      loc,
      extends: this.refs(def.extends),
      permissions: mapItemsWithLocs(this.doc.locs, permissions as Permission[], loc, located),
      rowRules: def.row_rules ?? 'enforce',
      impersonate: false,
    };
    if (def.description !== undefined) out.description = def.description;
    if (def.incorta_roles !== undefined) out.incortaRoles = this.refs(def.incorta_roles);
    return out;
  }

  private group(name: string, def: Doc.Group, loc: Loc): GroupDef {
    const out: GroupDef = {
      name,
      loc,
      implicit: false,
      inherits: this.refs(def.inherits),
      roles: this.refs(def.roles),
      subjects: this.refs(def.subjects),
      attributes: this.assignments(def.attributes),
      members: this.refs(def.members),
    };
    if (def.description !== undefined) out.description = def.description;
    if (def.home !== undefined) out.home = this.home(def.home, def);
    if (def.api_keys !== undefined) out.apiKeys = this.located(def.api_keys, def, 'api_keys');
    return out;
  }

  private user(login: string, def: Doc.User, loc: Loc): UserDef {
    const out: UserDef = {
      login,
      loc,
      groups: this.refs(def.groups),
      attributes: this.assignments(def.attributes),
      admin: def.admin ?? false,
      disabled: def.disabled ?? false,
    };
    if (def.name !== undefined) out.name = def.name;
    if (def.email !== undefined) out.email = def.email;
    if (def.api_keys !== undefined) out.apiKeys = this.located(def.api_keys, def, 'api_keys');
    if (def.home !== undefined) out.home = this.home(def.home, def);
    if (def.db_role !== undefined) out.dbRole = this.located(def.db_role, def, 'db_role');
    // Kept only so the user-direct-roles rule can point at each one: roles come from groups.
    if (def.roles !== undefined) out.directRoles = this.refs(def.roles);
    return out;
  }

  private apiKey(name: string, def: Doc.ApiKey, loc: Loc): ApiKeyDef {
    const out: ApiKeyDef = { name, loc, user: this.located(def.user, def, 'user') };
    if (def.description !== undefined) out.description = def.description;
    if (def.expires !== undefined) out.expires = this.located(def.expires, def, 'expires');
    return out;
  }

  private rule(name: string, def: Doc.Rule, loc: Loc, container: object): RuleDef {
    const isAny = def.any !== undefined;
    let conditions: Condition[];
    if (def.any !== undefined) {
      const any = def.any;
      conditions = any.map((condition, index) => this.condition(condition, this.itemAt(any, index, loc)));
    } else {
      // Schema-valid: without `any`, field and operator are present.
      conditions = [this.condition(def as Doc.Condition, this.at(container, name))];
    }
    const out: RuleDef = { name, loc, subject: this.located(def.subject, def, 'subject'), conditions, isAny };
    if (def.description !== undefined) out.description = def.description;
    if (def.applies_to !== undefined) {
      out.appliesTo = { loc: this.keyAt(def, 'applies_to'), groups: this.refs(def.applies_to.groups), users: this.refs(def.applies_to.users) };
    }
    return out;
  }

  private condition(def: Doc.Condition, loc: Loc): Condition {
    const out: Condition = { loc, field: this.located(def.field, def, 'field'), operator: this.located(def.operator, def, 'operator') };
    if (def.attribute !== undefined) out.attribute = this.located(def.attribute, def, 'attribute');
    if (def.values !== undefined) out.values = this.rawValues(def.values);
    if (def.modifier !== undefined) {
      // Schema-valid: exactly one unit with a positive integer amount.
      const [unit, amount] = Object.entries(def.modifier)[0] as [DurationUnit, number];
      out.modifier = this.located({ unit, amount }, def, 'modifier');
    }
    return out;
  }

  private home(def: Doc.Home, owner: object): Located<Home> {
    const value: Home = def.dashboard !== undefined ? { dashboard: def.dashboard } : { category: def.category as string };
    return this.located(value, owner, 'home');
  }

  private assignments(def: Doc.AttributeAssignments | undefined): Map<string, AttributeAssignment> {
    if (def === undefined) return NO_ASSIGNMENTS;
    const out = new Map<string, AttributeAssignment>();
    for (const [attribute, values] of Object.entries(def)) {
      if (values === undefined) continue;
      const raw = values === 'all' ? 'all' : this.rawValues(values);
      const assignment: AttributeAssignment = { attribute, loc: this.keyAt(def, attribute), values: { kind: 'values', values: [] }, raw: raw === 'all' ? [] : raw };
      this.pending.push({ assignment, raw });
      out.set(attribute, assignment);
    }
    return out;
  }

  // ---- after all documents -----------------------------------------------------------------

  /** The default group exists even when no file defines it (SPEC section 3). */
  private addDefaultGroup(): void {
    const name = this.settings.defaultGroup;
    if (this.policy.groups.has(name)) return;
    this.policy.groups.set(name, {
      name,
      loc: this.settings.locs.defaultGroup ?? BUILTIN_LOC,
      implicit: true,
      inherits: [],
      roles: [],
      subjects: [],
      attributes: new Map(),
      members: [],
    });
  }

  private typeAssignments(): void {
    for (const { assignment, raw } of this.pending) {
      assignment.values = typedValues(raw, this.policy.attributes.get(assignment.attribute)?.type);
    }
  }
}
