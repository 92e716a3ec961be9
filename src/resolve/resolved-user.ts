import type { Loc } from '../diagnostics/diagnostic.js';
import type { AttributeValues, Home, Permission, UserDef } from '../model/policy.js';
import type { Because, Provenance, ResolvedUser } from './model.js';
import type { ResolvedRoles } from './roles.js';

/**
 * A resolved user whose two largest facts, the group map and the attribute map, are computed
 * on first read and then kept. With 100,000 users x 50 attributes, building them eagerly costs
 * more than all the rest of resolution, while most commands read a handful of users. Every
 * other fact is a plain field; the shared ones (roles, permissions, home) are shared objects.
 */

/** Computes the lazy facts; one per resolution, shared by every user. */
export interface LazyFacts {
  groups(user: LazyResolvedUser): Map<string, Provenance[]>;
  attributes(user: LazyResolvedUser): Map<string, Because<AttributeValues>>;
}

export class LazyResolvedUser implements ResolvedUser {
  readonly login: string;
  readonly loc: Loc;
  readonly enabled: boolean;
  readonly admin: boolean;
  declare readonly name?: string;
  declare readonly email?: string;
  readonly roles: Map<string, Provenance[]>;
  readonly permissions: Permission[];
  readonly bypassRowRules: Because<boolean>;
  readonly impersonate: boolean;
  readonly home: Because<Home> | null;
  readonly apiKeysEnabled: Because<boolean>;
  readonly dbRole: string;
  /** The definition and direct group names the lazy facts are computed from. */
  readonly #def: UserDef;
  readonly #direct: readonly string[];
  readonly #lazy: LazyFacts;
  #groups: Map<string, Provenance[]> | undefined;
  #attributes: Map<string, Because<AttributeValues>> | undefined;

  constructor(
    def: UserDef,
    enabled: boolean,
    direct: readonly string[],
    roles: ResolvedRoles,
    home: Because<Home> | null,
    apiKeysEnabled: Because<boolean>,
    email: string | undefined,
    lazy: LazyFacts,
  ) {
    this.login = def.login;
    this.loc = def.loc;
    this.enabled = enabled;
    this.admin = def.admin;
    // Optional facts stay absent (not `undefined`) when unknown, like the model's other objects.
    if (def.name !== undefined) (this as { name?: string }).name = def.name;
    if (email !== undefined) (this as { email?: string }).email = email;
    this.roles = roles.roles;
    this.permissions = roles.permissions;
    this.bypassRowRules = roles.bypassRowRules;
    this.impersonate = roles.impersonate;
    this.home = home;
    this.apiKeysEnabled = apiKeysEnabled;
    this.dbRole = def.dbRole?.value ?? def.login;
    this.#def = def;
    this.#direct = direct;
    this.#lazy = lazy;
  }

  get definition(): UserDef {
    return this.#def;
  }

  get directGroups(): readonly string[] {
    return this.#direct;
  }

  get groups(): Map<string, Provenance[]> {
    return (this.#groups ??= this.#lazy.groups(this));
  }

  get attributes(): Map<string, Because<AttributeValues>> {
    return (this.#attributes ??= this.#lazy.attributes(this));
  }
}
