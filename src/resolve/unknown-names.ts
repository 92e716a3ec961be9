import { error, type Diagnostic, type Loc } from '../diagnostics/diagnostic.js';
import { suggestionHint } from '../util/did-you-mean.js';
import type { ResolvedModel } from './model.js';

/**
 * Errors for names given on the command line (`--user`, `--subject`) that the policies do not
 * define. They have no position in a policy file, so they point at the command line.
 */
export const COMMAND_LINE: Loc = Object.freeze({ file: '<command line>', line: 1, column: 1 });

export function unknownUser(model: ResolvedModel, login: string): Diagnostic {
  return error('E-UNKNOWN-USER', `no user ${JSON.stringify(login)} in the policies`, COMMAND_LINE, hint(login, model.users.keys()));
}

export function unknownSubject(model: ResolvedModel, subject: string): Diagnostic {
  return error('E-UNKNOWN-SUBJECT', `no subject ${JSON.stringify(subject)} in the policies`, COMMAND_LINE, hint(subject, model.policy.subjects.keys()));
}

function hint(input: string, candidates: Iterable<string>): { hint?: string } {
  const text = suggestionHint(input, candidates);
  return text === undefined ? {} : { hint: text };
}
