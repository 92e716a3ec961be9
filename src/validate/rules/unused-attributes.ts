import { warning } from '../../diagnostics/diagnostic.js';
import type { ValidationRule } from '../rule.js';

/**
 * W-UNUSED-ATTRIBUTE: an attribute that no rule compares with restricts nothing, however many
 * groups and users set it — often a rule that was meant to exist, or one naming another attribute.
 */
export const unusedAttributes: ValidationRule = {
  name: 'unused-attributes',
  check(context) {
    const used = new Set<string>();
    for (const rule of context.policy.rules.values()) {
      for (const condition of rule.conditions) if (condition.attribute !== undefined) used.add(condition.attribute.value);
    }
    for (const attribute of context.policy.attributes.values()) {
      if (used.has(attribute.name)) continue;
      context.report(
        warning('W-UNUSED-ATTRIBUTE', `attribute "${attribute.name}" is not used by any rule, so it restricts nothing`, attribute.loc, {
          hint: `add a rule with attribute: ${attribute.name}, or remove the attribute`,
        }),
      );
    }
  },
};
