import ts from 'typescript';
import type { AttributeType } from '../../model/policy.js';
import type { ProjectNames } from './access-data.js';
import {
  exportedInterface,
  exportedType,
  keyword,
  literalUnion,
  mappedType,
  objectType,
  readonlyArray,
  readonlyProperty,
  stringLiteralType,
  typeRef,
  union,
} from './factory.js';

/** The generated module's types: the project's names as unions, and the shape of a user's access. */

const OPERATORS = ['between', 'eq', 'ge', 'gt', 'in', 'last', 'le', 'lt', 'ne', 'next', 'not_in'];
const PERMISSIONS = ['catalog', 'data', 'schema', 'security'].flatMap((object) => ['manage', 'share', 'view'].map((action) => `${object}.${action}`));
const UNITS = ['days', 'months', 'weeks', 'years'];
const TYPES = ['boolean', 'date', 'integer', 'number', 'string'];

/** The TypeScript type of an attribute's values; dates are ISO `YYYY-MM-DD` strings. */
function valueType(type: AttributeType): ts.TypeNode {
  if (type === 'integer' || type === 'number') return keyword(ts.SyntaxKind.NumberKeyword);
  if (type === 'boolean') return keyword(ts.SyntaxKind.BooleanKeyword);
  return keyword(ts.SyntaxKind.StringKeyword);
}

const scalar = (): ts.TypeNode => union([keyword(ts.SyntaxKind.StringKeyword), keyword(ts.SyntaxKind.NumberKeyword), keyword(ts.SyntaxKind.BooleanKeyword)]);
const str = (): ts.TypeNode => keyword(ts.SyntaxKind.StringKeyword);
const bool = (): ts.TypeNode => keyword(ts.SyntaxKind.BooleanKeyword);
const nullable = (type: ts.TypeNode): ts.TypeNode => union([type, ts.factory.createLiteralTypeNode(ts.factory.createNull())]);

export function declarations(names: ProjectNames): ts.Statement[] {
  return [
    exportedType('GroupName', literalUnion(names.groups), 'Every group of the project.'),
    exportedType('RoleName', literalUnion(names.roles), 'Every role of the project, built-in roles included.'),
    exportedType('SubjectName', literalUnion(names.subjects), 'Every subject (dataset) of the project.'),
    exportedType('RuleName', literalUnion(names.rules), 'Every row rule of the project.'),
    exportedType('AttributeName', literalUnion(names.attributes.map((a) => a.name)), 'Every user attribute of the project (system attributes `user.*` excluded).'),
    exportedType('HolisticsDataset', literalUnion(names.datasets), 'Every Holistics dataset (unique name) a subject is published as.'),
    exportedType('Permission', literalUnion(PERMISSIONS)),
    exportedType('Operator', literalUnion(OPERATORS)),
    exportedInterface(
      'AttributeTypes',
      names.attributes.map((a) => readonlyProperty(a.name, valueType(a.type))),
      'The value type of each attribute (dates are ISO `YYYY-MM-DD` strings).',
    ),
    exportedType(
      'AttributeValue',
      union([stringLiteralType('all'), readonlyArray(typeRef('T'))]),
      '`all` (unrestricted) or the sorted values; an empty list is none, which denies.',
      ['T'],
    ),
    exportedInterface('Condition', [
      readonlyProperty('field', str()),
      readonlyProperty('column', str()),
      readonlyProperty('type', literalUnion(TYPES)),
      readonlyProperty('operator', typeRef('Operator')),
      readonlyProperty('values', union([stringLiteralType('all'), readonlyArray(scalar())]), true),
      readonlyProperty('modifier', objectType([['unit', literalUnion(UNITS)], ['amount', keyword(ts.SyntaxKind.NumberKeyword)]]), true),
      readonlyProperty('attribute', str(), true),
    ]),
    exportedType(
      'Filter',
      union([
        ts.factory.createIntersectionTypeNode([typeRef('Condition'), objectType([['rule', typeRef('RuleName')]])]),
        objectType([['rule', typeRef('RuleName')], ['any', readonlyArray(typeRef('Condition'))]]),
      ]),
      'One row rule with the user\'s values substituted; a subject\'s filters are ANDed, `any` is an OR.',
    ),
    exportedInterface('SubjectAccess', [readonlyProperty('access', bool()), readonlyProperty('filters', readonlyArray(typeRef('Filter')))]),
    exportedType('Home', union([objectType([['dashboard', str()]]), objectType([['category', str()]])])),
    exportedInterface('HolisticsCondition', [
      readonlyProperty('path', objectType([['dataset', str()], ['model', str()], ['field', str()]])),
      readonlyProperty('operator', str()),
      readonlyProperty('modifier', nullable(str())),
      readonlyProperty('values', readonlyArray(scalar())),
    ]),
    exportedInterface('HolisticsPayload', [readonlyProperty('permissions', objectType([['row_based', readonlyArray(typeRef('HolisticsCondition'))]]))], 'The `permissions` of a Holistics embed payload.'),
    exportedType(
      'HolisticsDecision',
      union([
        objectType([['allowed', ts.factory.createLiteralTypeNode(ts.factory.createTrue())], ['payload', typeRef('HolisticsPayload')]]),
        objectType([['allowed', ts.factory.createLiteralTypeNode(ts.factory.createFalse())], ['reason', str()]]),
      ]),
      'A payload, or an explicit denial: an empty `values` list is never used to mean deny.',
    ),
    exportedInterface(
      'UserAccess',
      [
        readonlyProperty('login', str()),
        readonlyProperty('enabled', bool()),
        readonlyProperty('admin', bool()),
        readonlyProperty('name', nullable(str())),
        readonlyProperty('email', nullable(str())),
        readonlyProperty('groups', readonlyArray(typeRef('GroupName'))),
        readonlyProperty('roles', readonlyArray(typeRef('RoleName'))),
        readonlyProperty('permissions', readonlyArray(typeRef('Permission'))),
        readonlyProperty('bypassRowRules', bool()),
        readonlyProperty('home', nullable(typeRef('Home'))),
        readonlyProperty('apiKeysEnabled', bool()),
        readonlyProperty(
          'attributes',
          mappedType('A', typeRef('AttributeName'), typeRef('AttributeValue', [ts.factory.createIndexedAccessTypeNode(typeRef('AttributeTypes'), typeRef('A'))])),
        ),
        readonlyProperty('subjects', mappedType('S', typeRef('SubjectName'), typeRef('SubjectAccess'))),
        readonlyProperty('holistics', mappedType('D', typeRef('HolisticsDataset'), typeRef('HolisticsDecision'))),
      ],
      'A user\'s resolved access (SPEC section 4), as `warden explain` shows it.',
    ),
  ];
}
