import ts from 'typescript';
import { exportModifier, keyword, readonlyArray, typeRef, withDoc } from './factory.js';

/**
 * The generated module's runtime part, as syntax trees: the frozen data, an index by login,
 * `accessOf`, `holisticsDecision` and `holisticsPayload`.
 */
const f = ts.factory;
const id = (name: string): ts.Identifier => f.createIdentifier(name);
const prop = (object: ts.Expression, name: string): ts.PropertyAccessExpression => f.createPropertyAccessExpression(object, name);
const call = (callee: ts.Expression, args: ts.Expression[], typeArgs?: ts.TypeNode[]): ts.CallExpression => f.createCallExpression(callee, typeArgs, args);
const str = (value: string): ts.StringLiteral => f.createStringLiteral(value, true);
const param = (name: string, type: ts.TypeNode, optional = false): ts.ParameterDeclaration =>
  f.createParameterDeclaration(undefined, undefined, name, optional ? f.createToken(ts.SyntaxKind.QuestionToken) : undefined, type);
const constant = (name: string, type: ts.TypeNode | undefined, value: ts.Expression, exported = false): ts.VariableStatement =>
  f.createVariableStatement(exported ? [exportModifier()] : undefined, f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, type, value)], ts.NodeFlags.Const));
const strictEquals = (left: ts.Expression, right: ts.Expression): ts.BinaryExpression => f.createBinaryExpression(left, ts.SyntaxKind.EqualsEqualsEqualsToken, right);
const objectLiteral = (entries: [string, ts.Expression][]): ts.ObjectLiteralExpression =>
  f.createObjectLiteralExpression(entries.map(([key, value]) => f.createPropertyAssignment(key, value)));
const ret = (value: ts.Expression): ts.ReturnStatement => f.createReturnStatement(value);
const block = (statements: ts.Statement[]): ts.Block => f.createBlock(statements, true);

/** `function deepFreeze<T>(value: T): T` — freezes every nested object and array. */
function deepFreeze(): ts.FunctionDeclaration {
  const value = id('value');
  return f.createFunctionDeclaration(
    undefined,
    undefined,
    'deepFreeze',
    [f.createTypeParameterDeclaration(undefined, 'T')],
    [param('value', typeRef('T'))],
    typeRef('T'),
    block([
      f.createIfStatement(
        f.createLogicalAnd(strictEquals(f.createTypeOfExpression(value), str('object')), f.createBinaryExpression(value, ts.SyntaxKind.ExclamationEqualsEqualsToken, f.createNull())),
        block([
          f.createForOfStatement(
            undefined,
            f.createVariableDeclarationList([f.createVariableDeclaration('child')], ts.NodeFlags.Const),
            call(prop(id('Object'), 'values'), [value]),
            f.createExpressionStatement(call(id('deepFreeze'), [id('child')])),
          ),
          f.createExpressionStatement(call(prop(id('Object'), 'freeze'), [value])),
        ]),
      ),
      ret(value),
    ]),
  );
}

export function runtime(usersLiteral: ts.Expression, datasetsLiteral: ts.Expression): ts.Statement[] {
  const usersType = readonlyArray(typeRef('UserAccess'));
  const user = id('user');
  const login = id('login');
  const dataset = id('dataset');
  const decision = id('decision');
  const rowBased = id('rowBased');
  const optionalDataset = (): ts.ParameterDeclaration => param('dataset', typeRef('HolisticsDataset'), true);

  const accessOf = f.createFunctionDeclaration(
    [exportModifier()],
    undefined,
    'accessOf',
    undefined,
    [param('login', keyword(ts.SyntaxKind.StringKeyword))],
    f.createUnionTypeNode([typeRef('UserAccess'), f.createLiteralTypeNode(f.createNull())]),
    block([ret(f.createBinaryExpression(call(prop(id('BY_LOGIN'), 'get'), [login]), ts.SyntaxKind.QuestionQuestionToken, f.createNull()))]),
  );

  // A payload only for an enabled user, and only over datasets the policies publish: with none
  // published, an empty row_based would read as "unrestricted" on whatever the app embeds.
  // For several datasets: every dataset's conditions together, or the first denial.
  const deny = (reason: string): ts.ReturnStatement => ret(objectLiteral([['allowed', f.createFalse()], ['reason', str(reason)]]));
  const holisticsDecision = f.createFunctionDeclaration(
    [exportModifier()],
    undefined,
    'holisticsDecision',
    undefined,
    [param('login', keyword(ts.SyntaxKind.StringKeyword)), optionalDataset()],
    typeRef('HolisticsDecision'),
    block([
      constant('user', undefined, call(prop(id('BY_LOGIN'), 'get'), [login])),
      f.createIfStatement(strictEquals(user, id('undefined')), deny('unknown user')),
      f.createIfStatement(f.createLogicalNot(prop(user, 'enabled')), deny('the user is disabled')),
      constant(
        'datasets',
        readonlyArray(typeRef('HolisticsDataset')),
        f.createConditionalExpression(strictEquals(dataset, id('undefined')), undefined, id('HOLISTICS_DATASETS'), undefined, f.createArrayLiteralExpression([dataset])),
      ),
      f.createIfStatement(strictEquals(prop(id('datasets'), 'length'), f.createNumericLiteral(0)), deny('no subject is published to Holistics')),
      // Indexed as a plain table so that a dataset name from untyped callers denies instead of throwing.
      constant(
        'table',
        typeRef('Readonly', [typeRef('Partial', [typeRef('Record', [keyword(ts.SyntaxKind.StringKeyword), typeRef('HolisticsDecision')])])]),
        prop(user, 'holistics'),
      ),
      constant('rowBased', f.createArrayTypeNode(typeRef('HolisticsCondition')), f.createArrayLiteralExpression([])),
      f.createForOfStatement(
        undefined,
        f.createVariableDeclarationList([f.createVariableDeclaration('name')], ts.NodeFlags.Const),
        id('datasets'),
        block([
          constant(
            'decision',
            typeRef('HolisticsDecision'),
            f.createBinaryExpression(
              f.createElementAccessExpression(id('table'), id('name')),
              ts.SyntaxKind.QuestionQuestionToken,
              objectLiteral([['allowed', f.createFalse()], ['reason', str('unknown Holistics dataset')]]),
            ),
          ),
          f.createIfStatement(f.createLogicalNot(prop(decision, 'allowed')), ret(decision)),
          f.createExpressionStatement(call(prop(rowBased, 'push'), [f.createSpreadElement(prop(prop(prop(decision, 'payload'), 'permissions'), 'row_based'))])),
        ]),
      ),
      ret(objectLiteral([['allowed', f.createTrue()], ['payload', objectLiteral([['permissions', objectLiteral([['row_based', rowBased]])]])]])),
    ]),
  );

  const holisticsPayload = f.createFunctionDeclaration(
    [exportModifier()],
    undefined,
    'holisticsPayload',
    undefined,
    [param('login', keyword(ts.SyntaxKind.StringKeyword)), optionalDataset()],
    f.createUnionTypeNode([typeRef('HolisticsPayload'), f.createLiteralTypeNode(f.createNull())]),
    block([
      constant('decision', undefined, call(id('holisticsDecision'), [login, dataset])),
      ret(f.createConditionalExpression(prop(decision, 'allowed'), undefined, prop(decision, 'payload'), undefined, f.createNull())),
    ]),
  );

  return [
    deepFreeze(),
    withDoc(constant('USERS', usersType, call(id('deepFreeze'), [usersLiteral], [usersType]), true), 'Every user\'s resolved access, sorted by login; frozen.'),
    withDoc(
      constant('HOLISTICS_DATASETS', readonlyArray(typeRef('HolisticsDataset')), call(id('deepFreeze'), [datasetsLiteral], [readonlyArray(typeRef('HolisticsDataset'))]), true),
      'Every Holistics dataset, sorted.',
    ),
    constant(
      'BY_LOGIN',
      typeRef('ReadonlyMap', [keyword(ts.SyntaxKind.StringKeyword), typeRef('UserAccess')]),
      f.createNewExpression(id('Map'), [keyword(ts.SyntaxKind.StringKeyword), typeRef('UserAccess')], [
        call(prop(id('USERS'), 'map'), [
          f.createArrowFunction(undefined, undefined, [param('user', typeRef('UserAccess'))], undefined, undefined, f.createAsExpression(f.createArrayLiteralExpression([prop(user, 'login'), user]), typeRef('const'))),
        ]),
      ]),
    ),
    withDoc(accessOf, 'A user\'s resolved access, or null for a login the policies do not know. A disabled user has `enabled: false` and no access.'),
    withDoc(
      holisticsDecision,
      'The Holistics embed permissions for a user (for one dataset, or all together), or an explicit denial: disabled, unknown, no access, a value list that allows nothing, or a rule Holistics cannot express.',
    ),
    withDoc(holisticsPayload, 'The `permissions` of the user\'s Holistics embed payload, or null when the user must not get one.'),
  ];
}
