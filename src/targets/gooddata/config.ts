import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { error, type Diagnostic, type Loc } from '../../diagnostics/diagnostic.js';
import { parseYamlDocuments } from '../../load/parse-yaml.js';
import type { TargetConfig } from '../target.js';

/**
 * The options of a `type: gooddata` target in warden.yaml:
 *
 *   api: cloud | legacy         default cloud
 *   workspace: <id>             cloud workspace id (`project` is accepted as its synonym)
 *   project: <id>               legacy project id
 *   endpoint: ${GOODDATA_ENDPOINT}, token: ${GOODDATA_TOKEN}   read only by plan/apply
 *   mappings: { <subject>: { <field>: { <value>: <element URI | label value> } } }
 *             or the project-relative path of a YAML/JSON file holding that mapping
 *   elements: { <attribute URI>: { <value>: <element URI> } }   legacy, keyed as the seed's look-up
 *   lookup: true               legacy: plan/apply also look values up in the attributes' elements
 *                              (config mappings win; compile, being offline, uses the config only)
 *   user_ids: { <login>: <id> } cloud user id (default: derived from the login);
 *                              legacy profile URI (default: looked up by login at apply)
 */
export type GooddataApi = 'cloud' | 'legacy';

export interface GooddataOptions {
  /** The target's position in warden.yaml. */
  loc: Loc;
  api: GooddataApi;
  workspace: string;
  /** Subject -> field -> policy value (as text) -> platform value. */
  mappings: Map<string, Map<string, Map<string, string>>>;
  mappingsLoc?: Loc;
  /** Legacy: attribute URI -> policy value (as text) -> element URI. */
  elements: Map<string, Map<string, string>>;
  lookup: boolean;
  userIds: Map<string, string>;
  endpoint?: string;
  token?: string;
}

const KNOWN = ['api', 'workspace', 'project', 'endpoint', 'token', 'mappings', 'elements', 'lookup', 'user_ids'];

export function readGooddataOptions(target: TargetConfig, projectRoot?: string): { options: GooddataOptions | null; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const raw = target.options;
  const at = (key: string): Loc => target.optionLocs[key] ?? target.loc;
  for (const key of Object.keys(raw).sort()) {
    if (!KNOWN.includes(key)) diagnostics.push(error('E-UNKNOWN-KEY', `unknown option "${key}" for a gooddata target`, at(key), { hint: `expected one of: ${KNOWN.join(', ')}` }));
  }
  const api = raw.api ?? 'cloud';
  if (api !== 'cloud' && api !== 'legacy') diagnostics.push(error('E-CONFIG', '`api` must be `cloud` or `legacy`', at('api')));
  const workspace = raw.workspace ?? raw.project;
  if (typeof workspace !== 'string' || workspace === '') {
    diagnostics.push(error('E-CONFIG', `gooddata target "${target.name}" needs \`${api === 'legacy' ? 'project' : 'workspace'}\` (the id of the ${api === 'legacy' ? 'project' : 'workspace'})`, target.loc));
  } else if (!/^[A-Za-z0-9_-]{1,255}$/.test(workspace)) {
    diagnostics.push(error('E-CONFIG', `"${workspace}" is not a GoodData ${api === 'legacy' ? 'project' : 'workspace'} id`, at(raw.workspace !== undefined ? 'workspace' : 'project')));
  }
  const mappingSource = typeof raw.mappings === 'string' ? readMappingFile(raw.mappings, projectRoot, at('mappings'), diagnostics) : raw.mappings;
  const mappings = readMappings(mappingSource, at('mappings'), diagnostics);
  const elements = new Map<string, Map<string, string>>();
  if (raw.elements !== undefined) {
    if (!isRecord(raw.elements)) diagnostics.push(error('E-CONFIG', '`elements` maps attribute URIs to { <value>: <element URI> }', at('elements')));
    else {
      for (const [attribute, values] of Object.entries(raw.elements)) {
        if (!isRecord(values) || Object.values(values).some((v) => typeof v !== 'string')) {
          diagnostics.push(error('E-CONFIG', `\`elements\` maps attribute URIs to { <value>: <element URI> } (at "${attribute}")`, at('elements')));
          continue;
        }
        elements.set(attribute, new Map(Object.entries(values) as Array<[string, string]>));
      }
    }
  }
  if (raw.lookup !== undefined && typeof raw.lookup !== 'boolean') diagnostics.push(error('E-CONFIG', '`lookup` is true or false', at('lookup')));
  if (raw.lookup === true && api !== 'legacy') diagnostics.push(error('E-CONFIG', '`lookup` is for api: legacy (GoodData Cloud compares label values directly)', at('lookup')));
  const userIds = new Map<string, string>();
  if (raw.user_ids !== undefined) {
    if (!isRecord(raw.user_ids) || Object.values(raw.user_ids).some((v) => typeof v !== 'string')) {
      diagnostics.push(error('E-CONFIG', '`user_ids` maps logins to GoodData user ids', at('user_ids')));
    } else {
      for (const [login, id] of Object.entries(raw.user_ids)) userIds.set(login, id as string);
    }
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { options: null, diagnostics };
  return {
    options: {
      loc: target.loc,
      api: api as GooddataApi,
      workspace: workspace as string,
      mappings,
      ...(raw.mappings !== undefined || raw.elements !== undefined ? { mappingsLoc: at(raw.mappings !== undefined ? 'mappings' : 'elements') } : {}),
      elements,
      lookup: raw.lookup === true,
      userIds,
      ...(typeof raw.endpoint === 'string' ? { endpoint: raw.endpoint } : {}),
      ...(typeof raw.token === 'string' ? { token: raw.token } : {}),
    },
    diagnostics,
  };
}

/** `mappings` as nested maps; values are compared as text (`String(value)`), since YAML may type them. */
export function readMappings(raw: unknown, loc: Loc, diagnostics: Diagnostic[]): Map<string, Map<string, Map<string, string>>> {
  const result = new Map<string, Map<string, Map<string, string>>>();
  if (raw === undefined) return result;
  const shape = 'mappings must be { <subject>: { <field>: { <value>: <platform value> } } }';
  if (!isRecord(raw)) {
    diagnostics.push(error('E-CONFIG', shape, loc));
    return result;
  }
  for (const [subject, fields] of Object.entries(raw)) {
    if (!isRecord(fields)) {
      diagnostics.push(error('E-CONFIG', `${shape} (at "${subject}")`, loc));
      continue;
    }
    const byField = new Map<string, Map<string, string>>();
    for (const [field, values] of Object.entries(fields)) {
      if (!isRecord(values) || Object.values(values).some((v) => typeof v !== 'string' && typeof v !== 'number')) {
        diagnostics.push(error('E-CONFIG', `${shape} (at "${subject}.${field}")`, loc));
        continue;
      }
      byField.set(field, new Map(Object.entries(values).map(([value, platform]) => [value, String(platform)])));
    }
    result.set(subject, byField);
  }
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A mapping file: project-relative, inside the project, parsed by warden's own YAML loader (JSON is YAML). */
function readMappingFile(file: string, projectRoot: string | undefined, loc: Loc, diagnostics: Diagnostic[]): unknown {
  if (projectRoot === undefined || path.isAbsolute(file) || file.split(/[\\/]/).includes('..')) {
    diagnostics.push(error('E-CONFIG', `the mappings file "${file}" must be a path inside the project`, loc));
    return undefined;
  }
  const absolute = path.join(projectRoot, file);
  if (!existsSync(absolute)) {
    diagnostics.push(error('E-CONFIG', `the mappings file "${file}" does not exist`, loc));
    return undefined;
  }
  const parsed = parseYamlDocuments(file.split(path.sep).join('/'), readFileSync(absolute, 'utf8'));
  diagnostics.push(...parsed.diagnostics);
  if (parsed.diagnostics.length > 0) return undefined;
  if (parsed.documents.length !== 1) {
    diagnostics.push(error('E-CONFIG', `the mappings file "${file}" must hold one document`, loc));
    return undefined;
  }
  return parsed.documents[0].value;
}
