import { existsSync } from 'node:fs';
import path from 'node:path';
import { error, type Diagnostic, type Loc } from '../diagnostics/diagnostic.js';
import { locate, locateKey } from '../load/locate.js';
import { readPolicyText } from '../load/load-files.js';
import { parseYamlDocuments } from '../load/parse-yaml.js';
import { fileStart } from '../load/source-text.js';
import type { LoadedDocument, YamlValue } from '../load/types.js';
import type { TargetConfig } from '../targets/target.js';
import { createAjv, mapSchemaErrors } from '../validate/schema-check.js';
import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv/dist/2020.js';

/**
 * `warden.yaml`: where the policies and tests are and which targets exist (SPEC section 2).
 * The file is optional; without it a project is `policies/` and `tests/` with no targets.
 * Values are kept raw: `${VAR}` is expanded only when a target is used (`expandEnv`), so that
 * `validate` works without secrets in the environment.
 */

export const CONFIG_FILE = 'warden.yaml';

export const TARGET_TYPES = ['postgres', 'gooddata', 'holistics', 'incorta', 'inmydata', 'typescript'] as const;

export interface ProjectConfig {
  /** Absolute project folder. */
  root: string;
  /** Whether warden.yaml exists. */
  hasConfigFile: boolean;
  policies: string[];
  tests: string[];
  targets: Map<string, TargetConfig>;
}

export interface ConfigResult {
  config: ProjectConfig;
  diagnostics: Diagnostic[];
  /** The text of warden.yaml, for code frames. */
  source?: string;
}

const TOP_LEVEL_KEYS = ['version', 'policies', 'tests', 'targets'];

/** Target options that hold credentials: only `${VAR}` references are accepted for them. */
const SECRET_OPTION = /(?:token|secret|password|api_key|apikey|credentials)$/i;

export function loadProjectConfig(root: string): ConfigResult {
  const absolute = path.resolve(root);
  const config: ProjectConfig = { root: absolute, hasConfigFile: false, policies: ['policies'], tests: ['tests'], targets: new Map() };
  if (!existsSync(path.join(absolute, CONFIG_FILE))) return { config, diagnostics: [] };
  config.hasConfigFile = true;
  const diagnostics: Diagnostic[] = [];
  const text = readPolicyText(absolute, CONFIG_FILE, diagnostics);
  if (text === null) return { config, diagnostics };
  const parsed = parseYamlDocuments(CONFIG_FILE, text);
  diagnostics.push(...parsed.diagnostics);
  if (parsed.diagnostics.length > 0) return { config, diagnostics, source: text };
  if (parsed.documents.length !== 1) {
    diagnostics.push(error('E-CONFIG', 'warden.yaml must hold exactly one YAML document', fileStart(CONFIG_FILE)));
    return { config, diagnostics, source: text };
  }
  readConfigDocument(parsed.documents[0], config, diagnostics);
  return { config, diagnostics, source: text };
}

let configValidator: ValidateFunction | undefined;

/** schemas/warden-config.schema.json, compiled once: the same schema editors use. */
function validateConfigSchema(doc: LoadedDocument): Diagnostic[] {
  if (configValidator === undefined) {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/warden-config.schema.json', import.meta.url), 'utf8')) as object;
    configValidator = createAjv().compile(schema);
  }
  return configValidator(doc.value) ? [] : mapSchemaErrors(doc, configValidator.errors ?? []);
}

function readConfigDocument(doc: LoadedDocument, config: ProjectConfig, diagnostics: Diagnostic[]): void {
  // Literal secrets are reported first, by our own check that never echoes the value; the
  // schema's message for the same node would quote it, so it is dropped.
  const secrets = literalSecrets(doc);
  const secretAt = new Set(secrets.map((d) => `${d.loc.line}:${d.loc.column}`));
  const schemaDiagnostics = validateConfigSchema(doc).filter((d) => !secretAt.has(`${d.loc.line}:${d.loc.column}`));
  if (schemaDiagnostics.length > 0 || secrets.length > 0) {
    diagnostics.push(...secrets, ...schemaDiagnostics);
    return;
  }
  const value = doc.value;
  if (!isMapping(value)) {
    diagnostics.push(error('E-CONFIG', 'warden.yaml must be a mapping with `version`, `policies`, `tests` and `targets`', doc.loc));
    return;
  }
  for (const key of Object.keys(value)) {
    if (!TOP_LEVEL_KEYS.includes(key)) {
      diagnostics.push(error('E-UNKNOWN-KEY', `unknown key "${key}" in warden.yaml`, locateKey(doc, [key]), { hint: `expected one of: ${TOP_LEVEL_KEYS.join(', ')}` }));
    }
  }
  if (value.version !== 1) {
    diagnostics.push(error('E-CONFIG-VERSION', 'warden.yaml needs `version: 1`', 'version' in value ? locate(doc, ['version']) : doc.loc));
  }
  for (const key of ['policies', 'tests'] as const) {
    if (!(key in value)) continue;
    const list = value[key];
    if (!Array.isArray(list) || list.length === 0 || list.some((item) => typeof item !== 'string' || item === '')) {
      diagnostics.push(error('E-CONFIG', `\`${key}\` must be a non-empty list of folders or globs`, locate(doc, [key])));
      continue;
    }
    for (const [index, item] of (list as string[]).entries()) {
      if (path.isAbsolute(item) || item.split(/[\\/]/).includes('..')) {
        diagnostics.push(error('E-CONFIG', `\`${key}\` entries must stay inside the project (no absolute paths or ..)`, locate(doc, [key, index])));
      }
    }
    config[key] = list as string[];
  }
  if ('targets' in value) readTargets(doc, value.targets, config, diagnostics);
}

function readTargets(doc: LoadedDocument, targets: YamlValue, config: ProjectConfig, diagnostics: Diagnostic[]): void {
  if (!isMapping(targets)) {
    diagnostics.push(error('E-CONFIG', '`targets` must map target names to their settings', locate(doc, ['targets'])));
    return;
  }
  for (const [name, block] of Object.entries(targets)) {
    const at = locateKey(doc, ['targets', name]);
    if (!/^[a-z][a-z0-9_-]*$/.test(name)) {
      diagnostics.push(error('E-INVALID-NAME', `target name "${name}" must match ^[a-z][a-z0-9_-]*$`, at));
      continue;
    }
    if (!isMapping(block) || typeof block.type !== 'string') {
      diagnostics.push(error('E-CONFIG', `target "${name}" needs a \`type\` (${TARGET_TYPES.join(', ')})`, locate(doc, ['targets', name])));
      continue;
    }
    if (!(TARGET_TYPES as readonly string[]).includes(block.type)) {
      diagnostics.push(error('E-CONFIG-TARGET-TYPE', `unknown target type "${block.type}"`, locate(doc, ['targets', name, 'type']), { hint: `one of: ${TARGET_TYPES.join(', ')}` }));
      continue;
    }
    const options: Record<string, unknown> = {};
    const optionLocs: Record<string, Loc> = {};
    for (const [key, option] of Object.entries(block)) {
      if (key === 'type') continue;
      options[key] = option;
      optionLocs[key] = locate(doc, ['targets', name, key]);
    }
    config.targets.set(name, { name, type: block.type, loc: at, options, optionLocs });
  }
}

/** Target options holding a credential written literally instead of as `${VAR}`. */
function literalSecrets(doc: LoadedDocument): Diagnostic[] {
  const found: Diagnostic[] = [];
  const root = doc.value;
  if (!isMapping(root) || !isMapping(root.targets)) return found;
  for (const [name, block] of Object.entries(root.targets)) {
    if (!isMapping(block)) continue;
    for (const [key, option] of Object.entries(block)) {
      const literalUrlPassword = key === 'url' && typeof option === 'string' && /:\/\/[^/@:]+:[^/@]+@/.test(option) && !readsEnvironment(option);
      if (!literalUrlPassword && !(SECRET_OPTION.test(key) && typeof option === 'string' && !readsEnvironment(option))) continue;
      // Never echo the value: it is a secret that has just been committed by mistake.
      found.push(
        error('E-SECRET', `target "${name}" has a literal ${literalUrlPassword ? 'password in `url`' : `\`${key}\``}; secrets must come from the environment`, locate(doc, ['targets', name, key]), {
          hint: `write \`${key}: \${${name.toUpperCase().replace(/-/g, '_')}_${key.toUpperCase()}}\` and set that variable`,
        }),
      );
    }
  }
  return found;
}

function isMapping(value: YamlValue | undefined): value is { [key: string]: YamlValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Expands `${VAR}` from the environment. An unset (or empty) variable is an error, never an
 * empty string: a missing token must not turn into an unauthenticated request, nor a missing
 * URL into the embedded database.
 */
export function expandEnv(
  value: string,
  env: Readonly<Record<string, string | undefined>>,
  loc: Loc,
): { value: string; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const expanded = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const found = env[name];
    if (found === undefined || found === '') {
      diagnostics.push(error('E-ENV-UNSET', `environment variable ${name} is not set`, loc, { hint: `export ${name}=… before running warden` }));
      return '';
    }
    return found;
  });
  return { value: expanded, diagnostics };
}

/** Whether a configured value refers to the environment (so it may hold a secret). */
export function readsEnvironment(value: unknown): boolean {
  return typeof value === 'string' && /\$\{[A-Za-z_][A-Za-z0-9_]*\}/.test(value);
}
