import { error, type Diagnostic, type Loc } from '../diagnostics/diagnostic.js';
import { editDistance, suggestionList } from '../util/did-you-mean.js';
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

/**
 * Only the closest names: logins are long and alike (`a.b@acme.com`), so everything within the
 * usual edit threshold would be a list of colleagues rather than a suggestion.
 */
function hint(input: string, candidates: Iterable<string>): { hint?: string } {
  const close = suggestionList(input, candidates);
  if (close.length === 0) return {};
  const distance = (name: string) => editDistance(input.toLowerCase(), name.toLowerCase());
  const best = distance(close[0]);
  const names = close.filter((name) => distance(name) === best).slice(0, 3);
  return { hint: `did you mean ${names.map((n) => JSON.stringify(n)).join(' or ')}?` };
}
