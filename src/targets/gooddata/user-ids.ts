import { isCloudId } from './maql.js';

/**
 * GoodData Cloud user ids allow only letters, digits, `.`, `_` and `-`, so a login such as
 * `ops@acme.com` cannot be one as it stands. The default id escapes every other character as
 * `_xx` (UTF-8 bytes in hex) and `_` itself as `__`: readable (`ops_40acme.com`) and injective,
 * so two logins never share an id. `user_ids` in the target config overrides it.
 */
export function defaultCloudUserId(login: string): string {
  let id = '';
  for (const [index, char] of [...login].entries()) {
    if (char === '_') id += '__';
    else if (/[A-Za-z0-9-]/.test(char) || (char === '.' && index > 0)) id += char;
    else id += [...Buffer.from(char, 'utf8')].map((byte) => `_${byte.toString(16).padStart(2, '0')}`).join('');
  }
  return id;
}

export function cloudUserId(login: string, overrides: ReadonlyMap<string, string>): string {
  return overrides.get(login) ?? defaultCloudUserId(login);
}

export { isCloudId };
