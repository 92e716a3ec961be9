import { error, type Diagnostic, type RelatedLocation } from '../diagnostics/diagnostic.js';
import type { Condition, RuleDef } from '../model/policy.js';
import { subjectAccess } from './access.js';
import type { ResolvedModel } from './model.js';

/**
 * `lt`, `le`, `gt` and `ge` compare with one value (SPEC 4: more than one is an error). With
 * static values validation checks that; with an attribute it depends on each user's resolved
 * values, so it is checked here: every user the rule filters whose attribute holds several
 * values makes the rule an error (one diagnostic per condition, naming the first users).
 * Only rules with such conditions cost anything.
 */

const SINGLE_VALUE = new Set(['lt', 'le', 'gt', 'ge']);
const NAMED_USERS = 5;

export function checkComparisonValues(model: ResolvedModel): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const rule of [...model.policy.rules.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    rule.conditions.forEach((condition, index) => {
      if (condition.attribute && SINGLE_VALUE.has(condition.operator.value)) {
        const found = check(model, rule, condition, index);
        if (found) diagnostics.push(found);
      }
    });
  }
  return diagnostics;
}

function check(model: ResolvedModel, rule: RuleDef, condition: Condition, index: number): Diagnostic | undefined {
  const attribute = condition.attribute!.value;
  const offenders: { login: string; count: number; related: RelatedLocation }[] = [];
  for (const user of model.users.values()) {
    if (!user.enabled) continue;
    const filter = subjectAccess(model, user.login, rule.subject.value).filters.find((f) => f.rule === rule.name);
    if (!filter) continue;
    const resolved = 'any' in filter ? filter.any[index] : filter;
    if (!Array.isArray(resolved?.values) || resolved.values.length <= 1) continue;
    const because = user.attributes.get(attribute)?.because[0];
    const loc = because && 'loc' in because && because.loc ? because.loc : user.loc;
    offenders.push({ login: user.login, count: resolved.values.length, related: { message: `${user.login} gets ${resolved.values.length} values of ${attribute} here`, loc } });
  }
  if (offenders.length === 0) return undefined;
  const named = offenders.slice(0, NAMED_USERS).map((o) => `${o.login} (${o.count})`).join(', ');
  const more = offenders.length > NAMED_USERS ? ` and ${offenders.length - NAMED_USERS} more` : '';
  return error(
    'E-OPERATOR-ARITY',
    `rule '${rule.name}': operator ${condition.operator.value} compares with one value of attribute ${attribute}, but ${offenders.length === 1 ? 'a user holds' : `${offenders.length} users hold`} several: ${named}${more}`,
    condition.operator.loc,
    {
      hint: `give those users a single ${attribute} value, or compare with in / not_in`,
      related: offenders.slice(0, NAMED_USERS).map((o) => o.related),
    },
  );
}
