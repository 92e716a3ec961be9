import { error, warning, type Diagnostic, type Loc } from '../../diagnostics/diagnostic.js';
import type { Scalar } from '../../model/policy.js';
import type { ResolvedFilter, ResolvedModel, ResolvedUser, SubjectAccess } from '../../resolve/model.js';
import type { GooddataOptions } from './config.js';
import { attributeRef, comparison, conjunction, DENY_ALL, elementRef, labelRef, MAQL_LIMIT, MaqlError, stringLiteral, type MaqlComparison, type MaqlOperand } from './maql.js';
import type { GooddataSubject } from './subject-mapping.js';

/**
 * One user's data permission: the AND of their row filters on every subject GoodData filters.
 * Per condition (section 4): `all` in `in`/`eq` drops the condition; none denies; `not_in`/`ne`
 * the other way round. A value without a platform mapping denies (dropped from an IN list, which
 * denies when it empties; it makes a NOT IN/<> deny outright, since leaving it out would widen).
 * A user without access to a filtered subject, or disabled, is denied everything (`1 <> 1`).
 */
export type AccessOf = (login: string, subject: string) => SubjectAccess;

export interface FilterPart {
  subject: string;
  rule?: string;
  /** The MAQL of this condition, or DENY_ALL. */
  maql: string;
  /** Why it denies, when it does. */
  denies?: string;
}

export interface UserFilter {
  login: string;
  /** The AND of `parts`, DENY_ALL, or null when the user is unrestricted (no filter). */
  maql: string | null;
  denied: boolean;
  parts: FilterPart[];
}

export interface FilterContext {
  model: ResolvedModel;
  accessOf: AccessOf;
  options: GooddataOptions;
  subjects: GooddataSubject[];
  /** Diagnostics keyed so each problem is reported once per rule, not once per user. */
  report: DiagnosticSink;
}

export class DiagnosticSink {
  private readonly byKey = new Map<string, Diagnostic>();
  add(key: string, diagnostic: Diagnostic): void {
    if (!this.byKey.has(key)) this.byKey.set(key, diagnostic);
  }
  list(): Diagnostic[] {
    return [...this.byKey.values()];
  }
}

export function userFilter(user: ResolvedUser, ctx: FilterContext): UserFilter {
  // A disabled user has no access at all, whatever GoodData maps.
  if (!user.enabled) return { login: user.login, maql: DENY_ALL, denied: true, parts: [{ subject: '*', maql: DENY_ALL, denies: 'the user is disabled' }] };
  const parts: FilterPart[] = [];
  for (const subject of ctx.subjects) {
    const access = ctx.accessOf(user.login, subject.subject);
    if (!access.access) {
      parts.push({ subject: subject.subject, maql: DENY_ALL, denies: `no access to subject "${subject.subject}"` });
      continue;
    }
    for (const filter of access.filters) {
      const part = filterPart(filter, subject, ctx);
      if (part !== null) parts.push(part);
    }
  }
  const denied = parts.some((p) => p.maql === DENY_ALL);
  const maql = denied ? DENY_ALL : conjunction(parts.map((p) => p.maql));
  if (maql !== null) checkLength(user.login, maql, parts, ctx);
  return { login: user.login, maql, denied, parts };
}

function filterPart(filter: ResolvedFilter, subject: GooddataSubject, ctx: FilterContext): FilterPart | null {
  const ruleLoc = ctx.model.policy.rules.get(filter.rule)?.loc ?? filter.loc;
  if ('any' in filter) {
    ctx.report.add(`or:${filter.rule}`, error('E-GOODDATA-NO-OR', `rule "${filter.rule}" uses \`any\` (OR), which GoodData data permissions cannot express`, ruleLoc, {
      hint: 'GoodData allows only AND of conditions; split the rule or leave this subject out of `platforms.gooddata`',
    }));
    return { subject: subject.subject, rule: filter.rule, maql: DENY_ALL, denies: 'OR is not expressible' };
  }
  const target = subject.fields.get(filter.field);
  if (target === undefined) {
    ctx.report.add(`field:${filter.rule}`, error('E-GOODDATA-UNMAPPED-FIELD', `rule "${filter.rule}" filters field "${filter.field}" of subject "${subject.subject}", which has no GoodData ${ctx.options.api === 'cloud' ? 'label' : 'attribute'} in \`platforms.gooddata\``, ruleLoc, {
      related: [{ message: 'the subject\'s GoodData mapping', loc: subject.loc }],
    }));
    return { subject: subject.subject, rule: filter.rule, maql: DENY_ALL, denies: 'field not mapped' };
  }
  const operator = filter.operator;
  if (operator !== 'in' && operator !== 'eq' && operator !== 'not_in' && operator !== 'ne') {
    ctx.report.add(`op:${filter.rule}`, error('E-GOODDATA-OPERATOR', `rule "${filter.rule}" uses \`${operator}\`; GoodData data permissions allow only in, not_in, eq and ne`, ruleLoc));
    return { subject: subject.subject, rule: filter.rule, maql: DENY_ALL, denies: 'operator not expressible' };
  }
  const positive = operator === 'in' || operator === 'eq';
  const values = filter.values ?? [];
  const base = { subject: subject.subject, rule: filter.rule };
  if (values === 'all') return positive ? null : { ...base, maql: DENY_ALL, denies: `${operator} all` };
  if (values.length === 0) return positive ? { ...base, maql: DENY_ALL, denies: `no ${filter.attribute ?? filter.field} values` } : null;
  const mapped: MaqlOperand[] = [];
  let unmapped = false;
  try {
    for (const value of values) {
      const operand = platformValue(value, subject.subject, filter.field, target, ctx);
      if (operand === null) {
        unmapped = true;
        ctx.report.add(`unmapped:${subject.subject}:${filter.field}:${String(value)}`, warning('W-GOODDATA-UNMAPPED-VALUE', `value ${JSON.stringify(value)} of field "${filter.field}" (subject "${subject.subject}") has no GoodData mapping; users filtered by it are denied it`, ruleLoc, {
          hint: ctx.options.api === 'legacy' ? `add its element URI under elements.${target} (or mappings.${subject.subject}.${filter.field}) in the target config` : `add it under mappings.${subject.subject}.${filter.field} in the target config`,
          ...(ctx.options.mappingsLoc ? { related: [{ message: 'the target\'s mappings', loc: ctx.options.mappingsLoc }] } : {}),
        }));
      } else {
        mapped.push(operand);
      }
    }
    if (!positive && unmapped) return { ...base, maql: DENY_ALL, denies: 'a value to exclude has no GoodData mapping' };
    if (mapped.length === 0) return { ...base, maql: DENY_ALL, denies: 'no value has a GoodData mapping' };
    const left = ctx.options.api === 'cloud' ? labelRef(target) : attributeRef(target);
    const op: MaqlComparison = mapped.length === 1 ? (positive ? 'eq' : 'ne') : positive ? 'in' : 'not_in';
    return { ...base, maql: comparison(left, op, mapped) };
  } catch (problem) {
    if (!(problem instanceof MaqlError)) throw problem;
    ctx.report.add(`maql:${filter.rule}:${problem.message}`, error('E-GOODDATA-VALUE', `rule "${filter.rule}": ${problem.message}`, ruleLoc));
    return { ...base, maql: DENY_ALL, denies: problem.message };
  }
}

/** The MAQL operand for a policy value, or null when it has no mapping. */
function platformValue(value: Scalar, subject: string, field: string, target: string, ctx: FilterContext): MaqlOperand | null {
  const table = ctx.options.mappings.get(subject)?.get(field);
  if (ctx.options.api === 'legacy') {
    const uri = table?.get(String(value)) ?? ctx.options.elements.get(target)?.get(String(value));
    if (uri === undefined) return null;
    // An element of another attribute would compare apples with oranges: refuse it.
    if (!uri.startsWith(`${target}/elements?id=`)) throw new MaqlError(`"${uri}" (the mapping of ${JSON.stringify(value)}) is not an element of attribute ${target}`);
    return elementRef(uri);
  }
  // Cloud compares label values as text; a mapping, when given for the field, is authoritative.
  if (table === undefined) return stringLiteral(String(value));
  const mapped = table.get(String(value));
  return mapped === undefined ? null : stringLiteral(mapped);
}

function checkLength(login: string, maql: string, parts: FilterPart[], ctx: FilterContext): void {
  const limit = MAQL_LIMIT[ctx.options.api];
  if (maql.length <= limit) return;
  // Point at the rule contributing the longest condition; the others are related.
  const ruled = parts.filter((p) => p.rule !== undefined).sort((a, b) => b.maql.length - a.maql.length);
  const rules = ctx.model.policy.rules;
  const loc: Loc = (ruled[0] && rules.get(ruled[0].rule!)?.loc) ?? ctx.model.users.get(login)!.loc;
  ctx.report.add(`length:${ruled[0]?.rule ?? login}`, error('E-GOODDATA-FILTER-TOO-LONG', `the GoodData data permission of "${login}" is ${maql.length} characters, over the ${limit.toLocaleString('en-US')} allowed (api: ${ctx.options.api})${ruled[0] ? `; rule "${ruled[0].rule}" contributes the most` : ''}`, loc, {
    hint: 'filter on a coarser attribute (e.g. region instead of store), or split users into groups with shorter value lists',
    related: ruled.slice(1).flatMap((p) => {
      const ruleLoc = rules.get(p.rule!)?.loc;
      return ruleLoc ? [{ message: `rule "${p.rule}" also contributes`, loc: ruleLoc }] : [];
    }),
  }));
}
