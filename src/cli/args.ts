import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A usage error: the command prints its help and exits 64. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** The parsed values: booleans for boolean flags, strings (or string lists with `multiple`) otherwise. */
export type ParsedValues<O extends Options> = {
  [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : O[K] extends { multiple: true } ? string[] : string;
} & { help?: boolean };

export interface ParsedArgs<O extends Options> {
  values: ParsedValues<O>;
  positionals: string[];
}

/**
 * Parses a command's arguments strictly (unknown flags are usage errors) with node's parseArgs.
 * Every command also accepts `--help`/`-h`.
 */
export function parseCommandArgs<O extends Options>(args: string[], options: O, maxPositionals = 1): ParsedArgs<O> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (caught) {
    throw new UsageError(caught instanceof Error ? caught.message.replace(/\. To specify a positional argument.*$/s, '') : String(caught));
  }
  if (parsed.positionals.length > maxPositionals) throw new UsageError(`unexpected argument: ${parsed.positionals[maxPositionals]}`);
  return { values: parsed.values as ParsedValues<O>, positionals: parsed.positionals };
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of: ${allowed.join(', ')}`);
}
