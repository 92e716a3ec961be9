import { error, type Loc } from '../../diagnostics/diagnostic.js';
import { itemLocIn, keyLocIn, valueLocIn } from '../../load/positions.js';
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
    for (const document of context.documents) scanDocument(context, document, false);
  },
};

/**
 * Scans one document; with `usersApart`, the entries of its `users` section are left out (watch
 * mode scans each user's entry on its own with `scanEntry`, and keeps the findings per user).
 */
export function scanDocument(context: ValidationContext, document: LoadedDocument, usersApart: boolean): void {
  const root = document.value;
  if (typeof root === 'string') check(context, root, undefined, () => document.loc);
  else if (root !== null && typeof root === 'object') {
    const users = usersApart && !Array.isArray(root) ? root.users : undefined;
    if (users === undefined || users === null || typeof users !== 'object' || Array.isArray(users)) scan(context, document, root);
    else {
      const mapping = root as { [key: string]: YamlValue };
      for (const name in mapping) if (name !== 'users') scanEntry(context, document, mapping, name);
      scanKey(context, document, mapping, 'users');
    }
  }
}

/** Scans the key `name` of a mapping and everything under it. */
export function scanEntry(context: ValidationContext, document: LoadedDocument, node: { [key: string]: YamlValue }, name: string): void {
  scanKey(context, document, node, name);
  const item = node[name]!;
  if (typeof item === 'string') {
    const finding = findSecretIn(item) ?? findSecretUnderKey(name, item);
    if (finding !== undefined) report(context, finding, valueLocIn(document.locs, node, name) ?? document.loc);
  } else if (item !== null && typeof item === 'object') scan(context, document, item);
}

function scanKey(context: ValidationContext, document: LoadedDocument, node: object, name: string): void {
  const keyFinding = findSecretIn(name);
  if (keyFinding !== undefined) report(context, keyFinding, keyLocIn(document.locs, node, name) ?? document.loc);
}

type Collection = YamlValue[] | { [key: string]: YamlValue };

/**
 * Walks one collection. Positions are looked up only for what is reported, and no closure is
 * made per string: the scan visits every node of every file, and a 100,000-user project has
 * millions of them.
 */
function scan(context: ValidationContext, document: LoadedDocument, node: Collection): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const item = node[i]!;
      if (typeof item === 'string') {
        const finding = findSecretIn(item);
        if (finding !== undefined) report(context, finding, itemLocIn(document.locs, node, i) ?? document.loc);
      } else if (item !== null && typeof item === 'object') scan(context, document, item);
    }
    return;
  }
  for (const name in node) scanEntry(context, document, node, name);
}

function check(context: ValidationContext, text: string, key: string | undefined, loc: () => Loc): void {
  const finding = findSecretIn(text) ?? (key === undefined ? undefined : findSecretUnderKey(key, text));
  if (finding !== undefined) report(context, finding, loc());
}

function report(context: ValidationContext, finding: SecretFinding, loc: Loc): void {
  context.report(
    error('E-SECRET', `policy file contains what looks like ${finding.kind} (${finding.masked})`, loc, {
      hint: 'remove it, rotate it (it is in version control now), and pass secrets through the environment, e.g. ${TOKEN} in warden.yaml',
    }),
  );
}
