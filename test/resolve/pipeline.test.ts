import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainJson, formatExplainJson } from '../../src/resolve/explain-json.js';
import { explainText } from '../../src/resolve/explain-text.js';
import { resolveYaml } from '../helpers/resolve-yaml.js';

/** The spec's e-commerce example as real policy files, through parse + validate + resolve. */
const dir = path.join(import.meta.dirname, 'fixtures/ecommerce/policies');
const files = Object.fromEntries(['model.yaml', 'people.yaml'].map((f) => [`policies/${f}`, readFileSync(path.join(dir, f), 'utf8')]));
const model = resolveYaml(files);

describe('resolving real policy files', () => {
  it("gives explain --format json the spec's example output", () => {
    const result = explainJson(model, 'apac.lead@acme.com');
    expect(result.ok && formatExplainJson(result.value)).toBe(
      `${JSON.stringify(
        {
          user: 'apac.lead@acme.com',
          enabled: true,
          groups: ['apac', 'everyone', 'malaysia', 'singapore', 'vietnam'],
          roles: ['dashboard_analyzer', 'user'],
          permissions: ['catalog.share', 'catalog.view'],
          bypass_row_rules: false,
          home: { dashboard: 'sales-overview' },
          attributes: { country: ['Malaysia', 'Singapore', 'Vietnam'], merchant: [], region: ['APAC'] },
          subjects: { sales: { access: true, filters: [{ rule: 'sales-by-country', field: 'country', operator: 'in', values: ['Malaysia', 'Singapore', 'Vietnam'] }] } },
        },
        null,
        2,
      )}\n`,
    );
  });

  it('points provenance at the file, line and column of each node', () => {
    const lead = model.users.get('apac.lead@acme.com')!;
    expect(lead.attributes.get('country')!.because).toEqual([
      { source: 'group', group: 'vietnam', path: ['vietnam'], loc: expect.objectContaining({ file: 'policies/people.yaml', line: 10, column: 19 }) },
      { source: 'group', group: 'singapore', path: ['singapore'], loc: expect.objectContaining({ file: 'policies/people.yaml', line: 14, column: 7 }) },
      { source: 'group', group: 'malaysia', path: ['malaysia'], loc: expect.objectContaining({ file: 'policies/people.yaml', line: 18, column: 7 }) },
    ]);
    expect(lead.groups.get('vietnam')).toEqual([{ source: 'user', login: 'apac.lead@acme.com', loc: expect.objectContaining({ file: 'policies/people.yaml', line: 26, column: 14 }) }]);
    expect(lead.roles.get('dashboard_analyzer')).toEqual([
      { source: 'group', group: 'apac', path: ['vietnam', 'apac'], loc: expect.objectContaining({ file: 'policies/people.yaml', line: 4 }) },
    ]);
  });

  it('renders the text explanation with file:line', () => {
    const result = explainText(model, 'apac.lead@acme.com');
    const text = result.ok ? result.text : '';
    expect(text).toContain(
      'country = {Malaysia, Singapore, Vietnam} from groups vietnam (policies/people.yaml:10), singapore (policies/people.yaml:14) and malaysia (policies/people.yaml:18)',
    );
    expect(text).toContain('rule sales-by-country (policies/model.yaml:21)');
  });

  it('keeps a manager to their own value and the CEO unrestricted', () => {
    const king = explainJson(model, 'king.manager@acme.com');
    expect(king.ok && king.value.attributes).toEqual({ country: ['Vietnam'], merchant: ['King Inc'], region: ['APAC'] });
    const ceo = explainJson(model, 'ceo@acme.com', 'sales');
    expect(ceo.ok && ceo.value.subjects.sales.filters).toEqual([{ rule: 'sales-by-country', field: 'country', operator: 'in', values: 'all' }]);
  });
});
