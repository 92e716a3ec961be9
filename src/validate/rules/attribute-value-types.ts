import { error } from '../../diagnostics/diagnostic.js';
import type { AttributeDef, Located, UserDef } from '../../model/policy.js';
import type { ValidationContext, ValidationRule } from '../rule.js';
import { typeMismatch } from './value-types.js';

/**
 * Every attribute value given anywhere (attribute defaults, group and user assignments) must
 * fit the attribute's declared type (E-TYPE-MISMATCH, at the value). Assignments to unknown
 * attributes are left to unknown-references.
 */
export const attributeValueTypes: ValidationRule = {
  name: 'attribute-value-types',
  check(context) {
    checkDefinitionValueTypes(context);
    for (const user of context.policy.users.values()) checkUserValueTypes(context, user);
  },
};

/** The values of attribute defaults and of groups. */
export function checkDefinitionValueTypes(context: ValidationContext): void {
  const { policy } = context;
  for (const attribute of policy.attributes.values()) {
    checkValues(context, attribute, attribute.defaultValues ?? [], `default of attribute "${attribute.name}"`);
  }
  for (const group of policy.groups.values()) {
    for (const assignment of group.attributes.values()) {
      const attribute = policy.attributes.get(assignment.attribute);
      if (attribute !== undefined) checkValues(context, attribute, assignment.raw, `group "${group.name}"`);
    }
  }
}

/** The check for one user's own values (watch mode re-checks the users that changed). */
export function checkUserValueTypes(context: ValidationContext, user: UserDef): void {
  if (user.attributes.size === 0) return; // most users: no iterator made for nothing
  for (const assignment of user.attributes.values()) {
    const attribute = context.policy.attributes.get(assignment.attribute);
    if (attribute !== undefined) checkValues(context, attribute, assignment.raw, `user "${user.login}"`);
  }
}

function checkValues(context: ValidationContext, attribute: AttributeDef, values: readonly Located<unknown>[], where: string): void {
  for (const value of values) {
    const reason = typeMismatch(value.value, attribute.type);
    if (reason === undefined) continue;
    context.report(
      error('E-TYPE-MISMATCH', `${where}: ${reason}, but attribute "${attribute.name}" has type ${attribute.type}`, value.loc, {
        hint: hintFor(attribute.type),
        related: [{ message: `attribute "${attribute.name}" is defined here`, loc: attribute.loc }],
      }),
    );
  }
}

export function hintFor(type: string): string {
  switch (type) {
    case 'string':
      return "write text in quotes ('001', 'true') so YAML does not read it as a number or boolean";
    case 'date':
      return 'write a real date as YYYY-MM-DD, e.g. 2027-06-30';
    case 'boolean':
      return 'write true or false';
    default:
      return `write a ${type} without quotes`;
  }
}
