import { error, type Diagnostic, type Loc } from '../../diagnostics/diagnostic.js';
import type { AttributeType, AttributeValues, Scalar } from '../../model/policy.js';
import { subjectAccess } from '../../resolve/access.js';
import type { ResolvedModel, ResolvedUser, SubjectAccess } from '../../resolve/model.js';
import { looksLikeFormula } from '../../util/csv.js';
import type { FilterPlan, ParameterInfo, ParameterKind } from './filter-plan.js';

/**
 * The user-data subject of seed 000: "a dataset where each row represents a user", with the
 * user-id column and "one column for each attribute you want to filter by".
 *
 * Multi-valued attributes: a user gets as many rows as their longest value list, and each
 * column cycles through its own sorted values, so the set of values in a column across the
 * user's rows is exactly the user's set (a Filter Parameter matches against that set), and no
 * cell is ever blank (a blank would be a value: the empty string). Every enabled user has at
 * least one row: a user missing from user data must not be left unfiltered.
 *
 * What a cell holds is the value the *filter* needs for that user, not the raw attribute: an
 * inmydata filter applies to everyone who sees the subject, so a user whom the rule does not
 * apply to (`applies_to`, `row_rules: bypass`, admins) must get "unrestricted" in that column.
 * Rules that disagree for one user and one column are an error.
 *
 * `all` and none (SPEC 4: never fail open):
 * - value list (`in`/`eq`): all is the `all_value` token (default `*`), none the `none_value`
 *   token (default `(none)`), which matches no real value and so denies;
 * - excluded list (`not_in`/`ne`): none is the `none_value` token (excludes nothing); all would
 *   have to exclude everything, which a list cannot say: an error for that user;
 * - bound (`ge`/`gt` lower, `le`/`lt` upper): all is the type's extreme (0001-01-01 /
 *   9999-12-31, ±9007199254740991); none cannot be said with one bound: an error.
 */
export interface UserDataOptions {
  userIdField: string;
  allValue: string;
  noneValue: string;
  /** Where the user-id column name was configured (or the target), for a name clash. */
  userIdFieldLoc: Loc;
}

export interface UserData {
  header: string[];
  rows: string[][];
  diagnostics: Diagnostic[];
}

/** `unread`: no filter reads the column for this user (no access to those subjects); the cell then only records the attribute. */
type Need = ({ kind: 'all' } | { kind: 'values'; values: Scalar[] }) & { unread?: boolean };

const EXTREMES: Partial<Record<AttributeType, { lower: string; upper: string }>> = {
  date: { lower: '0001-01-01', upper: '9999-12-31' },
  integer: { lower: '-9007199254740991', upper: '9007199254740991' },
  number: { lower: '-9007199254740991', upper: '9007199254740991' },
};

export function buildUserData(model: ResolvedModel, plan: FilterPlan, options: UserDataOptions): UserData {
  const diagnostics: Diagnostic[] = [];
  const attributes = [...model.policy.attributes.keys()].sort();
  // System attributes (`user.email`, …) get a column only when a filter compares with them.
  for (const name of [...plan.parameterKinds.keys()].sort()) if (!attributes.includes(name)) attributes.push(name);
  if (attributes.includes(options.userIdField)) {
    const def = model.policy.attributes.get(options.userIdField);
    diagnostics.push(
      error('E-CONFIG', `the user-id column "${options.userIdField}" has the name of an attribute`, options.userIdFieldLoc, {
        hint: 'set the inmydata target\'s `user_id_field` to another column name',
        related: def === undefined ? [] : [{ message: `attribute "${def.name}"`, loc: def.loc }],
      }),
    );
    return { header: [], rows: [], diagnostics };
  }
  const rows: string[][] = [];
  for (const user of model.users.values()) {
    if (!user.enabled) continue;
    if (looksLikeFormula(user.login)) {
      diagnostics.push(
        error('E-CSV-FORMULA', `the login "${user.login}" starts with a spreadsheet formula character`, user.loc, {
          hint: 'identifiers are never altered in CSV output (that would change who they match); rename the user',
        }),
      );
      continue;
    }
    // One access computation per user and subject, shared by every column that reads it.
    const accessCache = new Map<string, SubjectAccess>();
    const accessTo = (subject: string): SubjectAccess => {
      let access = accessCache.get(subject);
      if (access === undefined) accessCache.set(subject, (access = subjectAccess(model, user.login, subject)));
      return access;
    };
    const columns: string[][] = [];
    for (const attribute of attributes) {
      const need = columnNeed(model, plan, user, attribute, accessTo, diagnostics);
      const cells = need === undefined ? undefined : encode(need, plan.parameterKinds.get(attribute), user, attribute, options, diagnostics);
      columns.push(cells ?? [options.noneValue]);
    }
    const height = Math.max(1, ...columns.map((cells) => cells.length));
    for (let row = 0; row < height; row += 1) rows.push([user.login, ...columns.map((cells) => cells[row % cells.length])]);
  }
  return { header: [options.userIdField, ...attributes], rows, diagnostics };
}

/** What the column must say for this user, merged over every filter that reads it. */
function columnNeed(
  model: ResolvedModel,
  plan: FilterPlan,
  user: ResolvedUser,
  attribute: string,
  accessTo: (subject: string) => SubjectAccess,
  diagnostics: Diagnostic[],
): Need | undefined {
  let need: Need | undefined;
  for (const [subject, filters] of plan.bySubject) {
    const readers = filters.filter((filter) => filter.parameter === attribute);
    if (readers.length === 0) continue;
    const access = accessTo(subject);
    if (!access.access) continue; // the filter never runs for this user
    for (const reader of readers) {
      const applied = access.filters.find((filter) => filter.rule === reader.rule);
      const values = applied !== undefined && !('any' in applied) ? applied.values : 'all';
      const next: Need = values === 'all' || values === undefined ? { kind: 'all' } : { kind: 'values', values };
      if (need !== undefined && !sameNeed(need, next)) {
        const rule = model.policy.rules.get(reader.rule)!;
        diagnostics.push(
          error(
            'E-INMYDATA-FILTER-CONFLICT',
            `user "${user.login}" needs different values in the user-data column "${attribute}" for different filters (rule "${reader.rule}" on subject "${subject}")`,
            rule.loc,
            { hint: 'inmydata filters apply to everyone who sees a subject; give the rules reading one attribute the same `applies_to`', related: [{ message: `user "${user.login}"`, loc: user.loc }] },
          ),
        );
        return undefined;
      }
      need = next;
    }
  }
  return need ?? fromAttribute(user.attributes.get(attribute)?.value);
}

function fromAttribute(values: AttributeValues | undefined): Need {
  return values?.kind === 'all' ? { kind: 'all', unread: true } : { kind: 'values', values: values?.values ?? [], unread: true };
}

function sameNeed(a: Need, b: Need): boolean {
  if (a.kind === 'all' || b.kind === 'all') return a.kind === b.kind;
  return JSON.stringify(a.values) === JSON.stringify(b.values);
}

function encode(
  need: Need,
  parameter: ParameterInfo | undefined,
  user: ResolvedUser,
  attribute: string,
  options: UserDataOptions,
  diagnostics: Diagnostic[],
): string[] | undefined {
  const kind: ParameterKind = parameter?.kind ?? 'in';
  const fail = (message: string): string[] | undefined => {
    // A cell no filter reads for this user cannot widen anything: it gets the none token.
    if (need.unread === true) return [options.noneValue];
    diagnostics.push(error('E-INMYDATA-UNEXPRESSIBLE', `user "${user.login}", attribute "${attribute}": ${message}`, user.loc));
    return undefined;
  };
  if (kind === 'in' || kind === 'not_in') {
    if (need.kind === 'all') return kind === 'in' ? [options.allValue] : fail('`all` excludes every row, which an excluded-values list cannot say');
    if (need.values.length === 0) return [options.noneValue];
    const cells = need.values.map(cell);
    const formula = cells.find(looksLikeFormula);
    if (formula !== undefined) {
      // Filter values are never altered (that would change what they match): refuse, even in a column no filter reads.
      diagnostics.push(
        error('E-CSV-FORMULA', `user "${user.login}", attribute "${attribute}": the value "${formula}" starts with a spreadsheet formula character`, user.loc),
      );
      return undefined;
    }
    const token = cells.find((value) => value === options.allValue || value === options.noneValue);
    if (token !== undefined) return fail(`the value "${token}" is the user-data token for all or none; set the target's \`all_value\`/\`none_value\` to other tokens`);
    return cells;
  }
  const extremes = EXTREMES[parameter!.type];
  if (need.kind === 'all') {
    return extremes === undefined ? fail(`\`all\` has no ${kind} bound for type ${parameter!.type}`) : [kind === 'lower' ? extremes.lower : extremes.upper];
  }
  if (need.values.length !== 1) return fail(`a ${kind}-bound filter needs exactly one value, the user has ${need.values.length}`);
  return [cell(need.values[0])];
}

function cell(value: Scalar): string {
  return typeof value === 'string' ? value : String(value);
}
