import { warning } from '../../diagnostics/diagnostic.js';
import type { ValidationRule } from '../rule.js';

/**
 * W-UNMAPPED-SUBJECT: a subject with neither a `table` nor any platform identifiers cannot be
 * enforced by any target, so its grants and rules protect nothing yet.
 */
export const unmappedSubjects: ValidationRule = {
  name: 'unmapped-subjects',
  check(context) {
    for (const subject of context.policy.subjects.values()) {
      if (subject.table !== undefined || Object.keys(subject.platforms).length > 0) continue;
      context.report(
        warning('W-UNMAPPED-SUBJECT', `subject "${subject.name}" has no table and no platform identifiers, so no target can enforce it`, subject.loc, {
          hint: 'add table: schema.table for SQL targets, or platforms: { holistics | gooddata | inmydata: ... }',
        }),
      );
    }
  },
};
