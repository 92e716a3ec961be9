/**
 * The files `warden init` writes: a small, working project (two regions, a manager per region,
 * a lead who sees both, an analyst who bypasses row rules) whose access tests pass on the
 * embedded database straight away. Kept as TypeScript constants so they ship in the package.
 */

export const WARDEN_YAML = `# warden project: \`warden validate\`, \`warden test\`, \`warden audit\`, \`warden watch\`.
version: 1
policies: [policies]
tests: [tests]
targets:
  warehouse:
    type: postgres        # no url: an embedded PostgreSQL (PGlite) under .warden/warehouse/
    schema: warden
    principal: session    # the application runs \`SELECT warden.enter('<login>')\` per transaction
`;

export const POLICIES_DATA = `# yaml-language-server: $schema=../node_modules/warden/schemas/policy.schema.json
# What can be seen: user attributes, the datasets (subjects), and the row rules on them.
settings:
  enforce_subject_access: false   # subjects are open unless marked \`restricted\`
  default_group: everyone
  base_role: user

attributes:
  region:
    type: string
    description: Regions whose orders a user may see (none unless a group or the user says so)

subjects:
  orders:
    description: Customer orders, one row per order
    restricted: true              # only groups granted \`orders\` see it
    table: public.orders
    fields:
      region: { column: region, type: string }

rules:
  orders-by-region:
    subject: orders
    field: region
    operator: in
    attribute: region             # a manager sees the regions they are responsible for
`;

export const POLICIES_PEOPLE = `# yaml-language-server: $schema=../node_modules/warden/schemas/policy.schema.json
# Who: roles, groups and users. A user's groups give roles, subjects and attribute values.
roles:
  analyst:
    description: Analysts work on raw data, so row rules do not apply to them
    extends: [individual_analyzer]
    row_rules: bypass

groups:
  sales:
    description: Everyone who works with orders
    subjects: [orders]
    roles: [dashboard_analyzer]
  north:
    inherits: [sales]
    attributes: { region: [North] }
  south:
    inherits: [sales]
    attributes: { region: [South] }
  analysts:
    inherits: [sales]
    roles: [analyst]

users:
  north.manager@example.com:
    name: North Manager
    groups: [north]
  south.manager@example.com:
    name: South Manager
    groups: [south]
  sales.lead@example.com:
    name: Sales Lead
    groups: [north, south]        # the union of both regions
  analyst@example.com:
    name: Data Analyst
    groups: [analysts]
  leaver@example.com:
    name: Former Manager
    groups: [north]
    disabled: true                # no access at all
`;

export const TESTS_ACCESS = `# Access tests: \`warden test\`. Model expectations are checked on the resolved policies;
# \`query\` expectations run as the user on PostgreSQL (embedded by default) with the fixtures.
fixtures: [fixtures/orders.sql]
tests:
  - name: the North manager's orders are filtered to North
    as: north.manager@example.com
    subject: orders
    expect: { access: true, filters: { region: [North] } }
  - name: the sales lead sees both regions
    as: sales.lead@example.com
    subject: orders
    expect: { access: true, filters: { region: [North, South] } }
  - name: the analyst bypasses row rules
    as: analyst@example.com
    subject: orders
    expect: { access: true, filters: {} }
  - name: the leaver has no access
    as: leaver@example.com
    subject: orders
    expect: { access: false }

  - name: the database agrees for the North manager
    as: north.manager@example.com
    query: select id from public.orders order by id
    expect: { rows: [[1], [2]] }
  - name: the sales lead sees North and South
    as: sales.lead@example.com
    query: select distinct region from public.orders order by 1
    expect: { rows: [[North], [South]] }
  - name: the analyst sees every order
    as: analyst@example.com
    query: select count(*) from public.orders
    expect: { rows: [[5]] }
  - name: the leaver sees nothing
    as: leaver@example.com
    query: select count(*) from public.orders
    expect: { rows: [[0]] }
`;

export const FIXTURES_ORDERS = `-- Sample data for the access tests (tests/access.yaml).
DROP TABLE IF EXISTS public.orders;

CREATE TABLE public.orders (
  id      integer PRIMARY KEY,
  region  text,
  amount  numeric(10, 2) NOT NULL
);
CREATE INDEX orders_region_idx ON public.orders (region);

INSERT INTO public.orders (id, region, amount) VALUES
  (1, 'North', 120.00),
  (2, 'North',  80.50),
  (3, 'South', 200.00),
  (4, 'West',   99.90),
  (5, NULL,     10.00);
`;

export const GITIGNORE = `# warden's embedded databases and audit output
.warden/
audit.html
`;

/** CI: validate with annotations, run the access tests, and attach the audit report. */
export function githubWorkflow(version: string): string {
  return `name: warden
on:
  pull_request:
  push:
    branches: [main]

jobs:
  policies:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - name: Validate the policies
        run: npx --yes warden@${version} validate --format github
      - name: Run the access tests
        run: npx --yes warden@${version} test
      - name: Write the audit report
        run: npx --yes warden@${version} audit --out audit.html
      - uses: actions/upload-artifact@v4
        with:
          name: access-audit
          path: audit.html
`;
}
