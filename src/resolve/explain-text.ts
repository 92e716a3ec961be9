import type { Diagnostic, Loc } from '../diagnostics/diagnostic.js';
import type { AttributeValues, Home, Scalar } from '../model/policy.js';
import { subjectAccess } from './access.js';
import type { Provenance, ResolvedCondition, ResolvedFilter, ResolvedModel, ResolvedUser, SubjectAccess } from './model.js';
import { compareText } from './scalars.js';
import { unknownSubject, unknownUser } from './unknown-names.js';

/**
 * `explain --format text`: a user's resolved access, every fact followed by where it comes
 * from (file:line), e.g.
 *   country = {Singapore, Vietnam} from groups singapore (policies/people.yaml:20) and vietnam (policies/people.yaml:14)
 * Pure: returns a string. Colour is the caller's business, through `style` (identity by default).
 */

export interface ExplainStyle {
  bold(s: string): string;
  dim(s: string): string;
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const identity = (s: string) => s;
const PLAIN: ExplainStyle = { bold: identity, dim: identity, green: identity, red: identity, yellow: identity, cyan: identity };

export type ExplainTextResult = { ok: true; text: string } | { ok: false; diagnostics: Diagnostic[] };

export function explainText(model: ResolvedModel, login: string, subject?: string, style: Partial<ExplainStyle> = {}): ExplainTextResult {
  const user = model.users.get(login);
  if (!user) return { ok: false, diagnostics: [unknownUser(model, login)] };
  if (subject !== undefined && !model.policy.subjects.has(subject)) return { ok: false, diagnostics: [unknownSubject(model, subject)] };
  const s: ExplainStyle = { ...PLAIN, ...style };
  const lines: string[] = [];
  const where = (loc: Loc | undefined) => (loc ? s.dim(` (${at(loc)})`) : '');

  const title = user.name !== undefined ? `${user.login} (${user.name})` : user.login;
  lines.push(`${s.bold(`user ${title}`)}${where(user.loc)}`);
  if (!user.enabled) {
    lines.push(`  ${s.red('disabled')}: no groups, roles, subjects or rows`);
  }
  if (user.admin) lines.push(`  ${s.yellow('administrator')} (admin: true): every subject, super_role`);

  lines.push('', s.bold('groups'));
  if (user.groups.size === 0) lines.push('  (none)');
  for (const name of sortedKeys(user.groups)) {
    lines.push(`  ${s.cyan(name)}: ${user.groups.get(name)!.map((p) => membershipReason(p, where)).join('; ')}`);
  }

  lines.push('', s.bold('roles'));
  if (user.roles.size === 0) lines.push('  (none)');
  for (const name of sortedKeys(user.roles)) {
    lines.push(`  ${s.cyan(name)}: ${user.roles.get(name)!.map((p) => roleReason(p, where)).join('; ')}`);
  }
  lines.push(`  permissions: ${user.permissions.length > 0 ? user.permissions.join(', ') : '(none)'}`);
  const bypass = user.bypassRowRules;
  lines.push(
    bypass.value
      ? `  row rules: ${s.yellow('bypassed')} through role ${bypass.because.map((p) => (p.source === 'role' ? p.role : p.source)).join(', ')}`
      : '  row rules: enforced',
  );

  lines.push('', s.bold('home page'));
  lines.push(user.home ? `  ${homeText(user.home.value)} from ${user.home.because.map((p) => origin(p, where)).join(', ')}` : '  (none)');

  lines.push('', s.bold('attributes'));
  for (const name of sortedKeys(user.attributes)) {
    const { value, because } = user.attributes.get(name)!;
    lines.push(`  ${s.cyan(name)} = ${valuesText(value)} ${attributeReason(because, where)}`);
  }

  lines.push('', s.bold('api keys'));
  lines.push(`  generation ${user.apiKeysEnabled.value ? 'enabled' : 'disabled'}${reasonsSuffix(user.apiKeysEnabled.because, where)}`);
  for (const key of model.apiKeys.values()) {
    if (key.user !== user.login) continue;
    const state = key.valid ? s.green('valid') : s.red('not valid');
    const expiry = key.expires !== undefined ? `, expires ${key.expires}` : '';
    lines.push(`  ${key.name}: ${state}${expiry}${key.problems.length > 0 ? ` (${key.problems.join('; ')})` : ''}${where(key.loc)}`);
  }

  lines.push('', s.bold('subjects'));
  const names = subject !== undefined ? [subject] : sortedKeys(model.policy.subjects);
  if (names.length === 0) lines.push('  (none defined)');
  for (const name of names) lines.push(...subjectLines(model, user, subjectAccess(model, user.login, name), s, where));
  return { ok: true, text: `${lines.join('\n')}\n` };
}

type Where = (loc: Loc | undefined) => string;

function subjectLines(model: ResolvedModel, user: ResolvedUser, access: SubjectAccess, s: ExplainStyle, where: Where): string[] {
  const def = model.policy.subjects.get(access.subject)!;
  if (!access.access) {
    const why = !user.enabled ? 'the user is disabled' : 'restricted, and no group of the user is granted it';
    return [`  ${s.cyan(access.subject)}: ${s.red('no access')} (${why})${where(def.loc)}`];
  }
  const lines = [`  ${s.cyan(access.subject)}: ${s.green('access')} ${accessReason(access.because, where)}`];
  if (user.bypassRowRules.value) lines.push('    all rows (row rules bypassed)');
  else if (access.filters.length === 0) lines.push('    all rows (no rule applies)');
  for (const filter of access.filters) lines.push(`    ${filterText(filter)}  ${s.dim(`rule ${filter.rule} (${at(filter.loc)})`)}`);
  return lines;
}

function accessReason(because: Provenance[], where: Where): string {
  const first = because[0];
  if (first?.source === 'admin') return `as administrator${where(first.loc)}`;
  if (first?.source === 'setting') return '(not restricted: open to every enabled user)';
  return `granted to ${because.map((p) => origin(p, where)).join(', ')}`;
}

function filterText(filter: ResolvedFilter): string {
  if ('any' in filter) return `any of: ${filter.any.map(conditionText).join(' OR ')}`;
  return conditionText(filter);
}

function conditionText(c: ResolvedCondition): string {
  const target = c.modifier ? `${c.modifier.amount} ${c.modifier.unit}` : valuesText(c.values === 'all' ? { kind: 'all' } : { kind: 'values', values: c.values ?? [] });
  const from = c.attribute !== undefined ? ` (attribute ${c.attribute})` : '';
  return `${c.field} ${c.operator} ${target}${from}`;
}

function membershipReason(p: Provenance, where: Where): string {
  switch (p.source) {
    case 'user':
      return `listed in the user's groups${where(p.loc)}`;
    case 'members':
      return `named in ${p.group}'s members${where(p.loc)}`;
    case 'default-group':
      return `default group${where(p.loc)}`;
    case 'group':
      return `inherited via ${p.path.join(' -> ')}${where(p.loc)}`;
    default:
      return origin(p, where);
  }
}

function roleReason(p: Provenance, where: Where): string {
  switch (p.source) {
    case 'role':
      return `extended via ${p.path.join(' -> ')}${where(p.loc)}`;
    case 'group':
      return `from group ${groupWithPath(p)}${where(p.loc)}`;
    default:
      return origin(p, where);
  }
}

function attributeReason(because: Provenance[], where: Where): string {
  if (because.length > 0 && because.every((p) => p.source === 'group')) {
    const items = because.map((p) => `${groupWithPath(p as Extract<Provenance, { source: 'group' }>)}${where(p.loc)}`);
    return `from ${items.length > 1 ? 'groups' : 'group'} ${joinAnd(items)}`;
  }
  return because.map((p) => origin(p, where)).join(', ');
}

/** One reason, as a phrase that reads after a value. */
function origin(p: Provenance, where: Where): string {
  switch (p.source) {
    case 'user':
      return `set on the user${where(p.loc)}`;
    case 'group':
      return `group ${groupWithPath(p)}${where(p.loc)}`;
    case 'members':
      return `group ${p.group}'s members${where(p.loc)}`;
    case 'default-group':
      return `default group ${p.group}${where(p.loc)}`;
    case 'base-role':
      return `base role${where(p.loc)}`;
    case 'admin':
      return `admin: true${where(p.loc)}`;
    case 'role':
      return `role ${p.path.join(' -> ')}${where(p.loc)}`;
    case 'attribute-default':
      return `(the attribute's default${p.loc ? '' : ': none'})${where(p.loc)}`;
    case 'system':
      return '(system attribute)';
    case 'setting':
      return `setting ${p.setting}${where(p.loc)}`;
    case 'rule':
      return `rule ${p.rule}${where(p.loc)}`;
    case 'disabled':
      return `(user disabled${where(p.loc)})`;
  }
}

function reasonsSuffix(because: Provenance[], where: Where): string {
  if (because.length === 0) return '';
  return because[0].source === 'disabled' ? ` ${origin(because[0], where)}` : ` from ${because.map((p) => origin(p, where)).join(', ')}`;
}

/** `apac`, or `apac via vietnam` when reached from the direct group `vietnam`. */
function groupWithPath(p: Extract<Provenance, { source: 'group' }>): string {
  return p.path.length > 1 ? `${p.group} via ${p.path.slice(0, -1).join(' -> ')}` : p.group;
}

function valuesText(value: AttributeValues): string {
  if (value.kind === 'all') return 'all';
  if (value.values.length === 0) return 'none';
  return `{${value.values.map(scalarText).join(', ')}}`;
}

function scalarText(value: Scalar): string {
  return typeof value === 'string' && (value === '' || /[,{}\s"]/.test(value)) ? JSON.stringify(value) : String(value);
}

function homeText(home: Home): string {
  return 'dashboard' in home ? `dashboard ${home.dashboard}` : `category ${home.category}`;
}

function joinAnd(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function at(loc: Loc): string {
  return `${loc.file}:${loc.line}`;
}

function sortedKeys(map: ReadonlyMap<string, unknown>): string[] {
  return [...map.keys()].sort(compareText);
}
