import type { ValidationRule } from '../rule.js';
import { apiKeyUsers } from './api-key-users.js';
import { attributeValueTypes } from './attribute-value-types.js';
import { conditionTypes } from './condition-types.js';
import { groupCycles } from './group-cycles.js';
import { operatorArity } from './operator-arity.js';
import { roleCycles } from './role-cycles.js';
import { ruleFields } from './rule-fields.js';
import { secrets } from './secrets.js';
import { unknownReferences } from './unknown-references.js';
import { unmappedSubjects } from './unmapped-subjects.js';
import { unusedAttributes } from './unused-attributes.js';
import { unusedGroups } from './unused-groups.js';
import { unusedRoles } from './unused-roles.js';
import { userDirectRoles } from './user-direct-roles.js';

/** Every semantic check, in the order they run (the order does not matter: output is sorted). */
export const allRules: ValidationRule[] = [
  secrets,
  unknownReferences,
  groupCycles,
  roleCycles,
  userDirectRoles,
  apiKeyUsers,
  attributeValueTypes,
  ruleFields,
  conditionTypes,
  operatorArity,
  unusedGroups,
  unusedRoles,
  unusedAttributes,
  unmappedSubjects,
];
