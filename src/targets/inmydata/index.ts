import { hasErrors, sortDiagnostics, warning, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ResolvedModel } from '../../resolve/model.js';
import { csvDocument, neutraliseFormula } from '../../util/csv.js';
import { rejectUnknownOptions, stringOption } from '../../util/target-options.js';
import type { Artifact, CompileContext, CompileResult, TargetDefinition } from '../target.js';
import { inmydataChecklist } from './checklist.js';
import { planFilters } from './filter-plan.js';
import { publishedSubjects, scopeModel } from './scope.js';
import { inmydataSubjectName, permittedSubjects } from './subjects.js';
import { buildUserData } from './user-data.js';

/**
 * inmydata (SPEC 5.2, seed 000): no public admin API, so the target writes what the admin
 * screens take — the user-data subject, groups with descriptions and home pages, the
 * enforce-subject-access setting, permitted subjects per group, the filter on each subject and
 * the API keys with their users — as files, plus a checklist to apply them.
 */

const FILES = {
  userData: 'user-data.csv',
  groups: 'groups.csv',
  userGroups: 'user-groups.csv',
  permitted: 'permitted-subjects.csv',
  filters: 'filters.csv',
  apiKeys: 'api-keys.csv',
  settings: 'settings.json',
  checklist: 'checklist.md',
} as const;

const OPTIONS = ['tenant', 'user_subject', 'user_id_field', 'all_value', 'none_value', 'subjects'] as const;
const TEXT = /^[^\u0000-\u001f\u007f]+$/;
const COLUMN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TOKEN = /^[^\u0000-\u001f\u007f=+\-@\s,"][^\u0000-\u001f\u007f,"]*$/;

export const inmydataTarget: TargetDefinition = {
  type: 'inmydata',
  compile(everything: ResolvedModel, ctx: CompileContext): CompileResult {
    const diagnostics: Diagnostic[] = [];
    const target = ctx.target;
    rejectUnknownOptions(target, OPTIONS, diagnostics);
    const published = publishedSubjects(everything, target, diagnostics);
    const model = published === null ? everything : scopeModel(everything, published);
    const tenant = stringOption(target, 'tenant', '', TEXT, 'a tenant name', diagnostics);
    const userSubject = stringOption(target, 'user_subject', 'User Data', TEXT, 'a subject name', diagnostics);
    const userIdField = stringOption(target, 'user_id_field', 'user_id', COLUMN, 'a column name (letters, digits, _)', diagnostics);
    const allValue = stringOption(target, 'all_value', '*', TOKEN, 'a token without commas, quotes or a leading formula character', diagnostics);
    const noneValue = stringOption(target, 'none_value', '(none)', TOKEN, 'a token without commas, quotes or a leading formula character', diagnostics);
    if (allValue === noneValue) {
      diagnostics.push(warning('W-INMYDATA-TOKENS', '`all_value` and `none_value` are the same; none is then read as all', target.optionLocs.none_value ?? target.loc));
    }

    const policy = model.policy;
    const plan = planFilters(policy);
    diagnostics.push(...plan.diagnostics);
    const userData = buildUserData(model, plan, { userIdField, allValue, noneValue, userIdFieldLoc: target.optionLocs.user_id_field ?? target.loc });
    diagnostics.push(...userData.diagnostics);
    for (const user of policy.users.values()) {
      if (user.home !== undefined && !user.disabled) {
        diagnostics.push(
          warning('W-INMYDATA-USER-HOME', `inmydata sets home pages per group; the own home page of "${user.login}" is listed in the checklist to set by hand`, user.home.loc),
        );
      }
    }
    if (hasErrors(diagnostics)) return { artifacts: [], diagnostics: sortDiagnostics(diagnostics) };

    const groups = [...policy.groups.values()]
      .sort((a, b) => cmp(a.name, b.name))
      .map((group) => {
        const home = group.home?.value;
        const [kind, target] = home === undefined ? ['', ''] : 'dashboard' in home ? ['dashboard', home.dashboard] : ['category', home.category];
        return [group.name, neutraliseFormula(oneLine(group.description ?? '')), kind, neutraliseFormula(target)];
      });
    const userGroups: string[][] = [];
    for (const user of model.users.values()) if (user.enabled) for (const group of user.groups.keys()) userGroups.push([user.login, group]);
    const permitted = permittedSubjects(policy);
    const permittedRows: string[][] = [];
    for (const [group, subjects] of permitted) for (const subject of subjects) permittedRows.push([group, neutraliseFormula(subject)]);
    const filterRows: string[][] = [];
    for (const subject of [...policy.subjects.values()].sort((a, b) => cmp(a.name, b.name))) {
      for (const filter of plan.bySubject.get(subject.name) ?? []) {
        filterRows.push([
          neutraliseFormula(inmydataSubjectName(subject)),
          filter.rule,
          filter.column,
          filter.operator,
          filter.parameter ?? '',
          filter.values === undefined ? '' : neutraliseFormula(JSON.stringify(filter.values)),
          filter.period === undefined ? '' : `${filter.period.amount} ${filter.period.unit}`,
        ]);
      }
    }
    const keyRows = [...model.apiKeys.values()]
      .sort((a, b) => cmp(a.name, b.name))
      .map((key) => [key.name, key.user, neutraliseFormula(oneLine(policy.apiKeys.get(key.name)?.description ?? '')), key.expires ?? '']);
    const settings = {
      enforce_group_access_to_subjects: true,
      policy_enforces_subject_access: policy.settings.enforceSubjectAccess,
      user_id_field: userIdField,
      user_subject: userSubject,
      user_data_all_value: allValue,
      user_data_none_value: noneValue,
    };
    const artifacts: Artifact[] = [
      { path: FILES.userData, content: csvDocument(userData.header, userData.rows) },
      { path: FILES.groups, content: csvDocument(['name', 'description', 'home_type', 'home'], groups) },
      { path: FILES.userGroups, content: csvDocument([userIdField, 'group'], userGroups) },
      { path: FILES.permitted, content: csvDocument(['group', 'subject'], permittedRows) },
      { path: FILES.filters, content: csvDocument(['subject', 'rule', 'field', 'operator', 'filter_parameter', 'values', 'period'], filterRows) },
      { path: FILES.apiKeys, content: csvDocument(['name', 'user', 'description', 'expires'], keyRows) },
      { path: FILES.settings, content: `${JSON.stringify(sortKeys(settings), null, 2)}\n` },
      {
        path: FILES.checklist,
        content: inmydataChecklist({ model, tenant, userSubject, userIdField, allValue, noneValue, plan, permitted, files: FILES }),
      },
    ];
    artifacts.sort((a, b) => cmp(a.path, b.path));
    return { artifacts, diagnostics: sortDiagnostics(diagnostics) };
  },
};

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, value[key]]));
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
