import { error } from '../../diagnostics/diagnostic.js';
import type { AttributeType, Condition, FieldDef, RuleDef } from '../../model/policy.js';
import type { ValidationContext, ValidationRule } from '../rule.js';
import { hintFor } from './attribute-value-types.js';
import { SYSTEM_ATTRIBUTES } from './system-attributes.js';
import { comparable, typeMismatch } from './value-types.js';

/**
 * A condition compares typed values (spec 5.1: integer with integer, date with date), so
 * E-TYPE-MISMATCH when a rule's static values do not fit the field's type, when the field is
 * compared with an attribute of another type (integers and numbers are comparable), or when
 * `last`/`next` is used on a field that is not a date. Unknown subjects, fields and attributes
 * are left to the rules that report them.
 */
export const conditionTypes: ValidationRule = {
  name: 'condition-types',
  check(context) {
    for (const rule of context.policy.rules.values()) {
      const subject = context.policy.subjects.get(rule.subject.value);
      if (subject === undefined) continue;
      for (const condition of rule.conditions) {
        const field = subject.fields.get(condition.field.value);
        if (field !== undefined) checkCondition(context, rule, condition, field);
      }
    }
  },
};

function checkCondition(context: ValidationContext, rule: RuleDef, condition: Condition, field: FieldDef): void {
  const fieldRelated = { message: `field "${field.name}" is defined here with type ${field.type}`, loc: field.loc };
  const operator = condition.operator.value;
  if ((operator === 'last' || operator === 'next') && field.type !== 'date') {
    context.report(
      error('E-TYPE-MISMATCH', `rule "${rule.name}": operator ${operator} needs a date field, but "${field.name}" has type ${field.type}`, condition.operator.loc, {
        hint: 'use last/next on a date field',
        related: [fieldRelated],
      }),
    );
  }
  for (const value of condition.values ?? []) {
    const reason = typeMismatch(value.value, field.type);
    if (reason === undefined) continue;
    context.report(
      error('E-TYPE-MISMATCH', `rule "${rule.name}": ${reason}, but field "${field.name}" has type ${field.type}`, value.loc, {
        hint: hintFor(field.type),
        related: [fieldRelated],
      }),
    );
  }
  if (condition.attribute !== undefined) {
    const name = condition.attribute.value;
    const attribute = context.policy.attributes.get(name);
    const type: AttributeType | undefined = attribute?.type ?? SYSTEM_ATTRIBUTES.get(name);
    if (type === undefined || comparable(type, field.type)) return;
    const related = [fieldRelated];
    if (attribute !== undefined) related.push({ message: `attribute "${name}" is defined here with type ${type}`, loc: attribute.loc });
    context.report(
      error('E-TYPE-MISMATCH', `rule "${rule.name}" compares field "${field.name}" (${field.type}) with attribute "${name}" (${type})`, condition.attribute.loc, {
        hint: 'compare a field with an attribute of the same type',
        related,
      }),
    );
  }
}
