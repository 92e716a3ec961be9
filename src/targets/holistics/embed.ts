import { error, warning, type Diagnostic, type Loc } from '../../diagnostics/diagnostic.js';
import type { PolicySet, Scalar } from '../../model/policy.js';
import type { ResolvedCondition, ResolvedModel, SubjectAccess } from '../../resolve/model.js';
import { canonicalJson } from '../http/canonical-json.js';
import { usersByLogin } from '../http/direct-groups.js';

/**
 * Each user's Holistics embed payload (seed 001): per dataset, `permissions.row_based`, an AND
 * of conditions on `dataset / model / field`. A condition that allows everything (`all`) is left
 * out. A condition that allows nothing cannot be written: Holistics reads an empty `values` list
 * as no restriction (seed 001's General Manager), so the user gets no payload for that dataset
 * and an explicit denial instead. OR (`any`) has no form in `row_based`: a compile error.
 */
export interface RowCondition {
  path: { dataset: string; model: string; field: string };
  operator: string;
  modifier: string | null;
  values: Scalar[];
}

export type DatasetPayload = { permissions: { row_based: RowCondition[] } } | { denied: true; reason: string };

export interface UserPayloads {
  login: string;
  /** Dataset unique name -> payload or denial. Sorted. */
  datasets: Record<string, DatasetPayload>;
  /** Set when the user gets no payload at all (disabled). */
  denied?: string;
}

interface HolisticsSubject {
  subject: string;
  dataset: string;
  models: Record<string, string>;
  defaultModel?: string;
}

const OPERATORS: Record<string, { positive: boolean; holistics: string }> = {
  in: { positive: true, holistics: 'is' },
  eq: { positive: true, holistics: 'is' },
  not_in: { positive: false, holistics: 'is_not' },
  ne: { positive: false, holistics: 'is_not' },
  lt: { positive: true, holistics: 'less_than' },
  le: { positive: true, holistics: 'less_than_or_equal' },
  gt: { positive: true, holistics: 'greater_than' },
  ge: { positive: true, holistics: 'greater_than_or_equal' },
  between: { positive: true, holistics: 'between' },
};

const UNIT: Record<string, string> = { days: 'day', weeks: 'week', months: 'month', years: 'year' };

export function holisticsSubjects(policy: PolicySet, diagnostics: Diagnostic[]): HolisticsSubject[] {
  const subjects: HolisticsSubject[] = [];
  for (const name of [...policy.subjects.keys()].sort()) {
    const platform = policy.subjects.get(name)!.platforms.holistics;
    if (platform === undefined) continue;
    const { dataset, models, model } = platform.value as { dataset?: unknown; models?: unknown; model?: unknown };
    if (typeof dataset !== 'string' || dataset === '') {
      diagnostics.push(error('E-HOLISTICS-MAPPING', `subject "${name}" needs \`platforms.holistics.dataset\` (the dataset's unique name)`, platform.loc));
      continue;
    }
    const table = typeof models === 'object' && models !== null && !Array.isArray(models) ? (models as Record<string, string>) : {};
    subjects.push({ subject: name, dataset, models: table, ...(typeof model === 'string' ? { defaultModel: model } : {}) });
  }
  return subjects;
}

export function embedPayloads(model: ResolvedModel, accessOf: (login: string, subject: string) => SubjectAccess, diagnostics: Diagnostic[], targetLoc?: Loc): UserPayloads[] {
  const subjects = holisticsSubjects(model.policy, diagnostics);
  if (subjects.length === 0 && targetLoc) {
    diagnostics.push(warning('W-HOLISTICS-NO-SUBJECTS', 'no subject has `platforms.holistics`: no embed payload restricts anything', targetLoc, {
      hint: 'give the subjects Holistics holds `platforms.holistics: { dataset, models }`',
    }));
  }
  const reported = new Set<string>();
  const report = (key: string, diagnostic: Diagnostic): void => {
    if (reported.has(key)) return;
    reported.add(key);
    diagnostics.push(diagnostic);
  };
  const result: UserPayloads[] = [];
  for (const user of usersByLogin(model)) {
    if (!user.enabled) {
      result.push({ login: user.login, datasets: {}, denied: 'the user is disabled' });
      continue;
    }
    const rows = new Map<string, RowCondition[]>();
    const denials = new Map<string, string>();
    for (const subject of subjects) {
      if (!rows.has(subject.dataset)) rows.set(subject.dataset, []);
      const deny = (reason: string): void => {
        if (!denials.has(subject.dataset)) denials.set(subject.dataset, reason);
      };
      const access = accessOf(user.login, subject.subject);
      if (!access.access) {
        deny(`no access to subject "${subject.subject}"`);
        continue;
      }
      for (const filter of access.filters) {
        const ruleLoc = model.policy.rules.get(filter.rule)?.loc ?? filter.loc;
        if ('any' in filter) {
          report(`or:${filter.rule}`, error('E-HOLISTICS-NO-OR', `rule "${filter.rule}" uses \`any\` (OR), which a Holistics row_based payload cannot express`, ruleLoc, {
            hint: 'row_based conditions are ANDed; split the rule or leave this subject out of `platforms.holistics`',
          }));
          deny(`rule "${filter.rule}" is not expressible`);
          continue;
        }
        const modelName = subject.models[filter.field] ?? subject.defaultModel;
        if (modelName === undefined) {
          report(`field:${filter.rule}`, error('E-HOLISTICS-UNMAPPED-FIELD', `rule "${filter.rule}" filters field "${filter.field}" of subject "${subject.subject}", which has no model in \`platforms.holistics.models\``, ruleLoc, {
            hint: `add \`${filter.field}: <model name>\` under the subject's platforms.holistics.models`,
          }));
          deny(`field "${filter.field}" has no Holistics model`);
          continue;
        }
        const row = condition(filter, { dataset: subject.dataset, model: modelName, field: filter.column });
        if (row === 'deny') deny(`rule "${filter.rule}" allows no ${filter.field} value`);
        else if (row !== 'skip') rows.get(subject.dataset)!.push(row);
      }
    }
    const datasets: Record<string, DatasetPayload> = {};
    for (const dataset of [...rows.keys()].sort()) {
      const reason = denials.get(dataset);
      datasets[dataset] = reason !== undefined ? { denied: true, reason } : { permissions: { row_based: dedupe(rows.get(dataset)!) } };
    }
    result.push({ login: user.login, datasets });
  }
  return result;
}

function condition(filter: ResolvedCondition, path: RowCondition['path']): RowCondition | 'skip' | 'deny' {
  if (filter.operator === 'last' || filter.operator === 'next') {
    if (!filter.modifier) return 'deny';
    return { path, operator: filter.operator, modifier: UNIT[filter.modifier.unit], values: [filter.modifier.amount] };
  }
  const op = OPERATORS[filter.operator];
  const values = filter.values ?? [];
  if (values === 'all') return op.positive ? 'skip' : 'deny';
  if (values.length === 0) return op.positive ? 'deny' : 'skip';
  return { path, operator: op.holistics, modifier: null, values: [...values] };
}

function dedupe(rows: RowCondition[]): RowCondition[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = canonicalJson(row);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
