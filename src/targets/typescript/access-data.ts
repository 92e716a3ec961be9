import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { AttributeType } from '../../model/policy.js';
import { subjectAccess } from '../../resolve/access.js';
import type { ResolvedCondition, ResolvedFilter, ResolvedModel } from '../../resolve/model.js';
import { embedPayloads } from '../holistics/embed.js';

/**
 * The resolved access of every user as plain data, shaped like the generated module's
 * `UserAccess` (keys in a fixed order, lists sorted), ready to be embedded as a literal.
 * Holistics payloads come from the holistics target's own builder, so the module and the
 * holistics target can never disagree about a user's embed payload.
 */
export interface ProjectNames {
  groups: string[];
  roles: string[];
  subjects: string[];
  rules: string[];
  attributes: { name: string; type: AttributeType }[];
  datasets: string[];
}

export function projectNames(model: ResolvedModel, datasets: readonly string[]): ProjectNames {
  const policy = model.policy;
  const sorted = (names: Iterable<string>): string[] => [...names].sort(cmp);
  return {
    groups: sorted(policy.groups.keys()),
    roles: sorted(policy.roles.keys()),
    subjects: sorted(policy.subjects.keys()),
    rules: sorted(policy.rules.keys()),
    attributes: sorted(policy.attributes.keys()).map((name) => ({ name, type: policy.attributes.get(name)!.type })),
    datasets: [...datasets].sort(cmp),
  };
}

export interface AccessData {
  names: ProjectNames;
  users: Record<string, unknown>[];
  /** Holistics findings (rules it cannot express), reported by the typescript target as warnings: the payload denies. */
  holisticsFindings: Diagnostic[];
}

export function accessData(model: ResolvedModel): AccessData {
  const holisticsFindings: Diagnostic[] = [];
  const computed = embedPayloads(model, (login, subject) => subjectAccess(model, login, subject), holisticsFindings);
  const payloads = new Map(computed.map((p) => [p.login, p.datasets]));
  // A user denied outright (e.g. disabled) has no per-dataset payloads: keep the reason.
  const userDenials = new Map(computed.flatMap((p) => (p.denied ? [[p.login, p.denied] as const] : [])));
  const datasets = new Set<string>();
  for (const byDataset of payloads.values()) for (const dataset of Object.keys(byDataset)) datasets.add(dataset);
  const names = projectNames(model, [...datasets]);
  const users: Record<string, unknown>[] = [];
  for (const user of model.users.values()) {
    const attributes: Record<string, unknown> = {};
    for (const { name } of names.attributes) {
      const values = user.attributes.get(name)?.value;
      attributes[name] = values?.kind === 'all' ? 'all' : [...(values?.values ?? [])];
    }
    const subjects: Record<string, unknown> = {};
    for (const subject of names.subjects) {
      const access = subjectAccess(model, user.login, subject);
      subjects[subject] = { access: access.access, filters: access.filters.map(filterData) };
    }
    const holistics: Record<string, unknown> = {};
    const byDataset = payloads.get(user.login) ?? {};
    for (const dataset of names.datasets) {
      const payload = byDataset[dataset];
      holistics[dataset] =
        payload === undefined
          ? { allowed: false, reason: userDenials.get(user.login) ?? 'no payload was computed for this dataset' }
          : 'denied' in payload
            ? { allowed: false, reason: payload.reason }
            : { allowed: true, payload: { permissions: { row_based: payload.permissions.row_based.map((row) => ({ ...row, values: [...row.values] })) } } };
    }
    users.push({
      login: user.login,
      enabled: user.enabled,
      admin: user.admin,
      name: user.name ?? null,
      email: user.email ?? null,
      groups: [...user.groups.keys()].sort(cmp),
      roles: [...user.roles.keys()].sort(cmp),
      permissions: [...user.permissions].sort(cmp),
      bypassRowRules: user.bypassRowRules.value,
      home: user.home === null ? null : { ...user.home.value },
      apiKeysEnabled: user.apiKeysEnabled.value,
      attributes,
      subjects,
      holistics,
    });
  }
  return { names, users, holisticsFindings };
}

function filterData(filter: ResolvedFilter): Record<string, unknown> {
  if ('any' in filter) return { rule: filter.rule, any: filter.any.map(conditionData) };
  return { rule: filter.rule, ...conditionData(filter) };
}

function conditionData(condition: ResolvedCondition): Record<string, unknown> {
  return {
    field: condition.field,
    column: condition.column,
    type: condition.type,
    operator: condition.operator,
    values: condition.values === undefined ? undefined : condition.values === 'all' ? 'all' : [...condition.values],
    modifier: condition.modifier === undefined ? undefined : { unit: condition.modifier.unit, amount: condition.modifier.amount },
    attribute: condition.attribute,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
