import { error, type Diagnostic, type Loc } from '../diagnostics/diagnostic.js';
import { locate, locateKey } from '../load/locate.js';
import type { LoadedDocument, ValuePath } from '../load/types.js';
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

export function mergeDocuments(documents: readonly LoadedDocument[]): MergeResult {
  return new Merger().merge(documents);
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
      if (value.settings !== undefined) this.mergeSettings(value.settings);
      this.section('attributes', value.attributes, this.policy.attributes, (name, def) => this.attribute(name, def));
      this.section('subjects', value.subjects, this.policy.subjects, (name, def) => this.subject(name, def));
      this.section('roles', value.roles, this.policy.roles, (name, def) => this.role(name, def));
      this.section('groups', value.groups, this.policy.groups, (name, def) => this.group(name, def));
      this.section('users', value.users, this.policy.users, (name, def) => this.user(name, def));
      this.section('api_keys', value.api_keys, this.policy.apiKeys, (name, def) => this.apiKey(name, def));
      this.section('rules', value.rules, this.policy.rules, (name, def) => this.rule(name, def));
    }
    this.addDefaultGroup();
    this.typeAssignments();
    return { policy: this.policy, diagnostics: this.diagnostics };
  }

  // ---- positions -------------------------------------------------------------------------

  private at(path: ValuePath): Loc {
    return locate(this.doc, path);
  }

  private keyAt(path: ValuePath): Loc {
    return locateKey(this.doc, path);
  }

  private located<T>(value: T, path: ValuePath): Located<T> {
    return { value, loc: this.at(path) };
  }

  private refs(list: readonly string[] | undefined, path: ValuePath): Ref[] {
    return (list ?? []).map((value, index) => ({ value, loc: this.at([...path, index]) }));
  }

  private rawValues(list: readonly unknown[], path: ValuePath): Located<unknown>[] {
    return list.map((value, index) => ({ value, loc: this.at([...path, index]) }));
  }

  // ---- sections --------------------------------------------------------------------------

  private section<D, T>(section: Section, entries: Record<string, D | undefined> | undefined, into: Map<string, T & { loc: Loc }>, build: (name: string, def: D) => T & { loc: Loc }): void {
    if (entries === undefined) return;
    for (const [name, def] of Object.entries(entries)) {
      if (def === undefined) continue;
      const loc = this.keyAt([section, name]);
      const first = into.get(name);
      if (first !== undefined) {
        this.reportRedefinition(section, name, loc, first as { loc: Loc; builtin?: boolean });
        continue;
      }
      into.set(name, build(name, def));
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
    const what = section === 'users' ? `user "${name}"` : `${KIND[section]} "${name}"`;
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
      const loc = this.at(['settings', key]);
      const first = this.settings.locs[field];
      if (first !== undefined) {
        this.diagnostics.push(
          error('E-DUPLICATE-SETTING', `setting "${key}" is given twice`, this.keyAt(['settings', key]), {
            hint: 'each setting may be given once across all policy files',
            related: [{ message: `"${key}" is first given here`, loc: first }],
          }),
        );
        continue;
      }
      this.settings.locs[field] = loc;
      if (field === 'enforceSubjectAccess') this.settings.enforceSubjectAccess = value as boolean;
      else this.settings[field] = value as string;
    }
  }

  private attribute(name: string, def: Doc.Attribute): AttributeDef {
    const path = ['attributes', name];
    const out: AttributeDef = { name, loc: this.keyAt(path), type: def.type, default: { kind: 'values', values: [] } };
    if (def.description !== undefined) out.description = def.description;
    if (def.default !== undefined) {
      out.defaultLoc = this.at([...path, 'default']);
      if (def.default === 'all') out.default = { kind: 'all' };
      else if (Array.isArray(def.default)) {
        out.defaultValues = this.rawValues(def.default, [...path, 'default']);
        out.default = typedValues(out.defaultValues, def.type);
      }
    }
    return out;
  }

  private subject(name: string, def: Doc.Subject): SubjectDef {
    const path = ['subjects', name];
    const fields = new Map<string, FieldDef>();
    for (const [field, spec] of Object.entries(def.fields ?? {})) {
      if (spec === undefined) continue;
      fields.set(field, { name: field, loc: this.keyAt([...path, 'fields', field]), column: spec.column ?? field, type: spec.type });
    }
    const platforms: SubjectDef['platforms'] = {};
    for (const [platform, ids] of Object.entries(def.platforms ?? {})) {
      if (ids !== undefined) platforms[platform] = this.located(ids as Record<string, unknown>, [...path, 'platforms', platform]);
    }
    const out: SubjectDef = { name, loc: this.keyAt(path), restricted: def.restricted ?? false, fields, platforms };
    if (def.description !== undefined) out.description = def.description;
    if (def.table !== undefined) out.table = this.located(def.table, [...path, 'table']);
    return out;
  }

  private role(name: string, def: Doc.Role): RoleDef {
    const path = ['roles', name];
    const out: RoleDef = {
      name,
      builtin: false,
      loc: this.keyAt(path),
      extends: this.refs(def.extends, [...path, 'extends']),
      permissions: (def.permissions ?? []).map((value, index) => this.located(value as Permission, [...path, 'permissions', index])),
      rowRules: def.row_rules ?? 'enforce',
      impersonate: false,
    };
    if (def.description !== undefined) out.description = def.description;
    if (def.incorta_roles !== undefined) out.incortaRoles = this.refs(def.incorta_roles, [...path, 'incorta_roles']);
    return out;
  }

  private group(name: string, def: Doc.Group): GroupDef {
    const path = ['groups', name];
    const out: GroupDef = {
      name,
      loc: this.keyAt(path),
      implicit: false,
      inherits: this.refs(def.inherits, [...path, 'inherits']),
      roles: this.refs(def.roles, [...path, 'roles']),
      subjects: this.refs(def.subjects, [...path, 'subjects']),
      attributes: this.assignments(def.attributes, [...path, 'attributes']),
      members: this.refs(def.members, [...path, 'members']),
    };
    if (def.description !== undefined) out.description = def.description;
    if (def.home !== undefined) out.home = this.home(def.home, [...path, 'home']);
    if (def.api_keys !== undefined) out.apiKeys = this.located(def.api_keys, [...path, 'api_keys']);
    return out;
  }

  private user(login: string, def: Doc.User): UserDef {
    const path = ['users', login];
    const out: UserDef = {
      login,
      loc: this.keyAt(path),
      groups: this.refs(def.groups, [...path, 'groups']),
      attributes: this.assignments(def.attributes, [...path, 'attributes']),
      admin: def.admin ?? false,
      disabled: def.disabled ?? false,
    };
    if (def.name !== undefined) out.name = def.name;
    if (def.email !== undefined) out.email = def.email;
    if (def.api_keys !== undefined) out.apiKeys = this.located(def.api_keys, [...path, 'api_keys']);
    if (def.home !== undefined) out.home = this.home(def.home, [...path, 'home']);
    if (def.db_role !== undefined) out.dbRole = this.located(def.db_role, [...path, 'db_role']);
    // Kept only so the user-direct-roles rule can point at each one: roles come from groups.
    if (def.roles !== undefined) out.directRoles = this.refs(def.roles, [...path, 'roles']);
    return out;
  }

  private apiKey(name: string, def: Doc.ApiKey): ApiKeyDef {
    const path = ['api_keys', name];
    const out: ApiKeyDef = { name, loc: this.keyAt(path), user: this.located(def.user, [...path, 'user']) };
    if (def.description !== undefined) out.description = def.description;
    if (def.expires !== undefined) out.expires = this.located(def.expires, [...path, 'expires']);
    return out;
  }

  private rule(name: string, def: Doc.Rule): RuleDef {
    const path = ['rules', name];
    const isAny = def.any !== undefined;
    const conditions = isAny
      ? (def.any ?? []).map((condition, index) => this.condition(condition, [...path, 'any', index]))
      : // Schema-valid: without `any`, field and operator are present.
        [this.condition(def as Doc.Condition, path)];
    const out: RuleDef = { name, loc: this.keyAt(path), subject: this.located(def.subject, [...path, 'subject']), conditions, isAny };
    if (def.description !== undefined) out.description = def.description;
    if (def.applies_to !== undefined) {
      const at = [...path, 'applies_to'];
      out.appliesTo = { loc: this.keyAt(at), groups: this.refs(def.applies_to.groups, [...at, 'groups']), users: this.refs(def.applies_to.users, [...at, 'users']) };
    }
    return out;
  }

  private condition(def: Doc.Condition, path: ValuePath): Condition {
    const out: Condition = {
      loc: this.at(path),
      field: this.located(def.field, [...path, 'field']),
      operator: this.located(def.operator, [...path, 'operator']),
    };
    if (def.attribute !== undefined) out.attribute = this.located(def.attribute, [...path, 'attribute']);
    if (def.values !== undefined) out.values = this.rawValues(def.values, [...path, 'values']);
    if (def.modifier !== undefined) {
      // Schema-valid: exactly one unit with a positive integer amount.
      const [unit, amount] = Object.entries(def.modifier)[0] as [DurationUnit, number];
      out.modifier = this.located({ unit, amount }, [...path, 'modifier']);
    }
    return out;
  }

  private home(def: Doc.Home, path: ValuePath): Located<Home> {
    const value: Home = def.dashboard !== undefined ? { dashboard: def.dashboard } : { category: def.category as string };
    return this.located(value, path);
  }

  private assignments(def: Doc.AttributeAssignments | undefined, path: ValuePath): Map<string, AttributeAssignment> {
    const out = new Map<string, AttributeAssignment>();
    for (const [attribute, values] of Object.entries(def ?? {})) {
      if (values === undefined) continue;
      const raw = values === 'all' ? 'all' : this.rawValues(values, [...path, attribute]);
      const assignment: AttributeAssignment = { attribute, loc: this.keyAt([...path, attribute]), values: { kind: 'values', values: [] }, raw: raw === 'all' ? [] : raw };
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
