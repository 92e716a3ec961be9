import { describe, expect, it } from 'vitest';
import { at, validateYaml, withCode } from '../../../test/helpers/validate-yaml.js';
import { findSecretIn, findSecretUnderKey, looksRandom } from './secret-patterns.js';

const yaml = (...lines: string[]): string => lines.join('\n') + '\n';

// Built from parts so this file itself does not look like it holds credentials.
const AWS = 'AKIA' + 'IOSFODNN7EXAMPLE';
const GITHUB = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
const SLACK = 'xoxb-' + '123456789012-abcdefABCDEF';
const JWT = 'eyJhbGciOiJIUzI1NiJ9' + '.eyJzdWIiOiIxMjM0NTY3ODkwIn0' + '.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const PEM = '-----BEGIN RSA ' + 'PRIVATE KEY-----';

describe('secrets', () => {
  // A block scalar's position is where its content starts, the line after `|`.
  it('finds secrets in values, keys and multi-line text, and never prints them', () => {
    const { diagnostics } = validateYaml({
      'policies/a.yaml': yaml(
        'subjects:',
        `  sales: { description: deploy with ${AWS}, table: public.sales }`,
        'groups:',
        `  ops: { description: ${GITHUB} }`,
        'users:',
        `  bot@acme.com: { name: ${SLACK} }`,
        `  ${JWT}: {}`,
        'api_keys:',
        '  chatbot:',
        '    user: bot@acme.com',
        '    description: |',
        `      ${PEM}`,
        '      MIIEowIBAAKCAQEA',
      ),
    });
    const found = withCode(diagnostics, 'E-SECRET');
    expect(found.map((d) => [at(d.loc), d.message])).toEqual([
      ['policies/a.yaml:2:25', 'policy file contains what looks like an AWS access key id (AKIA********)'],
      ['policies/a.yaml:4:23', 'policy file contains what looks like a GitHub token (ghp_********)'],
      ['policies/a.yaml:6:25', 'policy file contains what looks like a Slack token (xoxb-********)'],
      ['policies/a.yaml:7:3', 'policy file contains what looks like a JSON Web Token (eyJ********)'],
      ['policies/a.yaml:12:1', 'policy file contains what looks like a private key (PEM block) (********)'],
    ]);
    const printed = JSON.stringify(found);
    for (const secret of [AWS, GITHUB, SLACK, JWT, 'IOSFODNN7EXAMPLE']) expect(printed).not.toContain(secret);
    expect(found[0]!.hint).toContain('environment');
  });

  it('accepts ordinary policies: names, e-mails, URIs and dates', () => {
    const { diagnostics } = validateYaml({
      'policies/a.yaml': yaml(
        'subjects:',
        '  sales:',
        '    description: Store transactions of every Asia-Pacific country since 2019',
        '    platforms: { gooddata: { attributes: { country: /gdc/md/abc123def456/obj/1049 } } }',
        'users:',
        '  apac.lead@acme.com: { name: Asia-Pacific lead, email: apac.lead@acme.com }',
        'api_keys:',
        '  sales-chatbot: { user: apac.lead@acme.com, description: Sales assistant, expires: 2027-06-30 }',
      ),
    });
    expect(withCode(diagnostics, 'E-SECRET')).toEqual([]);
  });
});

describe('secret-patterns', () => {
  it('recognises credentials inside longer text', () => {
    expect(findSecretIn(`token is ${GITHUB}, keep it`)?.kind).toBe('a GitHub token');
    expect(findSecretIn('postgres://app:hunter2@db.internal:5432/sales')?.kind).toBe('a password in a URL');
    expect(findSecretIn('postgres://app:${DB_PASSWORD}@db.internal/sales')).toBeUndefined();
    expect(findSecretIn('https://docs.acme.com/warden/policies')).toBeUndefined();
  });

  it('treats any value under a password- or token-like key as a secret, and key-like keys when random', () => {
    expect(findSecretUnderKey('password', 'hunter2')?.masked).toBe('********');
    expect(findSecretUnderKey('db_token', 'abc')?.kind).toBe('a credential under "db_token"');
    expect(findSecretUnderKey('password', '${DB_PASSWORD}')).toBeUndefined();
    expect(findSecretUnderKey('api_key', 'q8ZrT2vLx9PmW4kNs7Yd')?.kind).toBe('a credential under "api_key"');
    expect(findSecretUnderKey('key', 'country')).toBeUndefined();
    expect(findSecretUnderKey('description', 'q8ZrT2vLx9PmW4kNs7Yd')).toBeUndefined();
  });

  it('measures randomness, not length alone', () => {
    expect(looksRandom('q8ZrT2vLx9PmW4kNs7Yd')).toBe(true);
    expect(looksRandom('aaaaaaaaaaaaaaaa1111')).toBe(false);
    expect(looksRandom('sales-overview-dashboard')).toBe(false);
  });
});
