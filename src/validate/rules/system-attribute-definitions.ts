import { error } from '../../diagnostics/diagnostic.js';
import type { ValidationRule } from '../rule.js';
import { SYSTEM_ATTRIBUTES, isSystemAttributeName } from './system-attributes.js';

/**
 * `user.*` attributes are derived and read-only (spec section 3): defining one, or giving one a
 * value on a group or user, is E-SYSTEM-ATTRIBUTE. Rules may compare with the system attributes.
 */
export const systemAttributeDefinitions: ValidationRule = {
  name: 'system-attribute-definitions',
  check(context) {
    const { policy } = context;
    const known = [...SYSTEM_ATTRIBUTES.keys()].join(', ');
    for (const attribute of policy.attributes.values()) {
      if (!isSystemAttributeName(attribute.name)) continue;
      context.report(
        error('E-SYSTEM-ATTRIBUTE', `attribute '${attribute.name}' cannot be defined: names starting with 'user.' are system attributes`, attribute.loc, {
          hint: `system attributes (${known}) are derived from each user; choose another name`,
        }),
      );
    }
    const assignments = [
      ...[...policy.groups.values()].map((group) => ({ owner: `group '${group.name}'`, attributes: group.attributes })),
      ...[...policy.users.values()].map((user) => ({ owner: `user '${user.login}'`, attributes: user.attributes })),
    ];
    for (const { owner, attributes } of assignments) {
      for (const assignment of attributes.values()) {
        if (!isSystemAttributeName(assignment.attribute)) continue;
        context.report(
          error('E-SYSTEM-ATTRIBUTE', `${owner} assigns system attribute '${assignment.attribute}', which is read-only`, assignment.loc, {
            hint: SYSTEM_ATTRIBUTES.has(assignment.attribute)
              ? `'${assignment.attribute}' comes from the user's login, email or name`
              : `system attributes are ${known}`,
          }),
        );
      }
    }
  },
};
