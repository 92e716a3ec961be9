import { quoteIdent, quoteLiteral } from '../../targets/postgres/quote.js';
import type { Statement } from '../../targets/postgres/statements.js';

/**
 * The generation counter: a sequence that a statement-level trigger on each of warden's
 * entitlement tables advances on every INSERT, UPDATE, DELETE or TRUNCATE, by apply or by hand.
 * With it, apply's staleness check reads a handful of catalog rows and one number instead of
 * every entitlement row, so applying a one-user change costs the same at 10,000 or 100,000
 * users. A sequence is not transactional: a change that was rolled back still advances it, which
 * can only make a saved plan look stale, never make a stale plan look fresh.
 */

export const GENERATION_SEQUENCE = 'generation';
export const GENERATION_FUNCTION = '_bump_generation';
export const GENERATION_TRIGGER = 'warden_generation';

export function generationFunction(schema: string): Extract<Statement, { kind: 'create_function' }> {
  return {
    kind: 'create_function',
    schema,
    name: GENERATION_FUNCTION,
    args: [],
    returns: 'trigger',
    language: 'plpgsql',
    volatility: 'VOLATILE',
    securityDefiner: false,
    fixedSearchPath: true,
    body: `
BEGIN
  PERFORM pg_catalog.nextval(${quoteLiteral(`${quoteIdent(schema)}.${quoteIdent(GENERATION_SEQUENCE)}`)}::regclass);
  RETURN NULL;
END
`,
  };
}

export function generationPrivileges(schema: string): Statement {
  return { kind: 'function_privileges', schema, name: GENERATION_FUNCTION, argTypes: [], grantTo: [] };
}
