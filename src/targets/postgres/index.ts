import { hasErrors } from '../../diagnostics/diagnostic.js';
import { subjectAccess } from '../../resolve/access.js';
import type { ResolvedModel } from '../../resolve/model.js';
import type { CompileContext, CompileResult, TargetDefinition } from '../target.js';
import { buildDesiredState, type AccessFn, type DesiredState } from './desired-state.js';
import { readPostgresOptions, type PostgresOptions } from './options.js';
import { SqlQuoteError } from './quote.js';
import { compileScript } from './script.js';
import { error } from '../../diagnostics/diagnostic.js';

/**
 * The postgres target (SPEC 5.1): one re-runnable SQL script with warden's schema, the
 * entitlements as data, and static row-level-security policies on every subject table.
 */

export const postgresTarget: TargetDefinition = {
  type: 'postgres',
  compile(model: ResolvedModel, ctx: CompileContext): CompileResult {
    const { options, diagnostics } = readPostgresOptions(ctx.target);
    if (hasErrors(diagnostics)) return { artifacts: [], diagnostics };
    const compiled = compilePostgres(model, options);
    diagnostics.push(...compiled.diagnostics);
    if (compiled.sql === null || hasErrors(diagnostics)) return { artifacts: [], diagnostics };
    return { artifacts: [{ path: `${ctx.target.name}.sql`, content: compiled.sql }], diagnostics };
  },
};

/** Model -> script, for callers that have options already (tests, `warden test`, plan/apply). */
export function compilePostgres(model: ResolvedModel, options: PostgresOptions, access: AccessFn = subjectAccess) {
  const { state, diagnostics } = buildDesiredState(model, options, access);
  try {
    return { state, sql: compileScript(state), diagnostics };
  } catch (caught) {
    if (!(caught instanceof SqlQuoteError)) throw caught;
    const loc = model.policy.settings.locs.defaultGroup ?? { file: 'warden.yaml', line: 1, column: 1 };
    diagnostics.push(error('E-PG-QUOTE', caught.message, loc));
    return { state: state as DesiredState, sql: null, diagnostics };
  }
}

export { buildDesiredState, settingPrefix, parseTableName, conditionState } from './desired-state.js';
export type { DesiredState, Entitlements, PrincipalRow, ConditionRow, ValueRow, RuleSpec, SubjectTableSpec, ConditionSpec, TableName, AccessFn } from './desired-state.js';
export { readPostgresOptions, DEFAULT_OPTIONS, type PostgresOptions } from './options.js';
export { scriptStatements, entitlementStatements, compileScript } from './script.js';
export { writeStatement, writeScript, tableRef, dollarQuote } from './writers.js';
export type { Statement, Column } from './statements.js';
export { functionStatements } from './functions.js';
export { policyStatements, rulePolicyName, conditionExpression, ACCESS_POLICY, POLICY_PREFIX } from './policies.js';
export { quoteIdent, quoteLiteral, typedLiteral, typedArrayLiteral, sqlType } from './quote.js';
