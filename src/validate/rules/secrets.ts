import { error, type Loc } from '../../diagnostics/diagnostic.js';
import type { LoadedDocument, YamlValue } from '../../load/types.js';
import type { ValidationContext, ValidationRule } from '../rule.js';
import { findSecretIn, findSecretUnderKey, type SecretFinding } from './secret-patterns.js';

/**
 * Secrets never belong in policy files (spec sections 2 and 3: they come from the environment).
 * Scans every string of the raw documents, keys included, for tokens, private keys and
 * passwords (E-SECRET at the string). The message names the kind and a masked form, never the
 * secret itself, since diagnostics end up in CI logs and pull-request annotations.
 */
export const secrets: ValidationRule = {
  name: 'secrets',
  check(context) {
    for (const document of context.documents) scan(context, document, document.value, document.loc, undefined);
  },
};

function scan(context: ValidationContext, document: LoadedDocument, value: YamlValue, loc: Loc, key: string | undefined): void {
  if (typeof value === 'string') {
    const finding = findSecretIn(value) ?? (key === undefined ? undefined : findSecretUnderKey(key, value));
    if (finding !== undefined) report(context, finding, loc);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const locs = document.locs.get(value);
  if (Array.isArray(value)) {
    value.forEach((item, i) => scan(context, document, item, locs?.items?.[i] ?? loc, undefined));
    return;
  }
  for (const [name, item] of Object.entries(value)) {
    const entry = locs?.entries?.get(name);
    const keyFinding = findSecretIn(name);
    if (keyFinding !== undefined) report(context, keyFinding, entry?.key ?? loc);
    scan(context, document, item, entry?.value ?? loc, name);
  }
}

function report(context: ValidationContext, finding: SecretFinding, loc: Loc): void {
  context.report(
    error('E-SECRET', `policy file contains what looks like ${finding.kind} (${finding.masked})`, loc, {
      hint: 'remove it, rotate it (it is in version control now), and pass secrets through the environment, e.g. ${TOKEN} in warden.yaml',
    }),
  );
}
