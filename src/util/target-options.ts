import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { TargetConfig } from '../targets/target.js';

/**
 * Reads a plain string option of a target's block in warden.yaml. The file-emitting targets
 * (incorta, inmydata, typescript) only take names and labels, never secrets, so `${VAR}` is
 * not expanded here; a value that does not match `pattern` is an error at the option.
 */
export function stringOption(
  target: TargetConfig,
  key: string,
  fallback: string,
  pattern: RegExp,
  describe: string,
  diagnostics: Diagnostic[],
): string {
  if (!(key in target.options)) return fallback;
  const value = target.options[key];
  if (typeof value !== 'string' || !pattern.test(value)) {
    diagnostics.push(error('E-CONFIG', `target "${target.name}": \`${key}\` must be ${describe}`, target.optionLocs[key] ?? target.loc));
    return fallback;
  }
  return value;
}

/** Every option key the target does not know is an error, so that a typo never silently falls back to a default. */
export function rejectUnknownOptions(target: TargetConfig, known: readonly string[], diagnostics: Diagnostic[]): void {
  for (const key of Object.keys(target.options).sort()) {
    if (!known.includes(key)) {
      diagnostics.push(
        error('E-UNKNOWN-KEY', `target "${target.name}" (${target.type}) has no option \`${key}\``, target.optionLocs[key] ?? target.loc, {
          hint: known.length > 0 ? `known options: ${known.join(', ')}` : 'this target takes no options',
        }),
      );
    }
  }
}
