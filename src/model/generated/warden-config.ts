/* eslint-disable */
/**
 * Generated from schemas/warden-config.schema.json by scripts/generate-policy-types.mjs (npm run gen:types).
 * Do not edit: change the schema and regenerate.
 */

/**
 * Project-relative folders, files or globs.
 *
 * @minItems 1
 */
export type Paths = [string, ...string[]];
/**
 * Text; `${VAR}` is replaced by the environment variable VAR when the target is used (unset is an error).
 */
export type EnvString = string;
/**
 * A secret: only ever a `${VAR}` reference to the environment, never the secret itself.
 */
export type Secret = string;

/**
 * warden project configuration: where the policies and access tests are, and the targets policies are compiled for. Optional; without it a project is `policies/` and `tests/` with no targets. Add `# yaml-language-server: $schema=<path to this file>` at the top for editor help.
 */
export interface WardenConfigDocument {
  /**
   * Configuration format version; always 1.
   */
  version: 1;
  policies?: Paths;
  tests?: Paths;
  targets?: Targets;
}
/**
 * Targets keyed by target name (used with `--target`).
 */
export interface Targets {
  [k: string]: Target | undefined;
}
/**
 * One target: `type` plus that type's options. Options not listed here are passed to the target, which checks them.
 */
export interface Target {
  /**
   * What the target emits: postgres (row-level security), gooddata, holistics, incorta, inmydata (BI platforms), typescript (a typed module).
   */
  type: 'postgres' | 'gooddata' | 'holistics' | 'incorta' | 'inmydata' | 'typescript';
  url?: EnvString;
  /**
   * postgres: schema where warden keeps its own objects (entitlements, functions), default `warden`. incorta: the physical schema holding the users-and-groups sync tables.
   */
  schema?: string;
  /**
   * postgres: how the current user is known. session: the application calls `<schema>.enter('<login>')` at the start of each transaction; role: the database role name is the login (or the user's `db_role`).
   */
  principal?: 'session' | 'role';
  /**
   * postgres: roles given SELECT on subject tables and what they need of warden's objects to `enter`. Without it, table privileges are left as they are.
   */
  grant_to?: string[];
  endpoint?: EnvString;
  token?: Secret;
  project?: EnvString;
  workspace?: EnvString;
  /**
   * gooddata: `cloud` (default, layout endpoint, 10,000 characters per filter) or `legacy` (the seed's API, 200,000 characters per filter).
   */
  api?: 'cloud' | 'legacy';
  /**
   * inmydata: the subjects published on the platform (default: all). A subject whose rule the platform cannot express (an `any` rule) is left off it this way instead of getting a broader filter.
   */
  subjects?: string[];
  /**
   * gooddata / holistics: how attribute values map to platform ids (e.g. GoodData element URIs): inline, or the path of a mapping file. A value without a mapping denies, with a warning.
   */
  mappings?:
    | {
        [k: string]: unknown | undefined;
      }
    | string;
  [k: string]: unknown | undefined;
}
