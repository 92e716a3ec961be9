import ts from 'typescript';

/**
 * Small helpers over `ts.factory` for the generated module: every node is built as a syntax
 * tree and printed by the compiler's printer, so any string from a policy reaches the output
 * only as a string-literal node (the printer escapes it) and can never become code.
 */
const f = ts.factory;

export const exportModifier = (): ts.ModifierToken<ts.SyntaxKind.ExportKeyword> => f.createModifier(ts.SyntaxKind.ExportKeyword);
export const readonlyModifier = (): ts.ModifierToken<ts.SyntaxKind.ReadonlyKeyword> => f.createModifier(ts.SyntaxKind.ReadonlyKeyword);

/** `'a' | 'b'`, or `never` for an empty set. */
export function literalUnion(values: readonly string[]): ts.TypeNode {
  if (values.length === 0) return f.createKeywordTypeNode(ts.SyntaxKind.NeverKeyword);
  const members = values.map((value) => f.createLiteralTypeNode(f.createStringLiteral(value, true)));
  return members.length === 1 ? members[0] : f.createUnionTypeNode(members);
}

export function typeRef(name: string, args?: readonly ts.TypeNode[]): ts.TypeReferenceNode {
  return f.createTypeReferenceNode(name, args);
}

export function keyword(kind: ts.KeywordTypeSyntaxKind): ts.KeywordTypeNode {
  return f.createKeywordTypeNode(kind);
}

export function stringLiteralType(value: string): ts.LiteralTypeNode {
  return f.createLiteralTypeNode(f.createStringLiteral(value, true));
}

/** `readonly T[]`, parenthesising a union element. */
export function readonlyArray(element: ts.TypeNode): ts.TypeNode {
  const item = ts.isUnionTypeNode(element) ? f.createParenthesizedType(element) : element;
  return f.createTypeOperatorNode(ts.SyntaxKind.ReadonlyKeyword, f.createArrayTypeNode(item));
}

export function union(types: readonly ts.TypeNode[]): ts.TypeNode {
  return types.length === 1 ? types[0] : f.createUnionTypeNode(types);
}

/** A property name: a plain identifier when it is one, else a string literal. */
export function propertyName(name: string): ts.PropertyName {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? f.createIdentifier(name) : f.createStringLiteral(name, true);
}

export function readonlyProperty(name: string, type: ts.TypeNode, optional = false): ts.PropertySignature {
  return f.createPropertySignature([readonlyModifier()], propertyName(name), optional ? f.createToken(ts.SyntaxKind.QuestionToken) : undefined, type);
}

/** `{ readonly a: A; … }` */
export function objectType(properties: readonly (readonly [string, ts.TypeNode] | readonly [string, ts.TypeNode, 'optional'])[]): ts.TypeLiteralNode {
  return f.createTypeLiteralNode(properties.map(([name, type, optional]) => readonlyProperty(name, type, optional === 'optional')));
}

/** `{ readonly [K in Keys]: Value }` */
export function mappedType(parameter: string, keys: ts.TypeNode, value: ts.TypeNode): ts.MappedTypeNode {
  return f.createMappedTypeNode(
    f.createToken(ts.SyntaxKind.ReadonlyKeyword),
    f.createTypeParameterDeclaration(undefined, parameter, keys),
    undefined,
    undefined,
    value,
    undefined,
  );
}

export function exportedType(name: string, type: ts.TypeNode, doc?: string, typeParameters?: readonly string[]): ts.TypeAliasDeclaration {
  const parameters = typeParameters?.map((parameter) => f.createTypeParameterDeclaration(undefined, parameter));
  return withDoc(f.createTypeAliasDeclaration([exportModifier()], name, parameters, type), doc);
}

export function exportedInterface(name: string, members: readonly ts.PropertySignature[], doc?: string): ts.InterfaceDeclaration {
  return withDoc(f.createInterfaceDeclaration([exportModifier()], name, undefined, undefined, members), doc);
}

/** Attaches a `/** … *\/` comment (the text is the generator's own, never policy input). */
export function withDoc<T extends ts.Node>(node: T, doc: string | undefined): T {
  if (doc === undefined) return node;
  return ts.addSyntheticLeadingComment(node, ts.SyntaxKind.MultiLineCommentTrivia, `* ${doc.replace(/\*\//g, '* /')} `, true);
}

/**
 * A JSON-like value as an expression: objects, arrays, strings, finite numbers, booleans, null.
 * `__proto__` as a key is written as a computed name so that it defines a property instead of
 * setting the prototype.
 */
export function literal(value: unknown): ts.Expression {
  if (value === null) return f.createNull();
  if (typeof value === 'string') return f.createStringLiteral(value, true);
  if (typeof value === 'boolean') return value ? f.createTrue() : f.createFalse();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot embed the number ${value}`);
    const magnitude = f.createNumericLiteral(Math.abs(value));
    return value < 0 || Object.is(value, -0) ? f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, magnitude) : magnitude;
  }
    // Lists of scalars stay on one line; lists of objects get one item per line.
  if (Array.isArray(value)) return f.createArrayLiteralExpression(value.map(literal), value.some((item) => typeof item === 'object' && item !== null));
  if (typeof value === 'object') {
    const properties = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .map(([key, item]) =>
        f.createPropertyAssignment(key === '__proto__' ? f.createComputedPropertyName(f.createStringLiteral(key, true)) : propertyName(key), literal(item)),
      );
    return f.createObjectLiteralExpression(properties, properties.length > 0);
  }
  throw new Error(`cannot embed a value of type ${typeof value}`);
}
