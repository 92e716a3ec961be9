import { describe, expect, it } from 'vitest';
import { explainText } from '../../src/resolve/explain-text.js';
import { resolve } from '../../src/resolve/resolve.js';
import { buildPolicy } from '../helpers/policy-builder.js';
import { SPEC_EXAMPLE } from './fixtures/spec-example.js';

const built = buildPolicy({
  ...SPEC_EXAMPLE,
  subjects: { ...SPEC_EXAMPLE.subjects, hr: { restricted: true }, stock: {} },
  api_keys: { bot: { user: 'admin@acme.com', expires: '2030-01-01' } },
});
const model = resolve(built.policy, { now: new Date('2029-12-15T00:00:00Z') });
const text = (login: string, subject?: string) => {
  const result = explainText(model, login, subject);
  if (!result.ok) throw new Error(result.diagnostics[0].message);
  return result.text;
};
const line = (path: string) => `built.yaml:${built.loc(path).line}`;
const find = (output: string, start: string) => output.split('\n').find((l) => l.trimStart().startsWith(start));

describe('explainText', () => {
  const lead = text('apac.lead@acme.com');

  it('shows attribute values with the groups and positions they come from', () => {
    expect(find(lead, 'country =')).toBe(
      `  country = {Malaysia, Singapore, Vietnam} from groups vietnam (${line('groups.vietnam.attributes.country')}), singapore (${line(
        'groups.singapore.attributes.country',
      )}) and malaysia (${line('groups.malaysia.attributes.country')})`,
    );
    expect(find(lead, 'region =')).toBe(`  region = {APAC} from group apac via vietnam (${line('groups.apac.attributes.region')})`);
    expect(find(lead, 'merchant =')).toContain('none');
  });

  it('explains each group: listed on the user, default group, or the inheritance path', () => {
    expect(find(lead, 'vietnam:')).toBe(`  vietnam: listed in the user's groups (${line('users.apac.lead@acme.com.groups.0')})`);
    expect(find(lead, 'apac:')).toContain(`inherited via vietnam -> apac (${line('groups.vietnam.inherits.0')})`);
    expect(find(lead, 'everyone:')).toBe('  everyone: default group');
  });

  it('names where roles come from', () => {
    expect(find(lead, 'dashboard_analyzer:')).toBe(`  dashboard_analyzer: from group apac via vietnam (${line('groups.apac.roles.0')})`);
    expect(find(lead, 'user:')).toBe('  user: base role');
  });

  it("shows each subject's access and filters with the rule's position", () => {
    expect(find(lead, 'sales:')).toBe(`  sales: access granted to group apac via vietnam (${line('groups.apac.subjects.0')})`);
    expect(find(lead, 'country in')).toBe(`    country in {Malaysia, Singapore, Vietnam} (attribute country)  rule sales-by-country (${line('rules.sales-by-country')})`);
    expect(find(lead, 'hr:')).toBe(`  hr: no access (restricted, and no group of the user is granted it) (${line('subjects.hr')})`);
    expect(find(lead, 'stock:')).toContain('not restricted');
  });

  it('shows bypass and administrator access', () => {
    const admin = text('admin@acme.com', 'hr');
    expect(admin).toContain('row rules: bypassed through role super_role');
    expect(find(admin, 'hr:')).toBe(`  hr: access as administrator (${line('users.admin@acme.com')})`);
    expect(admin).toContain('all rows (row rules bypassed)');
    expect(admin).not.toContain('sales:');
  });

  it("lists the user's API keys with their state", () => {
    expect(find(text('admin@acme.com'), 'bot:')).toContain('not valid, expires 2030-01-01');
  });

  it('says a disabled user has nothing', () => {
    const leaver = text('leaver@acme.com');
    expect(leaver).toContain('disabled: no groups, roles, subjects or rows');
    expect(find(leaver, 'sales:')).toContain('no access (the user is disabled)');
  });

  it('applies the style functions it is given', () => {
    const result = explainText(model, 'apac.lead@acme.com', 'sales', { bold: (s) => `<b>${s}</b>`, green: (s) => `<g>${s}</g>` });
    expect(result.ok && result.text).toContain('<b>groups</b>');
    expect(result.ok && result.text).toContain('<g>access</g>');
  });

  it('reports an unknown user as a diagnostic', () => {
    const result = explainText(model, 'nobody@acme.com');
    expect(result.ok ? null : result.diagnostics[0].code).toBe('E-UNKNOWN-USER');
  });

  it('renders `any` rules as an OR and last/next with their period', () => {
    const m = resolve(
      buildPolicy({
        ...SPEC_EXAMPLE,
        subjects: { sales: { fields: { country: 'string', region: 'string', sold_at: 'date' } } },
        rules: {
          recent: { subject: 'sales', field: 'sold_at', operator: 'last', modifier: { days: 90 } },
          either: {
            subject: 'sales',
            any: [
              { field: 'country', operator: 'in', attribute: 'merchant' },
              { field: 'region', operator: 'ne', values: ['EU', 'Middle East'] },
            ],
          },
        },
      }).policy,
    );
    const result = explainText(m, 'apac.lead@acme.com');
    const output = result.ok ? result.text : '';
    expect(find(output, 'any of:')).toMatch(/^ {4}any of: country in none \(attribute merchant\) OR region ne \{EU, "Middle East"\} {2}rule either \(built\.yaml:\d+\)$/);
    expect(find(output, 'sold_at last')).toMatch(/^ {4}sold_at last 90 days {2}rule recent/);
  });
});
