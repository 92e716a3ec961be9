import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from './helpers.js';

/**
 * Checks requests against a vendor's own OpenAPI description: the path matches a path template,
 * the method exists on it, and the body validates (ajv, every `$ref` resolved inside the
 * description) against the request-body schema of that operation.
 */
export interface ContractRequest {
  method: string;
  path: string;
  body?: unknown;
}

type OpenApi = { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>> };

export const vendorDir = path.resolve(repoRoot, '..', 'shared', 'vendor');

export function loadVendor(which: 'gooddata' | 'holistics' | 'gooddata-legacy'): VendorContract {
  if (which === 'gooddata') return new VendorContract(JSON.parse(readFileSync(path.join(vendorDir, 'gooddata-metadata-openapi.json'), 'utf8')) as OpenApi);
  if (which === 'holistics') return new VendorContract(parseYaml(readFileSync(path.join(vendorDir, 'holistics-api-v2-openapi.yml'), 'utf8')) as OpenApi);
  // Not a vendor file: written from seed 002, since ../shared/vendor/ has no legacy description.
  return new VendorContract(JSON.parse(readFileSync(path.join(repoRoot, 'test', 'platforms', 'gooddata-legacy-openapi.json'), 'utf8')) as OpenApi);
}

export class VendorContract {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: Array<{ template: string; pattern: RegExp }>;

  constructor(private readonly spec: OpenApi) {
    // OpenAPI 3.0 schemas carry `example`, `nullable` and formats: not checked, not rejected.
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    this.ajv.addSchema(spec as object, 'vendor');
    this.templates = Object.keys(spec.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.split(/\{[^}]+\}/).map(escapeRegExp).join('[^/]+')}$`),
    }));
  }

  /** Problems with one request; empty when the vendor accepts it. */
  check(request: ContractRequest): string[] {
    const pathOnly = request.path.split('?')[0];
    const candidates = this.templates.filter((t) => t.pattern.test(pathOnly));
    if (candidates.length === 0) return [`${request.method} ${pathOnly}: no such path`];
    // A literal path wins over a template (`/users/invite` over `/users/{id}`).
    candidates.sort((a, b) => templateParams(a.template) - templateParams(b.template));
    const method = request.method.toLowerCase();
    const found = candidates.find((c) => this.spec.paths[c.template][method] !== undefined);
    if (!found) return [`${request.method} ${pathOnly}: method not allowed on ${candidates.map((c) => c.template).join(', ')}`];
    const operation = this.spec.paths[found.template][method];
    const content = operation.requestBody?.content;
    if (request.body === undefined || request.body === null) {
      return content && (operation.requestBody as { required?: boolean }).required ? [`${request.method} ${found.template}: body required`] : [];
    }
    if (!content) return [`${request.method} ${found.template}: takes no body`];
    const mediaType = content['application/json'] ? 'application/json' : Object.keys(content)[0];
    const validate = this.validator(found.template, method, mediaType);
    if (validate(request.body)) return [];
    return (validate.errors ?? []).map((e) => `${request.method} ${found.template}: body${e.instancePath} ${e.message}`);
  }

  private validator(template: string, method: string, mediaType: string): ValidateFunction {
    const key = `${method} ${template} ${mediaType}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      const schema = this.spec.paths[template][method].requestBody!.content![mediaType].schema;
      validate = this.ajv.compile(pointRefsAtVendor(schema) as object);
      this.compiled.set(key, validate);
    }
    return validate;
  }
}

function templateParams(template: string): number {
  return (template.match(/\{/g) ?? []).length;
}

/** `#/components/…` inside an inline schema means the vendor document: make the refs say so. */
function pointRefsAtVendor(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(pointRefsAtVendor);
  if (schema !== null && typeof schema === 'object') {
    return Object.fromEntries(
      Object.entries(schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `vendor${v}` : pointRefsAtVendor(v)]),
    );
  }
  return schema;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
