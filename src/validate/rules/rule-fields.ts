import { error } from '../../diagnostics/diagnostic.js';
import type { ValidationRule } from '../rule.js';
import { suggestionHint } from '../../util/did-you-mean.js';

/**
 * A rule condition compares a field of the rule's subject: the subject must define it
 * (E-UNKNOWN-FIELD, at the field, with the closest field name as a hint). A subject with no
 * `fields` at all cannot be filtered, so every rule on it is reported the same way.
 * Rules on unknown subjects are left to unknown-references.
 */
export const ruleFields: ValidationRule = {
  name: 'rule-fields',
  check(context) {
    for (const rule of context.policy.rules.values()) {
      const subject = context.policy.subjects.get(rule.subject.value);
      if (subject === undefined) continue;
      const related = [{ message: `subject "${subject.name}" is defined here`, loc: subject.loc }];
      for (const condition of rule.conditions) {
        const field = condition.field;
        if (subject.fields.has(field.value)) continue;
        if (subject.fields.size === 0) {
          context.report(
            error('E-UNKNOWN-FIELD', `rule "${rule.name}" filters on field "${field.value}", but subject "${subject.name}" defines no fields`, field.loc, {
              hint: `add "${field.value}" under fields of subject "${subject.name}" with its column and type`,
              related,
            }),
          );
          continue;
        }
        context.report(
          error('E-UNKNOWN-FIELD', `rule "${rule.name}" filters on field "${field.value}", which subject "${subject.name}" does not define`, field.loc, {
            hint: suggestionHint(field.value, subject.fields.keys()) ?? `fields of "${subject.name}": ${[...subject.fields.keys()].sort().join(', ')}`,
            related,
          }),
        );
      }
    }
  },
};
