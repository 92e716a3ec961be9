/**
 * Recognisers for credentials pasted into policy files. Policy files are reviewed and committed,
 * so a secret there is leaked; warden only ever reads secrets from the environment.
 * Each recogniser finds a secret inside a longer text (a description, a URL) as well.
 */
export interface SecretFinding {
  /** What it looks like, for the message: "an AWS access key id". */
  kind: string;
  /** The secret with all but a short recognisable prefix masked, safe to print. */
  masked: string;
}

const PATTERNS: ReadonlyArray<{ kind: string; pattern: RegExp; keep: number }> = [
  { kind: 'a private key (PEM block)', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/, keep: 0 },
  { kind: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/, keep: 4 },
  { kind: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/, keep: 4 },
  { kind: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/, keep: 5 },
  { kind: 'a Slack webhook URL', pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]{20,}/, keep: 0 },
  { kind: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, keep: 3 },
  { kind: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/, keep: 4 },
  { kind: 'a Stripe secret key', pattern: /\b[rs]k_live_[0-9A-Za-z]{16,}/, keep: 8 },
  { kind: 'an OpenAI-style API key', pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}/, keep: 3 },
  // user:password@host in a connection URL; a `${VAR}` password is a reference, not a secret.
  { kind: 'a password in a URL', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:(?!\$\{)[^\s@/]+@/i, keep: 0 },
];

/**
 * A substring every pattern above needs: one pass of this over a string rules out nearly all
 * policy text (names, e-mails, dates), so the scan costs one regex test per string, not ten.
 */
const TRIGGER = /AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|gh[pousr]_|github_pat_|xox|hooks\.slack|eyJ|AIza|k_live_|sk-|PRIVATE KEY|:\/\//;

/** The first secret found in a text, or undefined. */
export function findSecretIn(text: string): SecretFinding | undefined {
  // Every pattern needs at least this much text; most names and values are shorter.
  if (text.length < 16 || !TRIGGER.test(text)) return undefined;
  for (const { kind, pattern, keep } of PATTERNS) {
    const match = pattern.exec(text);
    if (match !== null) return { kind, masked: mask(match[0], keep) };
  }
  return undefined;
}

/** Keys whose value is a credential whatever it looks like. */
const CREDENTIAL_KEY = /(?:^|[_.-])(?:password|passwd|pwd|secret|token|credentials?)$|^(?:password|passwd|secret|token)/i;
/** Keys whose value is a credential when it looks random (`key` alone is too common a word). */
const KEY_LIKE = /(?:^|[_.-])(?:api_?key|apikey|access_?key|secret_?key|private_?key|client_?secret|auth|key)$/i;

/**
 * A value under a key named like a credential. Placeholders (`${VAR}`, `<token>`, `changeme`-like
 * short words are still reported: a real password can be short) are not secrets.
 */
export function findSecretUnderKey(key: string, value: string): SecretFinding | undefined {
  const kind = keyKind(key);
  if (kind === 'other' || value.length === 0 || isPlaceholder(value)) return undefined;
  if (kind === 'credential' || looksRandom(value)) return { kind: `a credential under "${key}"`, masked: mask(value, 0) };
  return undefined;
}

/** Policy files repeat the same few keys (name, groups, user…) a hundred thousand times: classify each once. */
const keyKinds = new Map<string, 'credential' | 'key-like' | 'other'>();

function keyKind(key: string): 'credential' | 'key-like' | 'other' {
  let kind = keyKinds.get(key);
  if (kind === undefined) {
    kind = CREDENTIAL_KEY.test(key) ? 'credential' : KEY_LIKE.test(key) ? 'key-like' : 'other';
    // Bounded: keys are mostly schema words, but user logins and names are keys too.
    if (keyKinds.size < 10_000) keyKinds.set(key, kind);
  }
  return kind;
}

function isPlaceholder(value: string): boolean {
  return /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(value) || /^<[^<>]*>$/.test(value);
}

/** Long, with letters and digits, and high Shannon entropy per character: a generated string. */
export function looksRandom(value: string): boolean {
  if (value.length < 16 || /\s/.test(value)) return false;
  if (!/[0-9]/.test(value) || !/[A-Za-z]/.test(value)) return false;
  return shannonEntropy(value) >= 3.5;
}

function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/** `ghp_********` — the prefix that tells what it is, then a fixed mask that does not even reveal the length. */
function mask(secret: string, keep: number): string {
  return secret.slice(0, keep) + '********';
}
