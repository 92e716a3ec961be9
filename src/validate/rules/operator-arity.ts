import { error } from '../../diagnostics/diagnostic.js';
import type { Condition, RuleDef } from '../../model/policy.js';
import type { ValidationContext, ValidationRule } from '../rule.js';

/**
 * How many operands an operator takes (spec section 4), E-OPERATOR-ARITY otherwise:
 * - `lt`, `le`, `gt`, `ge` with static values: exactly one value;
 * - `between`: exactly two static values (low, high); an attribute cannot name a range's ends.
 * The schema already requires a `modifier` (and nothing else) for `last`/`next` and an
 * `attribute` or `values` for every other operator. Whether an attribute-based `lt`…`ge` meets a
 * user holding several values depends on resolution, so that is the resolver's error, per user.
 */
export const operatorArity: ValidationRule = {
  name: 'operator-arity',
  check(context) {
    for (const rule of context.policy.rules.values()) {
      for (const condition of rule.conditions) checkCondition(context, rule, condition);
    }
  },
};

function checkCondition(context: ValidationContext, rule: RuleDef, condition: Condition): void {
  const operator = condition.operator.value;
  const count = condition.values?.length;
  const report = (message: string, hint: string): void => {
    context.report(error('E-OPERATOR-ARITY', `rule "${rule.name}": ${message}`, condition.operator.loc, { hint }));
  };
  switch (operator) {
    case 'between':
      if (condition.attribute !== undefined) report('operator between compares with two static values, not an attribute', 'write values: [low, high]');
      else if (count !== 2) report(`operator between takes exactly two values, got ${count ?? 0}`, 'write values: [low, high]');
      return;
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      if (count !== undefined && count !== 1) {
        report(`operator ${operator} compares with exactly one value, got ${count}`, 'write values: [x], or use between for a range');
      }
      return;
    default:
      return;
  }
}
